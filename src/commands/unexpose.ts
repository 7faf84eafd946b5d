/** `plsctl unexpose <service>`: remove the Service's Private Link Service, its connections and annotations. */
import { ExitCode } from "../domain/errors.js";
import { defineCommand } from "./declare.js";
import { clusterOf, withClusterOptions } from "./options.js";

export const unexpose = defineCommand({
  name: "unexpose",
  summary: "remove a Service's Private Link Service (AKS does not, when the annotation goes)",
  description:
    "Remove the azure-pls-* and plsctl.io/* annotations, the private endpoint connections and the " +
    "Private Link Service this Service owns (never another Service's), and wait until it is gone. " +
    "Refuses while connections exist unless --force. Safe to re-run.",
  declare: (c) =>
    withClusterOptions(
      c
        .argument("<service>", "name of the Service (in --namespace)")
        .option("--force", "also when partners are connected (they lose access)"),
    ),
  input: ({ args: [service], opts }) => ({ service, force: Boolean(opts.force), ...clusterOf(opts) }),
  run: async (ctx, input) => (await import("../flows/unexpose.js")).runUnexpose(ctx, input),
  render: async () => (await import("../output/pls.js")).renderUnexpose,
  exitCodes: [
    [ExitCode.Ok, "the exposure is gone (or was already)"],
    [ExitCode.Failed, "Azure or Kubernetes failed: re-run to resume"],
    [ExitCode.Usage, "partners are still connected and --force was not given: nothing was changed"],
    [ExitCode.NotFound, "the Service does not exist"],
  ],
  json: `{
  service: { namespace, name }; removedAnnotations: string[]
  pls: { name, id } | null; deletedConnections: Connection[]; plsDeleted: boolean; changed: boolean
}`,
  examples: ["plsctl unexpose sample-app", "plsctl unexpose web -n shop --force -o json"],
});
