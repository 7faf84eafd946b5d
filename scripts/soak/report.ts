/** The soak's report: counters while it runs, then the summary as text or JSON. */
import type { FaultKind } from "./faults.js";
import { OP_KINDS, type OpKind } from "./model.js";

export interface SoakReport {
  seed: number;
  minutes: number;
  parallel: number;
  durationSeconds: number;
  /** Operations started, per kind (each counted once, however often it was re-run). */
  operations: Record<OpKind, number>;
  /** plsctl processes spawned in all. */
  runs: number;
  faults: Record<FaultKind, number>;
  interrupts: { SIGINT: number; SIGTERM: number };
  /** Runs of a command again after it failed or was interrupted. */
  reruns: number;
  /** Exit codes of the runs that did not exit 0 (before their re-run), by code. */
  failedRuns: Record<string, number>;
  /** Operations that never exited 0 within the re-run limit. */
  stuck: string[];
  mismatches: string[];
}

export function emptyReport(seed: number, minutes: number, parallel: number): SoakReport {
  return {
    seed,
    minutes,
    parallel,
    durationSeconds: 0,
    operations: Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number>,
    runs: 0,
    faults: { "429": 0, "500": 0, "503": 0, drop: 0, latency: 0, lroFailed: 0 },
    interrupts: { SIGINT: 0, SIGTERM: 0 },
    reruns: 0,
    failedRuns: {},
    stuck: [],
    mismatches: [],
  };
}

const line = (rec: Record<string, number>): string =>
  Object.entries(rec)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

export function renderReport(r: SoakReport): string {
  const total = Object.values(r.operations).reduce((a, b) => a + b, 0);
  const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const rows = [
    `seed            ${r.seed} (reproduce: npm run soak -- --seed ${r.seed} --minutes ${r.minutes})`,
    `duration        ${(r.durationSeconds / 60).toFixed(1)} min, ${r.parallel} plsctl at a time`,
    `operations      ${total}: ${line(r.operations)}`,
    `plsctl runs     ${r.runs}`,
    `faults          ${faults}: ${line(r.faults)}`,
    `interrupts      ${r.interrupts.SIGINT + r.interrupts.SIGTERM}: SIGINT ${r.interrupts.SIGINT}, SIGTERM ${r.interrupts.SIGTERM}`,
    `re-runs         ${r.reruns} (failed runs by exit code: ${line(r.failedRuns) || "none"})`,
    `stuck           ${r.stuck.length}`,
    `mismatches      ${r.mismatches.length}`,
  ];
  const details = [...r.stuck.map((s) => `stuck: ${s}`), ...r.mismatches.map((m) => `mismatch: ${m}`)];
  return `${[...rows, ...details].join("\n")}\n`;
}
