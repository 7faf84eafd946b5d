import { shellArg } from "../domain/shell.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerDemo(program: RootCommand, runtime: Runtime): void {
  program
    .command("demo")
    .summary("run the whole walkthrough (expose, connect, approve, reach the app) on its own sandbox")
    .description(
      "Starts a private sandbox (Azure Resource Manager, Kubernetes API, AKS controller, the partner's network — all local) and runs the walkthrough with the real commands, each as the right person: the cluster operator deploys the sample app and exposes it, the partner connects (Pending), the provider's CI approves, the partner sees the private IP and DNS name, and an HTTP request from the partner's VNet reaches the app. Prints each step's command lines and output as a tutorial; -o json gives each step's result. Nothing outside this machine is touched.",
    )
    .option("--realistic", "AKS-like delays (the controller takes ~30 s per Private Link Service)")
    .option(
      "--proxy-protocol",
      "expose with PROXY protocol v2 on: the app reads the partner's link id, the provider names the partner from it",
    )
    .option(
      "--state-dir <dir>",
      "keep the sandbox state here (default: a temporary directory, removed after)",
    )
    .option(
      "--world <file>",
      "run the walkthrough on this YAML/JSON world (e.g. examples/landing-zone.yaml) instead of the default one",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  plsctl demo\n  plsctl demo --world examples/landing-zone.yaml\n  plsctl demo --proxy-protocol\n  plsctl demo -o json | jq .verify",
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      runtime.interruptHint = opts.stateDir
        ? `The demo's sandbox state stays in ${opts.stateDir}: start it with ${ctx.env.cli} sandbox up --state-dir ${shellArg(opts.stateDir)}, or run ${ctx.env.cli} demo again.`
        : `The demo's throwaway sandbox and its temporary directory are gone: run ${ctx.env.cli} demo again.`;
      const [{ runDemo }, { renderDemo }, { writeResult }] = await Promise.all([
        import("../flows/demo.js"),
        import("../output/demo.js"),
        import("../output/result.js"),
      ]);
      const result = await runDemo(ctx, {
        stateDir: opts.stateDir,
        realistic: Boolean(opts.realistic),
        world: opts.world,
        ...(opts.proxyProtocol ? { proxyProtocol: true } : {}),
      });
      await writeResult(ctx, result, (r, c) => renderDemo(r, c, ctx.env.cli));
    });
}
