/** `plsctl sandbox up`: the sandbox in the foreground; this command owns the process's signals. */
import { parseDuration } from "../../domain/duration.js";
import { ExitCode, usageError } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

const port = (v: string | undefined, flag: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw usageError(`${flag} ${JSON.stringify(v)} is not a port number (1-65535).`);
  }
  return n;
};

/** Runs `handler` on SIGHUP until the returned function is called. */
function onHangup(handler: () => void): () => void {
  process.on("SIGHUP", handler);
  return () => process.off("SIGHUP", handler);
}

export const up = defineCommand({
  name: "up",
  summary: "start the sandbox in the foreground",
  declare: (c) =>
    withStateDir(c)
      .option(
        "--world <file>",
        "YAML/JSON world to start a new sandbox with (tenants, subscriptions, cluster, VNets)",
      )
      .option("--arm-port <port>", "port for Azure Resource Manager (default: the last one, else any free)")
      .option("--kube-port <port>", "port for the Kubernetes API (default: the last one, else any free)")
      .option("--host <address>", "loopback address to listen on: 127.0.0.1 (default) or localhost")
      .option(
        "--proxy-port <port>",
        "port for the partner network proxy (default: the last one, else any free)",
      )
      .option("--lro-delay <duration>", "how long Azure long-running operations take", "0s")
      .option(
        "--provisioning-delay <duration>",
        "how long Azure takes per load balancer / PLS change (Updating meanwhile; the AKS controller waits)",
        "0s",
      ),
  input: ({ opts }) => ({
    stateDir: opts.stateDir,
    world: opts.world,
    armPort: port(opts.armPort, "--arm-port"),
    kubePort: port(opts.kubePort, "--kube-port"),
    host: opts.host,
    proxyPort: port(opts.proxyPort, "--proxy-port"),
    lroDelayMs: parseDuration(opts.lroDelay, "--lro-delay", true),
    provisioningDelayMs: parseDuration(opts.provisioningDelay, "--provisioning-delay", true),
  }),
  // Runs until Ctrl-C. It writes the endpoints itself once everything listens (whatever -o says),
  // and nothing after them: no renderer.
  async run(ctx, input) {
    const [{ sandboxUp }, { renderUp }] = await Promise.all([
      import("../../flows/sandbox/index.js"),
      import("../../output/sandbox.js"),
    ]);
    const stateDir = await stateDirIn(ctx, input.stateDir);
    return sandboxUp(ctx, {
      ...input,
      stateDir,
      onReady: (endpoints) => ctx.stdout.write(renderUp(endpoints, ctx.colors, stateDir)),
      pid: process.pid,
      onHangup,
    });
  },
  notes: `
Runs in the foreground until Ctrl-C (or SIGTERM); the state is kept for the next start. SIGHUP
resets it to its saved world (what \`plsctl sandbox reset\` sends).`,
  exitCodes: [
    [ExitCode.Ok, "stopped with Ctrl-C (or SIGTERM): the state is kept"],
    [ExitCode.Failed, "a sandbox already runs from the state directory"],
    [
      ExitCode.Usage,
      "bad flags, a port asked for that another program holds, a --host that is not loopback, or a --world file that is not a valid world",
    ],
  ],
  examples: [
    "plsctl sandbox up                                  # state in ~/.cache/plsctl/sandbox; Ctrl-C stops it",
    "plsctl sandbox up --state-dir /tmp/sb --world my-world.yaml",
    "plsctl sandbox up --provisioning-delay 30s --lro-delay 5s   # AKS-like timing",
  ],
});
