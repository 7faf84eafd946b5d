/** Durations on the command line: `90s`, `10m`, `1h30m`, or plain seconds. */
import { usageError } from "./errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(raw: string, flag: string, allowZero = false): number {
  const v = raw.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== v) {
    throw usageError(`${flag} ${JSON.stringify(raw)} is not a duration.`, "Use e.g. 90s, 10m or 1h30m.");
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] as number), 0);
  if (ms <= 0 && !allowZero) {
    throw usageError(`${flag} must be longer than zero.`, "Use e.g. 90s, 10m or 1h30m.");
  }
  return Math.round(ms);
}
