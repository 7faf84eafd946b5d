/**
 * The selection of approve/reject/remove as its flags give it, checked before anything is read
 * (a bad regex or subscription id is a usage error): pure. The policy file it names is read later,
 * by flows/support/selection.ts.
 */
import type { Selection } from "./decide.js";
import { usageError } from "./errors.js";
import { GUID_PATTERN } from "./policy-schema.js";

export interface SelectionFlags {
  names: string[];
  allPending: boolean;
  fromSubscriptions: string[];
  messageMatch?: string | undefined;
  policy?: string | undefined;
  enforce?: boolean;
  prune?: boolean;
}

/** A Selection whose policy is still the file that holds it. */
export interface SelectionInput extends Omit<Selection, "policy"> {
  /** The policy file (--policy), not read yet. */
  policyFile?: string | undefined;
}

export function parseSelection(f: SelectionFlags): SelectionInput {
  let messageMatch: RegExp | undefined;
  if (f.messageMatch !== undefined) {
    try {
      messageMatch = new RegExp(f.messageMatch);
    } catch (e) {
      throw usageError(
        `--message-match ${f.messageMatch} is not a valid regular expression: ${(e as Error).message}.`,
      );
    }
  }
  const guid = new RegExp(GUID_PATTERN);
  for (const s of f.fromSubscriptions) {
    if (!guid.test(s)) throw usageError(`--from-subscription ${s} is not a subscription id (a GUID).`);
  }
  return {
    names: f.names,
    allPending: f.allPending,
    fromSubscriptions: f.fromSubscriptions.map((s) => s.toLowerCase()),
    messageMatch,
    policyFile: f.policy,
    enforce: Boolean(f.enforce),
    prune: Boolean(f.prune),
  };
}
