import { Option } from "@commander-js/extra-typings";
import { FLAVORS } from "../domain/netpol.js";
import { collect, withClusterOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerNetpol(program: RootCommand, runtime: Runtime): void {
  const declared = program
    .command("netpol")
    .summary("a NetworkPolicy that admits only the Private Link NAT IPs to a Service's pods")
    .description(
      "Print (or --apply) a policy for the pods behind the Service: ingress only on its target ports, only " +
        "from its Private Link Service's NAT IPs (where partner traffic comes from, not the partner's own " +
        "CIDR) plus each --allow-cidr. YAML by default, ready for `kubectl apply -f -`.",
    )
    .argument("<service>", "name of the Service (in --namespace)")
    .option("--allow-cidr <cidr>", "also admit this IPv4 CIDR (repeatable)", collect, [] as string[])
    .option("--name <name>", "name of the policy (default: <service>-private-link)")
    .addOption(
      new Option("--flavor <flavor>", "networking.k8s.io NetworkPolicy, or Cilium's CiliumNetworkPolicy")
        .choices(FLAVORS)
        .default("kubernetes" as const),
    )
    .option("--apply", "create or replace it in the cluster (no write when it already matches)")
    .option(
      "--force",
      "with --apply: apply even a policy that would block the partners (externalTrafficPolicy not Local)",
    );
  withClusterOptions(declared)
    .addHelpText(
      "after",
      `
The pods see the NAT IPs only with externalTrafficPolicy: Local (plsctl warns otherwise, and --apply
refuses with exit 2 unless --force: such a policy would cut the partners off). Exits 3
when the Service has no Private Link Service yet, or (--flavor cilium --apply) the cluster does not
serve cilium.io/v2.

Examples:
  plsctl netpol sample-app | kubectl apply -f -
  plsctl netpol web -n shop --apply --allow-cidr 10.240.0.0/16
  plsctl netpol web --flavor cilium -o json`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runNetpol }, { renderJson, renderYaml }] = await Promise.all([
        import("../flows/netpol.js"),
        import("../output/format.js"),
      ]);
      const { policy } = await runNetpol(ctx, {
        service,
        flavor: opts.flavor,
        name: opts.name,
        allowCidrs: opts.allowCidr,
        apply: Boolean(opts.apply),
        force: Boolean(opts.force),
        cluster: opts.cluster,
        clusterResourceGroup: opts.clusterResourceGroup,
      });
      ctx.report.info(
        "Note: every partner's traffic arrives from the same NAT IPs, so no CIDR tells one partner from another; " +
          "to tell them apart, enable proxy protocol v2 (plsctl expose --proxy-protocol) and read the private endpoint's link id in the application.",
      );
      ctx.report.stop();
      // The manifest is the result in every format: YAML unless -o json.
      ctx.stdout.write(ctx.globals.output === "json" ? renderJson(policy) : await renderYaml(policy));
    });
}
