/**
 * Durations on the command line, as kubectl takes them (Go's time.ParseDuration): `90s`, `10m`,
 * `1h30m`, `500ms`. A bare number is refused — `10` could mean seconds or minutes — except `0`.
 */
import { usageError } from "./errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(raw: string, flag: string, allowZero = false): number {
  const v = raw.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    if (Number(v) === 0) {
      if (allowZero) return 0;
      throw usageError(`${flag} must be longer than zero.`, `e.g. ${flag} 30s or ${flag} 5m.`);
    }
    throw usageError(
      `${flag} ${JSON.stringify(raw)} has no unit.`,
      `Add one, as kubectl takes durations: e.g. ${flag} ${v}s or ${flag} ${v}m (units: ms, s, m, h).`,
    );
  }
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
