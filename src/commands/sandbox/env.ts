/** `plsctl sandbox env`: export lines for one of the sandbox's identities (a credential by design). */
import { Option } from "@commander-js/extra-typings";
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

export function registerSandboxEnv(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("env")
    .summary("print export lines that point plsctl and kubectl at the running sandbox")
    .addHelpText(
      "after",
      `
Examples:
  eval "$(plsctl sandbox env)"                       # act as the cluster operator
  eval "$(plsctl sandbox env --as partner)"          # act as the partner (other tenant)
  plsctl sandbox env --as ci -o json`,
    );
  withStateDir(declared)
    .addOption(
      new Option(
        "--as <identity>",
        "whose environment: provider (cluster operator), ci (provider CI), partner",
      ).default("provider"),
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxEnv, stateDirOf }, { writeResult }, { renderEnv }] = await Promise.all([
        import("../../flows/sandbox/index.js"),
        import("../../output/result.js"),
        import("../../output/sandbox.js"),
      ]);
      const result = await sandboxEnv(stateDirOf(ctx, opts.stateDir), opts.as);
      await writeResult(ctx, result, renderEnv);
    });
}
