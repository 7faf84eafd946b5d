import { Option } from "@commander-js/extra-typings";
import { DESCRIPTION_FLAG, declareDecision, runDecision, SELECTION_HELP } from "./decide-options.js";
import type { Outcome } from "./execute.js";
import type { RootCommand } from "./program.js";
import type { Runtime } from "./runtime.js";

export function registerRemove(
  program: RootCommand,
  runtime: Runtime,
  done: (outcome: Outcome) => void,
): void {
  declareDecision(
    program,
    "remove",
    "remove the selected connections (the partner's endpoint becomes Disconnected)",
  )
    // Taken only to be refused clearly (a removal writes no description), not offered in the help.
    .addOption(new Option(...DESCRIPTION_FLAG).hideHelp())
    .addHelpText(
      "after",
      `${SELECTION_HELP}
Remove deletes the connection, whatever its state; the partner's private endpoint stays,
Disconnected, until the partner deletes it.

Examples:
  plsctl remove sample-app pe-fabrikam.3f2a1b0c
  plsctl remove --all --from-subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d --dry-run`,
    )
    .action(async (args, opts, command) => runDecision(runtime, "remove", args, opts, command, done));
}
