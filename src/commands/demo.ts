/** `plsctl demo`: the whole walkthrough, each step as the right person, on a sandbox of its own. */
import type {
  DemoActor,
  DemoProxyProtocol,
  DemoResult,
  DemoStep,
  DemoStepId,
  DemoVerify,
} from "../domain/demo.js";
import { ExitCode } from "../domain/errors.js";
import { shellArg } from "../domain/shell.js";
import { defineCommand } from "./declare.js";
import { jsonShape, jsonSketch, literals, optional } from "./json-sketch.js";

const ACTORS = literals<DemoActor>({
  you: true,
  "cluster operator": true,
  "provider CI": true,
  partner: true,
});
const STEP_IDS = literals<DemoStepId>({
  sandbox: true,
  deploy: true,
  expose: true,
  connect: true,
  approve: true,
  connected: true,
  verify: true,
});

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
  json: jsonSketch(
    jsonShape<DemoResult>("Demo", {
      stateDir: [
        "string | null",
        "--state-dir; null for the temporary directory (removed when the demo ends)",
      ],
      deployed: "Array<{ kind: string; name: string; created: boolean }>",
      expose: ["Expose", "the document of plsctl expose -o json"],
      connect: ["Connect", "the partner's first connect (plsctl connect -o json): Pending"],
      approve: ["Approve", "the document of plsctl approve -o json"],
      connected: ["Connect", "the same connect after the approval: Approved, with its IP and DNS name"],
      verify: "Verify",
      steps: ["Step[]", "who did what, with the command lines (runnable against plsctl sandbox up)"],
    }),
    jsonShape<DemoVerify>("Verify", {
      url: "string",
      proxy: ["string", "the partner network's proxy, the partner's VNet as user part (no secret)"],
      reached: ["boolean", "plsctl verify reached the app"],
      status: ["number | null", "the HTTP status of GET /; null when no answer came"],
      cause: ["string | null", "why it was not reached"],
      sourceIp: ["string | null", "the source address the pod saw"],
      sourceKind: [
        literals<DemoVerify["sourceKind"]>({ "nat-ip": true, "node-ip": true, other: true }),
        "a NAT IP of the PLS, or the node that forwarded it (externalTrafficPolicy: Cluster)",
      ],
      pod: "string | null",
      node: "string | null",
      title: ["string | null", "the page's <title>"],
      proxyProtocol: optional("ProxyProtocol", "with --proxy-protocol"),
    }),
    jsonShape<DemoProxyProtocol>("ProxyProtocol", {
      linkIdentifier: ["string | null", "the link id the app read; null when no header came"],
      privateEndpointName: ["string | null", "the connection with that link id: its endpoint"],
      requesterSubscription: ["string | null", "…and the partner's subscription"],
    }),
    jsonShape<DemoStep>("Step", {
      id: STEP_IDS,
      actor: ACTORS,
      commands: ["string[]", "the command lines, runnable as printed"],
    }),
  ),
  examples: [
    "plsctl demo",
    "plsctl demo --world examples/landing-zone.yaml",
    "plsctl demo --proxy-protocol",
    "plsctl demo -o json | jq .verify",
  ],
});
