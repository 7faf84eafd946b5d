/**
 * Commander's usage errors as plsctl shows them: one line pointing at the failing command's help,
 * and — since commander failed before it could tell us — the output format read from argv by hand,
 * so `-o json` still gets its JSON error document.
 */
import { ExitCode } from "../domain/errors.js";
import type { OutputFormat } from "./format.js";

/** "plsctl sandbox env" for the sandbox env command: the words a user types. */
export function commandPath(command: { name(): string; parent: unknown }): string {
  const names: string[] = [];
  for (let c: typeof command | null = command; c; c = c.parent as typeof command | null)
    names.unshift(c.name());
  return names.join(" ");
}

/** "See 'plsctl x --help'.", the command as the user ran plsctl (`npx plsctl` under npx). */
export const helpPointer = (path: string, cli = "plsctl"): string =>
  `See '${path.replace(/^plsctl\b/, cli)} --help'.`;

/** Commander's message ("error: unknown option '--x'\n(Did you mean --y?)") as one sentence. */
export function usageMessage(commanderMessage: string): string {
  const [first = "", ...rest] = commanderMessage.replace(/^error: /, "").split("\n");
  const suggestion = rest.join(" ").match(/\(Did you mean (.+)\?\)/);
  return `${first.replace(/\.$/, "")}${suggestion ? ` — did you mean ${suggestion[1]}?` : "."}`;
}

export interface UsageErrorDocument {
  error: { code: string; message: string; hint: string; exitCode: number };
}

export function usageErrorDocument(message: string, path: string, cli = "plsctl"): UsageErrorDocument {
  return { error: { code: "InvalidInput", message, hint: helpPointer(path, cli), exitCode: ExitCode.Usage } };
}

/** Optimal string alignment distance (edits and adjacent transpositions), for short words. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The output format argv asks for, read the way commander would (`-o F`, `-oF`, `--output F`,
 * `--output=F`, the last one wins, nothing after `--`). Only for when commander itself failed.
 * A mistyped value one edit away from `json` (`jsno`, `JSON`, `jsn`) counts as json: whoever typed
 * it reads stdout as JSON, and an error document is what their parser can use.
 */
export function outputFormatFromArgv(argv: readonly string[]): OutputFormat | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (arg === "-o" || arg === "--output") {
      value = argv[i + 1];
      i++;
    } else if (arg.startsWith("--output=")) {
      value = arg.slice("--output=".length);
    } else if (/^-o[^-]/.test(arg)) {
      value = arg.slice(2).replace(/^=/, "");
    }
  }
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === "table" || v === "yaml") return v;
  if (v === "json" || editDistance(v, "json") <= 1) return "json";
  return undefined;
}
