/** `plsctl netpol <service>`: a NetworkPolicy admitting only the Private Link NAT IPs to the Service's pods. */
import { Option } from "@commander-js/extra-typings";
import { ExitCode } from "../domain/errors.js";
import { FLAVORS } from "../domain/netpol.js";
import { defineCommand } from "./declare.js";
import { clusterOf, collect, withClusterOptions } from "./options.js";

export const netpol = defineCommand({
  name: "netpol",
  summary: "a NetworkPolicy that admits only the Private Link NAT IPs to a Service's pods",
  description:
    "Print (or --apply) a policy for the pods behind the Service: ingress only on its target ports, only " +
    "from its Private Link Service's NAT IPs (where partner traffic comes from, not the partner's own " +
    "CIDR) plus each --allow-cidr. YAML by default, ready for `kubectl apply -f -`.",
  declare: (c) =>
    withClusterOptions(
      c
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
        ),
    ),
  input: ({ args: [service], opts }) => ({
    service,
    flavor: opts.flavor,
    name: opts.name,
    allowCidrs: opts.allowCidr,
    apply: Boolean(opts.apply),
    force: Boolean(opts.force),
    ...clusterOf(opts),
  }),
  async run(ctx, input) {
    const { policy } = await (await import("../flows/netpol.js")).runNetpol(ctx, input);
    ctx.report.info(
      "Note: every partner's traffic arrives from the same NAT IPs, so no CIDR tells one partner from another; " +
        "to tell them apart, enable proxy protocol v2 (plsctl expose --proxy-protocol) and read the private endpoint's link id in the application.",
    );
    // The manifest is the result in every format: YAML unless -o json.
    return policy;
  },
  render: async () => (await import("../output/format.js")).yamlRenderer(),
  notes: `
The pods see the NAT IPs only with externalTrafficPolicy: Local (plsctl warns otherwise, and --apply
refuses unless --force: such a policy would cut the partners off).`,
  exitCodes: [
    [ExitCode.Ok, "the policy was printed (and with --apply, created, replaced or already matching)"],
    [
      ExitCode.Usage,
      "bad flags, or --apply of a policy that would block the partners (externalTrafficPolicy not Local) without --force",
    ],
    [
      ExitCode.NotFound,
      "the Service has no Private Link Service yet, or (--flavor cilium --apply) the cluster does not serve cilium.io/v2",
    ],
  ],
  json: `// the manifest itself (YAML by default): a networking.k8s.io/v1 NetworkPolicy or a cilium.io/v2 CiliumNetworkPolicy
{
  apiVersion: string; kind: "NetworkPolicy" | "CiliumNetworkPolicy";
  metadata: { name, namespace: string; labels, annotations: Record<string, string> };
  spec: object;   // pods of the Service's selector; ingress on its target ports from the NAT IPs and each --allow-cidr
}`,
  examples: [
    "plsctl netpol sample-app | kubectl apply -f -",
    "plsctl netpol web -n shop --apply --allow-cidr 10.240.0.0/16",
    "plsctl netpol web --flavor cilium -o json",
  ],
});
