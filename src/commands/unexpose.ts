import { withClusterOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerUnexpose(program: RootCommand, runtime: Runtime): void {
  const declared = program
    .command("unexpose")
    .summary("remove a Service's Private Link Service (AKS does not, when the annotation goes)")
    .description(
      "Remove the azure-pls-* and plsctl.io/* annotations, the private endpoint connections and the " +
        "Private Link Service this Service owns (never another Service's), and wait until it is gone. " +
        "Refuses while connections exist unless --force. Safe to re-run.",
    )
    .argument("<service>", "name of the Service (in --namespace)")
    .option("--force", "also when partners are connected (they lose access)");
  withClusterOptions(declared)
    .addHelpText(
      "after",
      `
Examples:
  plsctl unexpose sample-app
  plsctl unexpose web -n shop --force -o json`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runUnexpose }, { renderUnexpose }, { writeResult }] = await Promise.all([
        import("../flows/unexpose.js"),
        import("../output/pls.js"),
        import("../output/result.js"),
      ]);
      const result = await runUnexpose(ctx, {
        service,
        force: Boolean(opts.force),
        cluster: opts.cluster,
        clusterResourceGroup: opts.clusterResourceGroup,
      });
      await writeResult(ctx, result, renderUnexpose);
    });
}
