/** A clock a test moves on by hand, for the sandbox's long-running operations (SandboxClock). */
import type { SandboxClock } from "../../../src/sandbox/clock.js";

interface Sleeper {
  at: number;
  wake: () => void;
  /** A timer beside the work (Clock.sleep's `background`): it alone does not make the work idle. */
  background: boolean;
}

export class FakeClock implements SandboxClock {
  private t: number;
  private sleepers: Sleeper[] = [];
  private watchers: Array<() => void> = [];
  /** Every wait asked for, in ms, in order (background timers, which wait for nothing, not). */
  readonly sleeps: number[] = [];

  constructor(start = Date.parse("2025-06-01T12:00:00Z")) {
    this.t = start;
  }

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal, options?: { background?: boolean }): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!options?.background) this.sleeps.push(ms);
      if (ms <= 0 || signal?.aborted) return resolve();
      const s: Sleeper = {
        at: this.t + ms,
        background: Boolean(options?.background),
        wake: () => {
          this.sleepers = this.sleepers.filter((x) => x !== s);
          signal?.removeEventListener("abort", s.wake);
          resolve();
        },
      };
      signal?.addEventListener("abort", s.wake, { once: true });
      this.sleepers.push(s);
      if (!s.background) for (const w of this.watchers.splice(0)) w();
    });

  /**
   * Resolves once the work sleeps on this clock (at once if it does already). Background timers
   * do not count: while only they are pending, the work is busy elsewhere (a request in flight).
   */
  sleeping(): Promise<void> {
    if (this.sleepers.some((s) => !s.background)) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  /** When the earliest sleeper is due (undefined when nothing sleeps). */
  nextDue(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.at)) : undefined;
  }

  /** Moves time on and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.t += ms;
    for (const s of this.sleepers.filter((x) => x.at <= this.t)) s.wake();
  }
}

/** Moves the clock from sleep to sleep until `p` settles; returns (or throws) what `p` does. */
export async function runClock<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  const quiet = watched.catch(() => undefined);
  while (!settled) {
    await Promise.race([clock.sleeping(), quiet]);
    const due = clock.nextDue();
    if (!settled && due !== undefined) clock.advance(due - clock.now());
  }
  return watched;
}
