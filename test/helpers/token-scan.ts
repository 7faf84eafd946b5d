/**
 * The token scan: every token a sandbox issued (each ARM identity's, the admin's, the Kubernetes
 * API's), and a JWT's signature alone, searched for in any letter case — in captured output, and
 * in the files under a directory (what plsctl and the sandbox wrote), apart from the files whose
 * job is to hold them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { TOKENS_FILE } from "../../src/sandbox/arm/auth.js";

/** The state directory's files that hold tokens by design (0600, like ~/.kube/config). */
export const TOKEN_HOLDERS = new Set([TOKENS_FILE, "kube-token", "kubeconfig", "sandbox.json"]);

export function sandboxTokens(stateDir: string, kubeToken: string): string[] {
  const arm = JSON.parse(readFileSync(join(stateDir, TOKENS_FILE), "utf8")) as Record<string, string>;
  return [...Object.values(arm), kubeToken];
}

/** The tokens (or signatures) found in `text`, any case. */
export function leaks(text: string, tokens: string[]): string[] {
  const lower = text.toLowerCase();
  return tokens
    .flatMap((t) => [t, t.split(".")[2] ?? ""])
    .filter((s) => s.length >= 16 && lower.includes(s.toLowerCase()));
}

/** `file: token` for every leak in the files under `dir` (recursively), skipping `skip` names. */
export function fileLeaks(
  dir: string,
  tokens: string[],
  skip: ReadonlySet<string> = TOKEN_HOLDERS,
): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || skip.has(e.name)) continue;
    const path = join(e.parentPath, e.name);
    for (const l of leaks(readFileSync(path, "utf8"), tokens))
      out.push(`${relative(dir, path)}: ${l.slice(0, 8)}…`);
  }
  return out;
}
