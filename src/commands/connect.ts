/** `plsctl connect`: a private endpoint in the partner's VNet to a Private Link Service, with DNS. */
import { parseDuration } from "../domain/duration.js";
import { ExitCode } from "../domain/errors.js";
import { defineCommand } from "./declare.js";

export const connect = defineCommand({
  name: "connect",
  summary: "create a private endpoint to a provider's Private Link Service, with DNS (partner)",
  description:
    "Create a private endpoint in your VNet to a Private Link Service (by the alias or resource id the " +
    "provider sent) or to an Azure PaaS resource (resource id and --group-id). Everything is checked " +
    "before the first write; a re-run with the same flags writes nothing. An alias always makes a " +
    "manual connection (Azure's rule): the provider approves it.",
  declare: (c) =>
    c
      .requiredOption(
        "--pls <alias|id>",
        "the PLS alias or resource id; or a Key Vault, SQL server or Storage account id",
      )
      .option("--group-id <id>", "with a PaaS resource id: vault, sqlServer or blob")
      .requiredOption("-g, --resource-group <rg>", "your resource group for the endpoint (and the DNS zone)")
      .option("--vnet <name>", "your virtual network (in --resource-group), with --subnet")
      .option("--subnet <name>", "the subnet the endpoint takes its IP from, with --vnet")
      .option("--subnet-id <id>", "the subnet by resource id (instead of --vnet/--subnet)")
      .option("--name <name>", "the private endpoint's name (default: pe-<PLS name>)")
      .option("--location <region>", "the endpoint's region (default and only choice: the VNet's)")
      .option(
        "--request-message <text>",
        "what the provider sees with a manual request (at most 140 characters)",
      )
      .option("--wait-approved", "wait until the provider approves (exit 0) or rejects (exit 1)")
      .option(
        "--timeout <duration>",
        "the whole command's deadline: the retries of a new alias and --wait-approved",
        "10m",
      )
      .option(
        "--dns-zone <zone>",
        "a private DNS zone: the one of that name already linked to the VNet (a hub's), else created in --resource-group and linked",
      )
      .option(
        "--dns-zone-id <id>",
        "the private DNS zone to write into, by resource id (e.g. a central zone in a hub subscription)",
      )
      .option("--no-dns", "no DNS at all (a PaaS target gets no zone group)")
      .option(
        "--dns-name <label>",
        "with --dns-zone: the A record to write (<label>.<zone> → the endpoint's IP)",
      )
      .option("--overwrite-dns", "replace an A record of that name that points elsewhere")
      .option(
        "--replace",
        "replace the endpoint of that name whose connection is Disconnected or Rejected: deletes the old endpoint (its target, its connection state, its IP), creates the new one, keeps its DNS name (pointed at the new IP)",
      ),
  input: ({ opts }) => ({
    pls: opts.pls,
    groupId: opts.groupId,
    resourceGroup: opts.resourceGroup,
    vnet: opts.vnet,
    subnet: opts.subnet,
    subnetId: opts.subnetId,
    name: opts.name,
    location: opts.location,
    requestMessage: opts.requestMessage,
    waitApproved: Boolean(opts.waitApproved),
    timeoutMs: parseDuration(opts.timeout, "--timeout"),
    dnsZone: opts.dnsZone,
    dnsName: opts.dnsName,
    overwriteDns: Boolean(opts.overwriteDns),
    dnsZoneId: opts.dnsZoneId,
    noDns: opts.dns === false,
    replace: Boolean(opts.replace),
  }),
  run: async (ctx, input) => (await import("../flows/connect/index.js")).runConnect(ctx, input),
  render: async () => (await import("../output/endpoint.js")).renderConnect,
  notes: `
An endpoint of that name whose connection is Disconnected or Rejected is replaced with --replace;
--replace of an Approved or Pending one is refused. After the provider rebuilds (a new alias; your
endpoint Disconnected), the same command with --pls <new alias> --replace keeps the endpoint's name
and DNS name. In a landing zone, a zone of the --dns-zone name (or a PaaS target's privatelink.*
zone) already linked to your VNet from another resource group or subscription is written into; one
this identity may not read or write stops the run before the endpoint exists (--dns-zone-id <zone id>
names the zone to write into).`,
  exitCodes: [
    [ExitCode.Ok, "the endpoint exists to that target (created, or already there: nothing written)"],
    [ExitCode.Failed, "the provider rejected the connection"],
    [
      ExitCode.Usage,
      "invalid flags, a --group-id the resource does not take (no request), an endpoint of that name to another target, --replace of an Approved or Pending one, or a DNS record that points elsewhere",
    ],
    [
      ExitCode.NotFound,
      "the subnet does not exist, or the PLS is not visible to your subscription (nothing is created; ask the provider for --visibility)",
    ],
    [
      ExitCode.Auth,
      "a DNS zone linked to the VNet that this identity may not read or write (named, with who to ask)",
    ],
    [ExitCode.Timeout, "--timeout passed (also while a new alias resolves: re-run)"],
  ],
  json: `{
  endpoint: { id, name, resourceGroup, subscriptionId, location, subnetId: string };
  target: string; targetKind: "alias" | "pls" | "paas"; groupId: string | null;
  manual: boolean; state: string;   // Pending | Approved | Rejected | Disconnected
  description: string | null; privateIp: string | null; fqdn: string | null;
  dns: { zone, zoneId: string; record: string | null; zoneGroup, central: boolean } | null;
  approveCommand: string | null;    // the provider's approve line, for a Pending connection to a PLS
  replaced: { id, target, state: string; privateIp: string | null } | null;
  changed: boolean;
}`,
  examples: [
    'plsctl connect --pls pls-app.3f2a1b0c-….westeurope.azure.privatelinkservice -g rg-partner --vnet spoke01 --subnet pe-subnet --request-message "Fabrikam, ticket 42"',
    "plsctl connect --pls /subscriptions/…/privateLinkServices/pls-app -g rg-partner --subnet-id /subscriptions/…/subnets/pe-subnet --wait-approved --timeout 30m",
    "plsctl connect --pls <alias> -g rg-partner --vnet spoke01 --subnet pe-subnet --dns-zone fabrikam.internal --dns-name app -o json",
    "plsctl connect --pls /subscriptions/…/Microsoft.KeyVault/vaults/kv-app --group-id vault -g rg-partner --vnet spoke01 --subnet pe-subnet",
  ],
});
