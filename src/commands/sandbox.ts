import { Option } from "@commander-js/extra-typings";
import { usageError } from "../domain/errors.js";
import type { RootCommand } from "./index.js";
import { contextFor, type Runtime } from "./runtime.js";
import { registerSandboxRequests } from "./sandbox-requests.js";

const STATE_DIR_HELP = "state directory (default: PLSCTL_SANDBOX_DIR, else ~/.cache/plsctl/sandbox)";

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export function registerSandbox(program: RootCommand, runtime: Runtime): void {
  const sandbox = program
    .command("sandbox")
    .summary("run Azure Resource Manager, a Kubernetes API and the AKS controller locally")
    .description(
      "The sandbox: local emulators of Azure Resource Manager and of the Kubernetes API, plus a simulated AKS cloud controller, speaking the real wire protocols. plsctl, kubectl and other ARM clients work against it unchanged — try plsctl, or test CI scripts, without an Azure subscription.",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox up                                  # terminal 1 (Ctrl-C stops it; state is kept)
  eval "$(plsctl sandbox env)"                       # terminal 2: act as the cluster operator
  kubectl apply -f examples/sample-app.yaml && plsctl expose sample-app
  plsctl sandbox reset                               # back to the default world`,
    );

  sandbox
    .command("up")
    .summary("start the sandbox in the foreground")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox up                                  # state in ~/.cache/plsctl/sandbox; Ctrl-C stops it
  plsctl sandbox up --state-dir /tmp/sb --world my-world.yaml
  plsctl sandbox up --provisioning-delay 30s --lro-delay 5s   # AKS-like timing`,
    )
    .option("--state-dir <dir>", STATE_DIR_HELP)
    .option(
      "--world <file>",
      "YAML/JSON world to start a new sandbox with (tenants, subscriptions, cluster, VNets)",
    )
    .option("--arm-port <port>", "port for Azure Resource Manager (default: the last one, else any free)")
    .option("--kube-port <port>", "port for the Kubernetes API (default: the last one, else any free)")
    .option("--lro-delay <duration>", "how long Azure long-running operations take", "0s")
    .option(
      "--provisioning-delay <duration>",
      "how long Azure takes per load balancer / PLS change (Updating meanwhile; the AKS controller waits)",
      "0s",
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxUp, stateDirOf }, { parseDuration }, { renderUp }] = await Promise.all([
        import("../flows/sandbox.js"),
        import("../domain/duration.js"),
        import("../output/sandbox.js"),
      ]);
      const port = (v: string | undefined, flag: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) {
          throw usageError(`${flag} ${JSON.stringify(v)} is not a port number (1-65535).`);
        }
        return n;
      };
      const stateDir = stateDirOf(ctx, opts.stateDir);
      await sandboxUp(ctx, {
        stateDir,
        world: opts.world,
        armPort: port(opts.armPort, "--arm-port"),
        kubePort: port(opts.kubePort, "--kube-port"),
        lroDelayMs: parseDuration(opts.lroDelay, "--lro-delay", true),
        provisioningDelayMs: parseDuration(opts.provisioningDelay, "--provisioning-delay", true),
        onReady: (rt) => ctx.stdout.write(renderUp(rt, ctx.colors, stateDir.flag)),
      });
    });

  sandbox
    .command("env")
    .summary("print export lines that point plsctl and kubectl at the running sandbox")
    .addHelpText(
      "after",
      `
Examples:
  eval "$(plsctl sandbox env)"                       # act as the cluster operator
  eval "$(plsctl sandbox env --as partner)"          # act as the partner (other tenant)
  plsctl sandbox env --as ci -o json`,
    )
    .option("--state-dir <dir>", STATE_DIR_HELP)
    .addOption(
      new Option(
        "--as <identity>",
        "whose environment: provider (cluster operator), ci (provider CI), partner",
      ).default("provider"),
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxEnv, stateDirOf }, { writeResult }] = await Promise.all([
        import("../flows/sandbox.js"),
        import("../output/result.js"),
      ]);
      const result = await sandboxEnv(stateDirOf(ctx, opts.stateDir), opts.as);
      await writeResult(ctx, result, (r) =>
        [
          `# plsctl sandbox: ${r.displayName} (${r.identity})`,
          ...Object.entries(r.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
          ...r.unset.map((k) => `unset ${k}`),
          "",
        ].join("\n"),
      );
    });

  sandbox
    .command("status")
    .summary("show whether the sandbox runs, and where")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox status
  plsctl sandbox status --state-dir /tmp/sb -o json`,
    )
    .option("--state-dir <dir>", STATE_DIR_HELP)
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxStatus, stateDirOf }, { writeResult }, { renderStatus }] = await Promise.all([
        import("../flows/sandbox.js"),
        import("../output/result.js"),
        import("../output/sandbox.js"),
      ]);
      const stateDir = stateDirOf(ctx, opts.stateDir);
      await writeResult(ctx, await sandboxStatus(stateDir.path), (s, c) => renderStatus(s, c, stateDir.flag));
    });

  registerSandboxRequests(sandbox, runtime);

  sandbox
    .command("reset")
    .summary("restore the default world (or --world): every resource created since is gone")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox reset
  plsctl sandbox reset --world examples/world.yaml --state-dir /tmp/sb`,
    )
    .option("--state-dir <dir>", STATE_DIR_HELP)
    .option("--world <file>", "YAML/JSON world to reset to")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxReset, stateDirOf }, { writeResult }] = await Promise.all([
        import("../flows/sandbox.js"),
        import("../output/result.js"),
      ]);
      const { path: stateDir, flag } = stateDirOf(ctx, opts.stateDir);
      const result = await sandboxReset(ctx, stateDir, opts.world);
      await writeResult(ctx, { ...result, stateDir }, (r) =>
        r.running
          ? `The running sandbox was reset (${r.stateDir}).\n`
          : `Sandbox state reset (${r.stateDir}); it starts fresh with \`plsctl sandbox up${flag}\`.\n`,
      );
    });
}
