/**
 * `connect` when the spoke is linked to a hub's central zone that the partner may not use: the run
 * stops before the endpoint exists (exit 4), naming the zone and what to do, and writes nothing.
 * - `lister`: the partner sees the hub zone but may not read its links: plsctl stops at once;
 * - `reader`: the partner reads the hub zone but may not write it: the endpoint is made, the record
 *   is refused — exit 4 saying the endpoint exists and only its DNS is missing, and whom to ask;
 * - `none`: the hub is invisible: plsctl makes its own zone, Azure refuses to link it (another zone
 *   of the name is linked), plsctl removes the zone it made and stops — still before the endpoint.
 */
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { type FlowSandbox, useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { HUB_RG, HUB_SUB, hubWorld } from "../sandbox/helpers/worlds.js";

const PROV = DEFAULT_IDS.providerSubscriptionId;
const PART = DEFAULT_IDS.partnerSubscriptionId;
const KV = `/subscriptions/${PROV}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo`;
const PLS = `/subscriptions/${PROV}/resourceGroups/MC_rg-aks_aks-demo_westeurope/providers/Microsoft.Network/privateLinkServices/pls-web`;
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const lister = useSandbox({ world: hubWorld("lister"), controller: false });
const none = useSandbox({ world: hubWorld("none"), controller: false });
const reader = useSandbox({ world: hubWorld("reader") });

const cli = (t: FlowSandbox, args: string[]) =>
  runCli([...args, "-o", "json"], { env: sandboxEnv(t.sb, "partner") });
const endpoints = async (t: FlowSandbox) => {
  const out: string[] = [];
  for await (const pe of networkAs(t.sb, "partner").privateEndpoints.list("rg-partner"))
    out.push(pe.name ?? "");
  return out;
};
const partnerZones = async (t: FlowSandbox) => {
  const token = t.sb.arm.tokens.partner ?? "";
  const dns = new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    PART,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
  const out: string[] = [];
  for await (const z of dns.privateZones.listByResourceGroup("rg-partner")) out.push(z.name ?? "");
  return out;
};

describe("a hub zone the partner sees but may not read", () => {
  for (const [what, args, zone] of [
    [
      "a PLS target with --dns-zone",
      ["--pls", PLS, "--dns-zone", "fabrikam.internal", "--dns-name", "app"],
      "fabrikam.internal",
    ],
    ["a Key Vault target", ["--pls", KV, "--group-id", "vault"], "privatelink.vaultcore.azure.net"],
  ] as const) {
    it(`${what}: exit 4 before any write, naming the zone and what to do`, async () => {
      const before = armWrites(lister.sb, "partner");
      const r = await cli(lister, ["connect", ...args, ...where]);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain(
        `Private DNS zone ${zone} exists in resource group ${HUB_RG} of subscription ${HUB_SUB} and may be linked to virtual network spoke01`,
      );
      expect(r.stderr).toMatch(
        /may not read its virtual network links \(AuthorizationFailed\)\. Nothing was created\./,
      );
      expect(r.stderr).toMatch(/Private DNS Zone Contributor .*--dns-zone-id .*--no-dns/s);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "DnsZoneNotReadable", exitCode: 4 } });
      expect(armWrites(lister.sb, "partner")).toBe(before);
      expect(await endpoints(lister)).toEqual([]);
    });
  }

  it("--no-dns: the Key Vault endpoint without a zone group", async () => {
    const r = await cli(lister, [
      "connect",
      "--pls",
      KV,
      "--group-id",
      "vault",
      ...where,
      "--no-dns",
      "--name",
      "pe-kv",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dns: null, fqdn: null });
    const groups = [];
    for await (const g of networkAs(lister.sb, "partner").privateDnsZoneGroups.list("rg-partner", "pe-kv"))
      groups.push(g);
    expect(groups).toEqual([]);
  });
});

describe("a hub zone the partner cannot see at all", () => {
  it("Azure refuses plsctl's own link: exit 4 before the endpoint, and the zone it made is gone", async () => {
    const before = await endpoints(none);
    const r = await cli(none, ["connect", "--pls", KV, "--group-id", "vault", ...where]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(
      /Azure refused to link private DNS zone privatelink\.vaultcore\.azure\.net .* to virtual network spoke01: another zone of that name is linked to it already/,
    );
    expect(r.stderr).toMatch(/plsctl removed the zone it had just made/);
    expect(await endpoints(none)).toEqual(before);
    expect(await partnerZones(none)).toEqual([]);
  });
});

describe("a hub zone the partner may read but not write", () => {
  it("the record is refused after the endpoint: exit 4 naming the zone, the endpoint kept for the re-run", async () => {
    const plsId = await exposeToPartner(reader, "web", "pls-web");
    const r = await cli(reader, [
      "connect",
      "--pls",
      plsId,
      ...where,
      "--name",
      "pe-ro",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "app",
    ]);
    expect(r.code, r.stderr).toBe(4);
    const err = JSON.parse(r.stdout).error;
    expect(err.message).toContain(
      `The zone is /subscriptions/${HUB_SUB}/resourceGroups/${HUB_RG}/providers/Microsoft.Network/privateDnsZones/fabrikam.internal, linked to virtual network spoke01.`,
    );
    expect(err.message).toMatch(/The private endpoint exists; only its DNS record is missing\.$/);
    expect(err.hint).toMatch(/Private DNS Zone Contributor on fabrikam\.internal, then re-run this command/);
    expect(await endpoints(reader)).toEqual(["pe-ro"]);
    expect(await partnerZones(reader)).toEqual([]);
  });
});
