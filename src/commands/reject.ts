import { DESCRIPTION_FLAG, declareDecision, runDecision, SELECTION_HELP } from "./decide-options.js";
import type { Outcome } from "./execute.js";
import type { RootCommand } from "./program.js";
import type { Runtime } from "./runtime.js";

export function registerReject(
  program: RootCommand,
  runtime: Runtime,
  done: (outcome: Outcome) => void,
): void {
  declareDecision(program, "reject", "reject the selected Pending or Approved connections")
    .option(...DESCRIPTION_FLAG)
    .addHelpText(
      "after",
      `${SELECTION_HELP}
Reject acts on Pending and Approved connections; Rejected and Disconnected ones are skipped.
A Rejected connection cannot be approved later: the partner must recreate its endpoint.

Examples:
  plsctl reject sample-app --all-pending --message-match '^test'
  plsctl reject --pls pls-app.<guid>.westeurope.azure.privatelinkservice pe-old.1a2b --dry-run`,
    )
    .action(async (args, opts, command) => runDecision(runtime, "reject", args, opts, command, done));
}
