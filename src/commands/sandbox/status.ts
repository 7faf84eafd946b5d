/** `plsctl sandbox status`: whether a sandbox runs from the state directory, where, since when. */
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

export function registerSandboxStatus(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("status")
    .summary("show whether the sandbox runs, and where")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox status
  plsctl sandbox status --state-dir /tmp/sb -o json`,
    );
  withStateDir(declared).action(async (opts, command) => {
    const ctx = await contextFor(runtime, command);
    const [{ sandboxStatus, stateDirOf }, { writeResult }, { renderStatus }] = await Promise.all([
      import("../../flows/sandbox/index.js"),
      import("../../output/result.js"),
      import("../../output/sandbox.js"),
    ]);
    const stateDir = stateDirOf(ctx, opts.stateDir);
    await writeResult(ctx, await sandboxStatus(stateDir.path), (s, c) => renderStatus(s, c, stateDir));
  });
}
