/** The selection of approve/reject/remove from its flags: regex checked, policy file read and validated. */
import { readFile } from "node:fs/promises";
import type { Selection } from "../domain/decide.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import { type Policy, type PolicyCheckResult, policyCheckResult } from "../domain/policy.js";
import { parsePolicy } from "../domain/policy-parse.js";
import { GUID_PATTERN } from "../domain/policy-schema.js";

export interface SelectionFlags {
  names: string[];
  allPending: boolean;
  fromSubscriptions: string[];
  messageMatch?: string | undefined;
  policy?: string | undefined;
  enforce?: boolean;
  prune?: boolean;
}

export async function readPolicyFile(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new PlsctlError(
      `Cannot read policy file ${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}.`,
      {
        exitCode: code === "ENOENT" ? ExitCode.NotFound : ExitCode.Usage,
        code: "PolicyFileUnreadable",
        hint: "Pass the path of the policy YAML file (see plsctl policy schema).",
      },
    );
  }
  return parsePolicy(file, text);
}

/** `plsctl policy check`: the file read and validated (a PlsctlError lists every problem). */
export const checkPolicyFile = async (file: string): Promise<PolicyCheckResult> =>
  policyCheckResult(await readPolicyFile(file));

export async function readSelection(f: SelectionFlags): Promise<Selection> {
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
    policy: f.policy !== undefined ? await readPolicyFile(f.policy) : undefined,
    enforce: Boolean(f.enforce),
    prune: Boolean(f.prune),
  };
}
