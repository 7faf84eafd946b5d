/**
 * The adaptive write limiter (src/flows/support/limiter.ts), pure: tasks are promises the test settles by
 * hand, "throttled" is a counter the test raises. No wall time, no network.
 */
import { describe, expect, it } from "vitest";
import { runAdaptive } from "../../src/flows/support/limiter.js";

/** A fake task runner: every started task waits until the test settles it. */
function runner() {
  const started: number[] = [];
  const pending = new Map<number, { resolve: (v: string) => void; reject: (e: unknown) => void }>();
  let active = 0;
  let peak = 0;
  const activeAtStart: number[] = [];
  let throttled = 0;
  const work = (i: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(i);
      active += 1;
      peak = Math.max(peak, active);
      activeAtStart.push(active);
      pending.set(i, {
        resolve: (v) => {
          active -= 1;
          resolve(v);
        },
        reject: (e) => {
          active -= 1;
          reject(e);
        },
      });
    });
  /** Lets the limiter's callbacks run (promise jobs only; no timers). */
  const flush = async () => {
    for (let k = 0; k < 10; k++) await Promise.resolve();
  };
  return {
    work,
    started,
    throttled: () => throttled,
    /** Task i ends; `throttledWhileRunning` raises the throttle counter first, as a 429 retry would. */
    async finish(i: number, o: { throttledWhileRunning?: boolean; value?: string } = {}) {
      if (o.throttledWhileRunning) throttled += 1;
      const p = pending.get(i);
      if (!p) throw new Error(`task ${i} is not running`);
      pending.delete(i);
      p.resolve(o.value ?? `ok ${i}`);
      await flush();
    },
    async fail(i: number, err: unknown) {
      const p = pending.get(i);
      if (!p) throw new Error(`task ${i} is not running`);
      pending.delete(i);
      p.reject(err);
      await flush();
    },
    running: () => [...pending.keys()],
    active: () => active,
    peak: () => peak,
    activeAtStart,
    flush,
  };
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("runAdaptive", () => {
  it("starts at the max and never runs more than it", async () => {
    const r = runner();
    const done = runAdaptive(items(20), 4, r.work, r.throttled);
    await r.flush();
    expect(r.running()).toEqual([0, 1, 2, 3]);
    while (r.running().length > 0) await r.finish(r.running()[0] as number);
    const { results, stats } = await done;
    expect(results).toEqual(items(20).map((i) => `ok ${i}`));
    expect(r.peak()).toBe(4);
    expect(stats).toEqual({ minLimit: 4, backoffs: 0 });
  });

  it("halves the limit when a task was throttled, then recovers by one per unthrottled success up to the max", async () => {
    const r = runner();
    const done = runAdaptive(items(40), 8, r.work, r.throttled);
    await r.flush();
    expect(r.active()).toBe(8);
    // One throttled task: limit 8 → 4. Seven still run, so nothing new starts.
    await r.finish(0, { throttledWhileRunning: true });
    expect(r.active()).toBe(7);
    // Another throttled: 4 → 2.
    await r.finish(1, { throttledWhileRunning: true });
    expect(r.active()).toBe(6);
    // Unthrottled successes grow the limit by one each (3, 4, 5, …) while the active count falls
    // (5, 4, 3): no task starts until active < limit.
    await r.finish(2); // limit 3, active 5
    await r.finish(3); // limit 4, active 4
    expect(r.active()).toBe(4);
    expect(r.started.length).toBe(8);
    await r.finish(4); // limit 5, active 3 → starts 2
    expect(r.active()).toBe(5);
    expect(r.started.length).toBe(10);
    await r.finish(5); // limit 6, active 4 → starts 2
    expect(r.active()).toBe(6);
    expect(r.started.length).toBe(12);
    // Recovery continues by +1 per success (7, 8) and stops at the max.
    await r.finish(6); // limit 7: 5 active → 2 more
    expect(r.active()).toBe(7);
    await r.finish(7); // limit 8: 6 active → 2 more
    expect(r.active()).toBe(8);
    await r.finish(8); // limit stays 8
    expect(r.active()).toBe(8);
    while (r.running().length > 0) await r.finish(r.running()[0] as number);
    const { stats } = await done;
    expect(stats).toEqual({ minLimit: 2, backoffs: 2 });
    expect(r.peak()).toBe(8);
  });

  it("never goes below one, and one task at a time still finishes everything", async () => {
    const r = runner();
    const done = runAdaptive(items(6), 2, r.work, r.throttled);
    await r.flush();
    for (let k = 0; k < 4; k++) {
      const [first] = r.running();
      await r.finish(first as number, { throttledWhileRunning: true });
      expect(r.running().length).toBeGreaterThanOrEqual(1);
    }
    while (r.running().length > 0) await r.finish(r.running()[0] as number, { throttledWhileRunning: true });
    const { results, stats } = await done;
    expect(results).toHaveLength(6);
    expect(stats.minLimit).toBe(1);
    expect(stats.backoffs).toBe(6);
    // Once the limit is 1, each new task starts alone.
    expect(r.activeAtStart.slice(2)).toEqual([1, 1, 1, 1]);
  });

  it("a max below one runs one at a time", async () => {
    const r = runner();
    const done = runAdaptive(items(3), 0, r.work, r.throttled);
    await r.flush();
    expect(r.running()).toEqual([0]);
    while (r.running().length > 0) await r.finish(r.running()[0] as number);
    expect((await done).results).toEqual(["ok 0", "ok 1", "ok 2"]);
  });

  it("a task's failure (returned as its result) does not stop the others", async () => {
    const r = runner();
    const done = runAdaptive(items(10), 3, r.work, r.throttled);
    await r.flush();
    await r.finish(1, { value: "failed 1" });
    await r.finish(0, { value: "failed 0" });
    while (r.running().length > 0) await r.finish(r.running()[0] as number);
    const { results } = await done;
    expect(results).toEqual(["failed 0", "failed 1", ...items(8).map((i) => `ok ${i + 2}`)]);
    expect(r.started.sort((a, b) => a - b)).toEqual(items(10));
  });

  it("with no items resolves at once with no results", async () => {
    const r = runner();
    expect(await runAdaptive([], 8, r.work, r.throttled)).toEqual({
      results: [],
      stats: { minLimit: 8, backoffs: 0 },
    });
  });

  it("a thrown error (an interruption) rejects the run and starts no further task", async () => {
    const r = runner();
    const done = runAdaptive(items(10), 2, r.work, r.throttled);
    await r.flush();
    const caught = done.catch((e: unknown) => e);
    await r.fail(0, new Error("aborted"));
    expect(await caught).toEqual(new Error("aborted"));
    // The task still running ends; nothing new starts after the run was given up.
    await r.finish(1);
    expect(r.started).toEqual([0, 1]);
  });
});
