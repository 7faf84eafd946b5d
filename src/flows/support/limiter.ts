/**
 * Runs work items concurrently under an adaptive limit (AIMD): the limit halves when ARM throttled
 * (or found the resource busy) while an item ran, and grows by one per item that ran unthrottled,
 * up to `max`. ARM's retry policy already waits as ARM asks; this keeps plsctl from pressing on
 * while it does. A failing item never stops the others: `work` returns its own failures. An item
 * that throws (an interruption) rejects the run, and no further item starts.
 */
export interface LimiterStats {
  /** The lowest limit reached. */
  minLimit: number;
  /** Times the limit was halved. */
  backoffs: number;
}

export async function runAdaptive<T, R>(
  items: readonly T[],
  max: number,
  work: (item: T) => Promise<R>,
  /** A counter of throttled/busy retries so far (it only grows). */
  throttled: () => number,
): Promise<{ results: R[]; stats: LimiterStats }> {
  const results = new Array<R>(items.length);
  const cap = Math.max(1, max);
  const stats: LimiterStats = { minLimit: cap, backoffs: 0 };
  let limit = cap;
  let stopped = false;
  let next = 0;
  let active = 0;
  let lastSeen = throttled();
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (stopped) return;
      if (next >= items.length && active === 0) {
        resolve({ results, stats });
        return;
      }
      while (active < limit && next < items.length) {
        const i = next++;
        active += 1;
        work(items[i] as T).then(
          (r) => {
            results[i] = r;
            active -= 1;
            const now = throttled();
            if (now > lastSeen) {
              lastSeen = now;
              limit = Math.max(1, Math.floor(limit / 2));
              stats.backoffs += 1;
              stats.minLimit = Math.min(stats.minLimit, limit);
            } else {
              limit = Math.min(cap, limit + 1);
            }
            pump();
          },
          (err: unknown) => {
            stopped = true;
            reject(err);
          },
        );
      }
    };
    pump();
  });
}
