/** `plsctl demo`: the whole walkthrough, each step as the right person, on a sandbox of its own. */
import { ExitCode } from "../domain/errors.js";
import { shellArg } from "../domain/shell.js";
import { defineCommand } from "./declare.js";

export const demo = defineCommand({
  name: "demo",
  summary: "run the whole walkthrough (expose, connect, approve, reach the app) on its own sandbox",
  description:
    "Starts a private sandbox (Azure Resource Manager, Kubernetes API, AKS controller, the partner's network — all local) and runs the walkthrough with the real commands, each as the right person: the cluster operator deploys the sample app and exposes it, the partner connects (Pending), the provider's CI approves, the partner sees the private IP and DNS name, and an HTTP request from the partner's VNet reaches the app. Prints each step's command lines and output as a tutorial; -o json gives each step's result. Nothing outside this machine is touched.",
  declare: (c) =>
    c
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
      ),
  input: ({ opts }) => ({
    stateDir: opts.stateDir,
    realistic: Boolean(opts.realistic),
    world: opts.world,
    ...(opts.proxyProtocol ? { proxyProtocol: true } : {}),
  }),
  run: async (ctx, input) => (await import("../flows/demo.js")).runDemo(ctx, input),
  render: async () => {
    const { renderDemo } = await import("../output/demo.js");
    return (r, colors, ctx) => renderDemo(r, colors, ctx.env.cli);
  },
  interruptHint: (input, ctx) =>
    input.stateDir
      ? `The demo's sandbox state stays in ${input.stateDir}: start it with ${ctx.env.cli} sandbox up --state-dir ${shellArg(input.stateDir)}, or run ${ctx.env.cli} demo again.`
      : `The demo's throwaway sandbox and its temporary directory are gone: run ${ctx.env.cli} demo again.`,
  exitCodes: [
    [ExitCode.Ok, "every step of the walkthrough worked"],
    [ExitCode.Failed, "a step failed: its command line and error are printed"],
    [ExitCode.Interrupted, "interrupted (Ctrl-C): the throwaway sandbox is removed"],
  ],
  examples: [
    "plsctl demo",
    "plsctl demo --world examples/landing-zone.yaml",
    "plsctl demo --proxy-protocol",
    "plsctl demo -o json | jq .verify",
  ],
});
