/** `plsctl sandbox reset`: back to the default world (or --world), running or not. */
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

/** Asks the running sandbox (another process) to reset: it does on SIGHUP. */
const hangUp = (pid: number) => process.kill(pid, "SIGHUP");

export function registerSandboxReset(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("reset")
    .summary("restore the default world (or --world): every resource created since is gone")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox reset
  plsctl sandbox reset --world examples/world.yaml --state-dir /tmp/sb`,
    );
  withStateDir(declared)
    .option("--world <file>", "YAML/JSON world to reset to")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxReset, stateDirOf }, { writeResult }] = await Promise.all([
        import("../../flows/sandbox/index.js"),
        import("../../output/result.js"),
      ]);
      const { path: stateDir, flag, cli } = stateDirOf(ctx, opts.stateDir);
      const result = await sandboxReset(ctx, { stateDir, world: opts.world, hangUp });
      await writeResult(ctx, { ...result, stateDir }, (r) =>
        r.running
          ? `The running sandbox was reset (${r.stateDir}).\n`
          : `Sandbox state reset (${r.stateDir}); it starts fresh with \`${cli} sandbox up${flag}\`.\n`,
      );
    });
}
