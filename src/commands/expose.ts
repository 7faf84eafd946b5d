/** `plsctl expose <service>`: annotate the Service so AKS puts a Private Link Service in front of it. */
import { Option } from "@commander-js/extra-typings";
import { parseDuration } from "../domain/duration.js";
import { ExitCode } from "../domain/errors.js";
import { defineCommand } from "./declare.js";
import { clusterOf, collect, withClusterOptions } from "./options.js";

export const expose = defineCommand({
  name: "expose",
  summary: "put a Private Link Service in front of a Service (cluster operator)",
  description:
    "Annotate a LoadBalancer Service so the AKS cloud controller creates a Private Link Service on its " +
    "internal load balancer, wait for it, and print the alias and resource id to hand to partners. " +
    "Flags are checked with the controller's rules before anything is written; a re-run with the " +
    "same flags writes nothing. Controller failures (Service events) end the wait at once.",
  declare: (c) =>
    withClusterOptions(
      c
        .argument("<service>", "name of the Service (in --namespace)")
        .option(
          "--pls-name <name>",
          "name of the Private Link Service (default: pls-<frontend name>; cannot change later)",
        )
        .option(
          "--pls-resource-group <rg>",
          "resource group for the PLS (default: the cluster's node resource group)",
        )
        .option(
          "--nat-subnet <name>",
          "subnet of the cluster VNet for the PLS NAT IPs (default: the LB subnet)",
        )
        .option("--nat-ip-count <n>", "number of NAT IP configurations, 1-8 (default 1)")
        .option("--nat-ip <ipv4>", "static NAT IP (repeatable; the first is primary)", collect)
        .option("--no-nat-ip", "remove the static NAT IPs (Azure picks the addresses)")
        .option("--fqdn <fqdn>", "FQDN recorded on the PLS (repeatable)", collect)
        .addOption(new Option("--no-fqdns", "remove the FQDNs").conflicts("fqdn"))
        .option("--proxy-protocol", "enable TCP proxy protocol v2 (tells partners apart)")
        .option("--no-proxy-protocol", "disable proxy protocol")
        .option(
          "--visibility <subscription>",
          "subscription id that may see the PLS, or '*' (repeatable)",
          collect,
        )
        .option("--no-visibility", "remove the visibility list (role-based access only)")
        .option(
          "--auto-approve <subscription>",
          "subscription id whose endpoints are approved automatically (repeatable)",
          collect,
        )
        .option("--no-auto-approve", "remove the auto-approval list (every connection waits for approval)")
        .option("--internal-subnet <name>", "subnet for the internal load balancer frontend")
        .option(
          "--make-internal",
          'add azure-load-balancer-internal: "true" (replaces a public frontend; makes a ClusterIP or NodePort Service an internal LoadBalancer in the same write)',
        ),
    )
      .option("--no-wait", "return after annotating, without waiting for the PLS")
      .option("--timeout <duration>", "how long to wait for the PLS", "10m")
      .option("--no-record", "do not record the PLS id and alias as plsctl.io/* annotations on the Service")
      .option(
        "--recreate-pls",
        "allow a change that makes AKS delete the PLS and create a new one (--internal-subnet, --pls-resource-group): new alias, every partner connection deleted",
      )
      .option(
        "--restore-partners",
        "put the recorded partners who lost their connection (a new PLS, new alias) on its visibility and auto-approval, and print the line to send each",
      ),
  input: ({ args: [service], opts }) => ({
    service,
    flags: {
      plsName: opts.plsName,
      plsResourceGroup: opts.plsResourceGroup,
      natSubnet: opts.natSubnet,
      natIpCount: opts.natIpCount,
      natIp: opts.natIp,
      fqdn: opts.fqdns === false ? (false as const) : opts.fqdn,
      proxyProtocol: opts.proxyProtocol,
      visibility: opts.visibility,
      autoApprove: opts.autoApprove,
      internalSubnet: opts.internalSubnet,
      makeInternal: opts.makeInternal,
    },
    ...clusterOf(opts),
    wait: opts.wait,
    timeoutMs: parseDuration(opts.timeout, "--timeout"),
    record: opts.record,
    recreatePls: Boolean(opts.recreatePls),
    restorePartners: Boolean(opts.restorePartners),
  }),
  async run(ctx, input) {
    const [{ runExpose }, { exposeNotes }, { aliasChangeLines }] = await Promise.all([
      import("../flows/expose/index.js"),
      import("../output/pls.js"),
      import("../output/partners.js"),
    ]);
    const result = await runExpose(ctx, input);
    if (result.aliasChanged)
      for (const line of aliasChangeLines(result.aliasChanged, result.alias)) ctx.report.warn(line);
    for (const note of exposeNotes(result)) ctx.report.info(note);
    return result;
  },
  render: async () => {
    const { renderExpose } = await import("../output/pls.js");
    return (r, colors, ctx) => renderExpose(r, colors, { cli: ctx.env.cli, context: ctx.globals.context });
  },
  exitCodes: [
    [ExitCode.Ok, "the Private Link Service is there (a re-run with the same flags writes nothing)"],
    [ExitCode.Failed, "the AKS controller reported a failure (its Service event is printed)"],
    [ExitCode.Usage, "bad flags, or a change refused by the controller's rules: nothing was written"],
    [ExitCode.NotFound, "the Service does not exist"],
    [ExitCode.Auth, "not allowed to read or annotate the Service"],
    [ExitCode.Timeout, "the PLS did not appear within --timeout: re-run to wait again"],
  ],
  json: `{
  name, id, alias: string | null; resourceGroup, subscriptionId: string; location: string | null
  service: { namespace, name }; loadBalancerIp: string | null; natIps, visibility, autoApproval, fqdns: string[]
  proxyProtocol: boolean; provisioningState: string; changed: boolean; connectCommand: string | null
  recreated?: { previousName, previousId, previousAlias, changes: string[], mustBeTold: Connection[] }
  aliasChanged?: { previousId, previousAlias, missingPartners: Partner[], restored: string[] | null,
                   messages: { subscription, endpoint, message }[] }
}`,
  examples: [
    "plsctl expose sample-app --pls-name pls-app",
    "plsctl expose sample-app --restore-partners   # after a reinstall: the partners' next endpoints are approved at once",
    "plsctl expose web -n shop --visibility 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d --auto-approve 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    "plsctl expose api --internal-subnet pls-lb-subnet --recreate-pls   # new alias: tell the partners it names",
  ],
});
