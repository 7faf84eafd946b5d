/** `plsctl reject`: reject the selected Pending or Approved connections. */
import {
  DECISION,
  DESCRIPTION_FLAG,
  decisionInput,
  declareDecision,
  SELECTION_NOTES,
} from "./decide-options.js";
import { defineCommand } from "./declare.js";

export const reject = defineCommand({
  name: "reject",
  summary: "reject the selected Pending or Approved connections",
  declare: (c) => declareDecision(c).option(...DESCRIPTION_FLAG),
  input: ({ args: [args], opts }) => decisionInput("reject", args, opts),
  ...DECISION,
  notes: `${SELECTION_NOTES}

Reject acts on Pending and Approved connections; Rejected and Disconnected ones are skipped.
A Rejected connection cannot be approved later: the partner must recreate its endpoint.`,
  examples: [
    "plsctl reject sample-app --all-pending --message-match '^test'",
    "plsctl reject --pls pls-app.<guid>.westeurope.azure.privatelinkservice pe-old.1a2b --dry-run",
  ],
});
