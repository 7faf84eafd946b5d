import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerDemo(program: RootCommand, runtime: Runtime): void {
  program
    .command("demo")
    .summary("run the provider's job end to end on a throwaway sandbox")
    .description(
      "Starts a private sandbox (Azure Resource Manager, Kubernetes API, AKS controller — all local), deploys the walkthrough's sample app, exposes it through a Private Link Service and prints what a partner needs. Nothing outside this machine is touched.",
    )
    .option("--realistic", "AKS-like delays (the controller takes ~30 s per Private Link Service)")
    .option(
      "--state-dir <dir>",
      "keep the sandbox state here (default: a temporary directory, removed after)",
    )
    .addHelpText("after", "\nExamples:\n  plsctl demo\n  plsctl demo --realistic -o json")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runDemo }, { renderExpose }, { writeResult }] = await Promise.all([
        import("../flows/demo.js"),
        import("../output/pls.js"),
        import("../output/result.js"),
      ]);
      const result = await runDemo(ctx, { stateDir: opts.stateDir, realistic: Boolean(opts.realistic) });
      await writeResult(ctx, result, (r, c) => renderExpose(r.expose, c));
    });
}
