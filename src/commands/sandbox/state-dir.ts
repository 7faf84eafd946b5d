/** `--state-dir <dir>`, which every sandbox command takes, and the directory it names. */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { StateDir } from "../../flows/sandbox/index.js";
import type { CommandContext } from "../runtime.js";

export function withStateDir<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
) {
  return command.option(
    "--state-dir <dir>",
    "state directory (default: PLSCTL_SANDBOX_DIR, else ~/.cache/plsctl/sandbox)",
  );
}

/**
 * The state directory `--state-dir` names, else PLSCTL_SANDBOX_DIR, else the default, and how a
 * printed command names it. It reads the environment, so `run` (and a renderer) asks, not `input`.
 */
export async function stateDirIn(ctx: CommandContext, given: string | undefined): Promise<StateDir> {
  return (await import("../../flows/sandbox/index.js")).stateDirOf(ctx, given);
}
