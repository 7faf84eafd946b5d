import { withClusterOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerStatus(program: RootCommand, runtime: Runtime): void {
  const declared = program
    .command("status")
    .summary("show a Service's Private Link Service, its connections and recent warnings")
    .argument("<service>", "name of the Service (in --namespace)");
  withClusterOptions(declared)
    .addHelpText(
      "after",
      `
Exits 3 when the Service has no Private Link Service.

Examples:
  plsctl status sample-app
  plsctl status web -n shop -o json | jq '.connections[] | select(.status == "Pending")'`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runStatus }, { renderStatus }, { writeResult }] = await Promise.all([
        import("../flows/status.js"),
        import("../output/pls.js"),
        import("../output/result.js"),
      ]);
      const result = await runStatus(ctx, {
        service,
        cluster: opts.cluster,
        clusterResourceGroup: opts.clusterResourceGroup,
      });
      for (const w of result.policyWarnings) ctx.report.warn(w.message, `Fix: ${w.fix}`);
      const now = ctx.clock.now();
      await writeResult(ctx, result, (r, c) => renderStatus(r, c, now));
    });
}
