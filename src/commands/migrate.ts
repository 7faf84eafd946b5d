/** `plsctl migrate <service> --to-context <ctx>`: the exposure and its partners onto another cluster. */
import { parseDuration } from "../domain/duration.js";
import { ExitCode, usageError } from "../domain/errors.js";
import { defineCommand } from "./declare.js";

export const migrate = defineCommand({
  name: "migrate",
  summary: "move a Service's Private Link exposure to another cluster, partners included (blue/green)",
  description:
    "Expose the same Service on the cluster of --to-context with the same azure-pls-* settings (checked " +
    "before anything is written, as expose does), put the partners recorded on this cluster on the new " +
    "PLS's visibility and auto-approval, and report where each partner is connected: old only, both, " +
    "new only. --finish removes the old exposure once every recorded partner is on the new one. Safe to re-run.",
  declare: (c) =>
    c
      .argument("<service>", "name of the Service (in --namespace), on both clusters")
      .requiredOption("--to-context <context>", "kubeconfig context of the target cluster")
      .option("--finish", "remove the old exposure (unexpose on the source) once every partner moved")
      .option("--force", "with --finish: also when partners are still on the old one only (they lose access)")
      .option("--timeout <duration>", "how long to wait for the new PLS", "10m"),
  input: ({ args: [service], opts }) => {
    if (opts.force && !opts.finish) throw usageError("--force goes with --finish.");
    return {
      service,
      toContext: opts.toContext,
      finish: Boolean(opts.finish),
      force: Boolean(opts.force),
      timeoutMs: parseDuration(opts.timeout, "--timeout"),
    };
  },
  run: async (ctx, input) => (await import("../flows/migrate.js")).runMigrate(ctx, input),
  render: async () => (await import("../output/migrate.js")).renderMigrate,
  exitCodes: [
    [ExitCode.Ok, "the Service is exposed on the target (with --finish: the old exposure is gone)"],
    [ExitCode.Failed, "Azure, Kubernetes or the AKS controller failed: re-run to resume"],
    [
      ExitCode.Usage,
      "bad flags, the same cluster twice, or --finish while partners have not moved: nothing was changed",
    ],
    [ExitCode.NotFound, "the Service, or its Private Link Service on the source, does not exist"],
    [ExitCode.Timeout, "the new PLS did not appear within --timeout: re-run to wait again"],
  ],
  json: `{
  service: { namespace, name }
  from, to: { context: string; plsId: string | null; alias: string | null }
  partners: { subscription: string; endpoints: string[]; on: "old" | "new" | "both" | "none" }[]
  restored: string[]; messages: { subscription, endpoint, message }[]; finished: boolean
}`,
  examples: [
    "plsctl migrate sample-app --to-context aks-green",
    "plsctl migrate sample-app --to-context aks-green -o json | jq '.partners[] | select(.on != \"new\")'",
    "plsctl migrate sample-app --to-context aks-green --finish",
  ],
});
