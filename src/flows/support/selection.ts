/** The selection of approve/reject/remove: its policy file read and validated (the flags are checked in domain/selection.ts). */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Selection } from "../../domain/decide.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { type Policy, type PolicyCheckResult, policyCheckResult } from "../../domain/policy.js";
import { parsePolicy } from "../../domain/policy-parse.js";
import { parseSelection, type SelectionFlags, type SelectionInput } from "../../domain/selection.js";

export interface ReadSelectionFlags extends SelectionFlags {
  /** PLSCTL_POLICY_REVISION (e.g. a git SHA): written instead of the file's content hash. */
  policyRevision?: string | undefined;
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
  const revision = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return { ...parsePolicy(file, text), revision };
}

/** PLSCTL_POLICY_REVISION as written into descriptions: letters, digits, `._-`, at most 40. */
function checkRevision(rev: string): string {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(rev))
    throw usageError(
      `PLSCTL_POLICY_REVISION ${JSON.stringify(rev)} is not a revision: letters, digits, '.', '_' and '-', at most 40 characters.`,
      "Set it to a git SHA or a tag (its first 12 characters are written), or unset it to use the policy file's content hash.",
    );
  return rev;
}

/** `plsctl policy check`: the file read and validated (a PlsctlError lists every problem). */
export const checkPolicyFile = async (file: string): Promise<PolicyCheckResult> =>
  policyCheckResult(await readPolicyFile(file));

async function policyAt(file: string, rev: string | undefined): Promise<Policy> {
  const revision = rev !== undefined ? checkRevision(rev) : undefined;
  const p = await readPolicyFile(file);
  return revision ? { ...p, revision } : p;
}

/** The selection with its policy file read and validated (`policyRevision`: PLSCTL_POLICY_REVISION). */
export async function loadSelection(
  s: SelectionInput,
  policyRevision: string | undefined,
): Promise<Selection> {
  const { policyFile, ...rest } = s;
  return {
    ...rest,
    policy: policyFile !== undefined ? await policyAt(policyFile, policyRevision) : undefined,
  };
}

/** The flags checked (domain/selection.ts), then the policy file read. */
export const readSelection = (f: ReadSelectionFlags): Promise<Selection> =>
  loadSelection(parseSelection(f), f.policyRevision);
