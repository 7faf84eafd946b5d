/** Human rendering of `plsctl doctor`: one line per check with a coloured status word, then its fix. */
import type { CheckStatus, DoctorResult } from "../domain/doctor.js";
import type { Colors } from "./colors.js";

const WORD: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };

export function renderDoctor(r: DoctorResult, c: Colors): string {
  const paint: Record<CheckStatus, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red };
  const width = Math.max(...r.checks.map((k) => k.id.length));
  // An API that did not answer: its cause once, then the checks it stopped on one line.
  const skipped = new Set(r.cause?.skipped ?? []);
  const cause = r.cause
    ? [
        `${c.red("FAIL")}  ${r.cause.message}`,
        `${" ".repeat(6)}${c.dim(`fix: ${r.cause.fix}`)}`,
        `${c.yellow("SKIP")}  ${r.cause.skipped.length} checks: ${r.cause.skipped.join(", ")}`,
      ]
    : [];
  const lines = r.checks
    .filter((k) => !skipped.has(k.id))
    .map((k) => {
      const head = `${paint[k.status](WORD[k.status])}  ${k.id.padEnd(width)}  ${k.detail}`;
      return k.fix && k.status !== "pass"
        ? `${head}\n${" ".repeat(width + 8)}${c.dim(`fix: ${k.fix}`)}`
        : head;
    });
  const count = (s: CheckStatus) => r.checks.filter((k) => k.status === s && !skipped.has(k.id)).length;
  const summary = `${count("pass")} passed, ${count("warn")} warning${count("warn") === 1 ? "" : "s"}, ${count("fail")} failed${skipped.size ? `, ${skipped.size} skipped` : ""}`;
  return `${[...cause, ...lines].join("\n")}\n${r.service ? `${r.service}: ` : "preflight: "}${summary}\n`;
}
