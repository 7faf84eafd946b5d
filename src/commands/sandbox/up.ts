/** `plsctl sandbox up`: the sandbox in the foreground; this command owns the process's signals. */
import { usageError } from "../../domain/errors.js";
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

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

export function registerSandboxUp(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("up")
    .summary("start the sandbox in the foreground")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox up                                  # state in ~/.cache/plsctl/sandbox; Ctrl-C stops it
  plsctl sandbox up --state-dir /tmp/sb --world my-world.yaml
  plsctl sandbox up --provisioning-delay 30s --lro-delay 5s   # AKS-like timing`,
    );
  withStateDir(declared)
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
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxUp, stateDirOf }, { parseDuration }, { renderUp }] = await Promise.all([
        import("../../flows/sandbox/index.js"),
        import("../../domain/duration.js"),
        import("../../output/sandbox.js"),
      ]);
      const stateDir = stateDirOf(ctx, opts.stateDir);
      await sandboxUp(ctx, {
        stateDir,
        world: opts.world,
        armPort: port(opts.armPort, "--arm-port"),
        kubePort: port(opts.kubePort, "--kube-port"),
        host: opts.host,
        proxyPort: port(opts.proxyPort, "--proxy-port"),
        lroDelayMs: parseDuration(opts.lroDelay, "--lro-delay", true),
        provisioningDelayMs: parseDuration(opts.provisioningDelay, "--provisioning-delay", true),
        onReady: (endpoints) => ctx.stdout.write(renderUp(endpoints, ctx.colors, stateDir)),
        pid: process.pid,
        onHangup,
      });
    });
}
