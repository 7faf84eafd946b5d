/** Human rendering of `plsctl doctor`: one line per check with a coloured status word, then its fix. */
import type { CheckStatus, DoctorResult } from "../domain/doctor.js";
import type { Colors } from "./colors.js";

const WORD: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };

export function renderDoctor(r: DoctorResult, c: Colors): string {
  const paint: Record<CheckStatus, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red };
  const width = Math.max(...r.checks.map((k) => k.id.length));
  const lines = r.checks.map((k) => {
    const head = `${paint[k.status](WORD[k.status])}  ${k.id.padEnd(width)}  ${k.detail}`;
    return k.fix && k.status !== "pass" ? `${head}\n${" ".repeat(width + 8)}${c.dim(`fix: ${k.fix}`)}` : head;
  });
  const count = (s: CheckStatus) => r.checks.filter((k) => k.status === s).length;
  const summary = `${count("pass")} passed, ${count("warn")} warning${count("warn") === 1 ? "" : "s"}, ${count("fail")} failed`;
  return `${lines.join("\n")}\n${r.service ? `${r.service}: ` : "preflight: "}${summary}\n`;
}
