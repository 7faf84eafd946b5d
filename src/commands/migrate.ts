import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerMigrate(program: RootCommand, runtime: Runtime): void {
  program
    .command("migrate")
    .summary("move a Service's Private Link exposure to another cluster, partners included (blue/green)")
    .description(
      "Expose the same Service on the cluster of --to-context with the same azure-pls-* settings (checked " +
        "before anything is written, as expose does), put the partners recorded on this cluster on the new " +
        "PLS's visibility and auto-approval, and report where each partner is connected: old only, both, " +
        "new only. --finish removes the old exposure once every recorded partner is on the new one. Safe to re-run.",
    )
    .argument("<service>", "name of the Service (in --namespace), on both clusters")
    .requiredOption("--to-context <context>", "kubeconfig context of the target cluster")
    .option("--finish", "remove the old exposure (unexpose on the source) once every partner moved")
    .option("--force", "with --finish: also when partners are still on the old one only (they lose access)")
    .option("--timeout <duration>", "how long to wait for the new PLS", "10m")
    .addHelpText(
      "after",
      `
Examples:
  plsctl migrate sample-app --to-context aks-green
  plsctl migrate sample-app --to-context aks-green -o json | jq '.partners[] | select(.on != "new")'
  plsctl migrate sample-app --to-context aks-green --finish`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runMigrate }, { parseDuration }, { renderMigrate }, { writeResult }, { usageError }] =
        await Promise.all([
          import("../flows/migrate.js"),
          import("../domain/duration.js"),
          import("../output/migrate.js"),
          import("../output/result.js"),
          import("../domain/errors.js"),
        ]);
      if (opts.force && !opts.finish) throw usageError("--force goes with --finish.");
      const result = await runMigrate(ctx, {
        service,
        toContext: opts.toContext,
        finish: Boolean(opts.finish),
        force: Boolean(opts.force),
        timeoutMs: parseDuration(opts.timeout, "--timeout"),
      });
      await writeResult(ctx, result, renderMigrate);
    });
}
