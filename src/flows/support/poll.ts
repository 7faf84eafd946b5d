/**
 * The one way plsctl waits for something: check, sleep along a backoff, check again — until the
 * check says done, the time is up, or Ctrl-C. A `Waker` ends a sleep early when something signals
 * news (a watch event), yet checks stay `minSpacingMs` apart. Sleeps go through the injected clock,
 * so tests drive the whole wait without real time.
 */
import type { Clock } from "../../context.js";

export type Check<T> = { done: true; value: T } | { done: false };

export const done = <T>(value: T): Check<T> => ({ done: true, value });
export const notYet: Check<never> = { done: false };

/** Something that can end a sleep of pollUntil early. */
export interface Waker {
  /** News: end the current sleep (or, during a check, make the next sleep the shortest). */
  wake(): void;
  /** pollUntil's side: was there news since the last call? */
  take(): boolean;
  /** pollUntil's side: call `fn` on the next wake (undefined: stop listening). */
  listen(fn: (() => void) | undefined): void;
}

export function createWaker(): Waker {
  let pending = false;
  let listener: (() => void) | undefined;
  return {
    wake: () => {
      pending = true;
      listener?.();
    },
    take: () => {
      const was = pending;
      pending = false;
      return was;
    },
    listen: (fn) => {
      listener = fn;
    },
  };
}

export interface PollOptions<T> {
  /** One look; `attempt` counts from 0. */
  check: (attempt: number) => Promise<Check<T>>;
  /** Sleeps between checks, in ms; the last one repeats. */
  backoff: readonly number[];
  signal: AbortSignal;
  clock: Clock;
  /** From the start; the last sleep is cut to end at the deadline, then one last check runs. */
  timeoutMs: number;
  /** The error to throw when the time is up. */
  onTimeout: () => Error;
  wake?: Waker;
  /** Checks start at least this far apart, also when woken (default 0). */
  minSpacingMs?: number;
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? Object.assign(new Error("Aborted"), { name: "AbortError" });

/** Sleeps `ms` on the clock; `waker` may end it early. Rejects with the signal's reason on abort. */
async function sleep(clock: Clock, ms: number, signal: AbortSignal, waker?: Waker): Promise<void> {
  if (signal.aborted) throw abortReason(signal);
  if (ms <= 0) return;
  const sleeper = new AbortController();
  const onAbort = () => sleeper.abort(abortReason(signal));
  signal.addEventListener("abort", onAbort, { once: true });
  waker?.listen(() => sleeper.abort("woken"));
  try {
    await clock.sleep(ms, sleeper.signal);
  } catch {
    // Woken or aborted: told apart below (clocks differ in whether an aborted sleep rejects).
  } finally {
    waker?.listen(undefined);
    signal.removeEventListener("abort", onAbort);
  }
  if (signal.aborted) throw abortReason(signal);
}

export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const { clock, signal } = o;
  const spacing = o.minSpacingMs ?? 0;
  const deadline = clock.now() + o.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw abortReason(signal);
    o.wake?.take();
    const result = await o.check(attempt);
    if (result.done) return result.value;
    const checkedAt = clock.now();
    if (checkedAt >= deadline) throw o.onTimeout();
    const backoff = o.backoff[Math.min(attempt, o.backoff.length - 1)] ?? 0;
    // News that came during the check is not lost: the next look comes after the spacing only.
    const wait = o.wake?.take() ? spacing : backoff;
    await sleep(clock, Math.min(wait, deadline - checkedAt), signal, o.wake);
    const since = clock.now() - checkedAt;
    if (since < spacing) await sleep(clock, Math.min(spacing - since, deadline - checkedAt - since), signal);
  }
}
