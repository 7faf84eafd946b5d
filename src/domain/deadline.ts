/** A command's `--timeout` as one deadline, on the injected clock. */

/** `--timeout` is one deadline for the whole command: every wait gets what is left of it. */
export interface Deadline {
  at: number;
  timeoutMs: number;
}

export const deadlineOf = (now: number, timeoutMs: number): Deadline => ({ at: now + timeoutMs, timeoutMs });

/** What is left of the deadline at `now` (never below 0). */
export const remainingMs = (d: Deadline, now: number): number => Math.max(0, d.at - now);
