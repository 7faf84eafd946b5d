/** `plsctl remove`: delete the selected connections (the partner's endpoint becomes Disconnected). */
import { Option } from "@commander-js/extra-typings";
import {
  DECISION,
  DESCRIPTION_FLAG,
  decisionInput,
  declareDecision,
  SELECTION_NOTES,
} from "./decide-options.js";
import { defineCommand } from "./declare.js";

export const remove = defineCommand({
  name: "remove",
  summary: "remove the selected connections (the partner's endpoint becomes Disconnected)",
  // --description is taken only to be refused clearly (a removal writes none), not offered in the help.
  declare: (c) => declareDecision(c).addOption(new Option(...DESCRIPTION_FLAG).hideHelp()),
  input: ({ args: [args], opts }) => decisionInput("remove", args, opts),
  ...DECISION,
  notes: `${SELECTION_NOTES}

Remove deletes the connection, whatever its state; the partner's private endpoint stays,
Disconnected, until the partner deletes it.`,
  examples: [
    "plsctl remove sample-app pe-fabrikam.3f2a1b0c",
    "plsctl remove --all --from-subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d --dry-run",
  ],
});
