/**
 * The sandbox's notion of time for long-running operations: when the ARM emulator finishes them
 * (`now`) and how long the simulated controller waits between polls (`sleep`). Real time unless a
 * test injects a clock it moves on itself.
 */
export interface SandboxClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: SandboxClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/**
 * Calls `fn` once `ms` have passed on `clock`; returns what cancels it. Without a clock a real,
 * unref'd timer (it never keeps the process alive), as before clocks were injectable.
 */
export function callLater(clock: SandboxClock | undefined, ms: number, fn: () => void): () => void {
  if (!clock) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  }
  const cancel = new AbortController();
  void clock.sleep(ms, cancel.signal).then(() => {
    if (!cancel.signal.aborted) fn();
  });
  return () => cancel.abort();
}
