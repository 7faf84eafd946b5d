/** runWatchLoop without leader election, on a fake clock: intervals, jitter, --for, Ctrl-C, failures. */
import { describe, expect, it } from "vitest";
import type { Context } from "../../src/context.js";
import { PlsctlError } from "../../src/domain/errors.js";
import type { ProgressEvent } from "../../src/domain/progress.js";
import { createElector, defaultIdentity } from "../../src/flows/support/leader.js";
import { jittered, runWatchLoop } from "../../src/flows/support/watch-loop.js";
import { flowContext } from "../helpers/flow-context.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

function setup() {
  const clock = new FakeClock(0);
  const controller = new AbortController();
  const { ctx: base, stderr } = flowContext({}, { clock, signal: controller.signal });
  const events: ProgressEvent[] = [];
  const ctx: Context = { ...base, progress: (e) => events.push(e) };
  const starts: number[] = [];
  return { clock, controller, ctx, stderr, events, starts };
}

describe("runWatchLoop", () => {
  it("runs a pass at once, then every interval after the previous one ends, until --for", async () => {
    const { clock, ctx, starts, events } = setup();
    const pass = async (c: Context) => {
      starts.push(clock.now());
      await c.clock.sleep(1_000, c.signal); // each pass takes 1 s
      return starts.length;
    };
    const seen: number[] = [];
    const summary = await runClock(
      clock,
      runWatchLoop(
        ctx,
        { intervalMs: 30_000, forMs: 100_000, random: () => 0.5, summarize: (n) => `pass #${n}` },
        pass,
        (n) => seen.push(n),
      ),
    );
    expect(starts).toEqual([0, 31_000, 62_000, 93_000]);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(summary).toEqual({
      passes: 4,
      failures: 0,
      elected: 0,
      lost: 0,
      stoppedBy: "for",
      elapsedMs: 100_000,
    });
    // The wait after the last pass is cut to end at --for.
    expect(clock.sleeps.filter((ms) => ms !== 1_000)).toEqual([30_000, 30_000, 30_000, 6_000]);
    expect(events.at(0)).toEqual({ kind: "watch-pass-done", pass: 1, summary: "pass #1", nextInMs: 30_000 });
  });

  it("keeps every wait within ±jitter of the interval, and varies it", () => {
    expect(jittered(30_000, 0.1, () => 0)).toBe(27_000);
    expect(jittered(30_000, 0.1, () => 0.999_999)).toBe(33_000);
    expect(jittered(30_000, 0, () => 0.9)).toBe(30_000);
  });

  it("waits a jittered interval between passes (default ±10 %)", async () => {
    const { clock, ctx } = setup();
    await runClock(
      clock,
      runWatchLoop(ctx, { intervalMs: 10_000, forMs: 2_000_000 }, async () => "ok"),
    );
    const waits = clock.sleeps.slice(0, -1); // the last one is cut by --for
    expect(waits.length).toBeGreaterThan(150);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(9_000);
      expect(w).toBeLessThanOrEqual(11_000);
    }
    expect(new Set(waits).size).toBeGreaterThan(10);
  });

  it("reports a failing pass as a warning and goes on", async () => {
    const { clock, ctx, starts, stderr, events } = setup();
    const pass = async () => {
      starts.push(clock.now());
      if (starts.length === 2) {
        throw new PlsctlError("Could not list connections of pls-app: throttled (429).", {
          hint: "It will be retried.",
        });
      }
      if (starts.length === 3) throw new Error("socket hang up");
      return "ok";
    };
    const summary = await runClock(
      clock,
      runWatchLoop(ctx, { intervalMs: 5_000, jitter: 0, forMs: 20_000 }, pass),
    );
    expect(starts).toEqual([0, 5_000, 10_000, 15_000]);
    expect(summary).toMatchObject({ passes: 4, failures: 2, stoppedBy: "for" });
    expect(stderr()).toContain("Pass 2 failed: Could not list connections of pls-app: throttled (429).");
    expect(stderr()).toContain("It will be retried.");
    expect(stderr()).toContain("Pass 3 failed: socket hang up");
    expect(events.map((e) => (e.kind === "watch-pass-done" ? e.pass : -1))).toEqual([1, 4]);
  });

  it("stops on Ctrl-C while waiting, and aborts a running pass's signal without counting a failure", async () => {
    const { clock, controller, ctx, starts } = setup();
    let abortedPass: unknown;
    const pass = async (c: Context) => {
      starts.push(clock.now());
      if (starts.length === 2) {
        await c.clock.sleep(60_000, c.signal);
        abortedPass = c.signal.reason;
        throw c.signal.reason;
      }
      return "ok";
    };
    const loop = runWatchLoop(ctx, { intervalMs: 30_000, jitter: 0 }, pass);
    await clock.sleeping(); // waiting after pass 1
    clock.advance(30_000);
    await clock.sleeping(); // pass 2 runs
    clock.advance(1_000);
    const reason = Object.assign(new Error("Interrupted"), { name: "AbortError" });
    controller.abort(reason);
    const summary = await loop;
    expect(abortedPass).toBe(reason);
    expect(summary).toEqual({
      passes: 2,
      failures: 0,
      elected: 0,
      lost: 0,
      stoppedBy: "interrupted",
      stopReason: reason,
      elapsedMs: 31_000,
    });
  });

  it("with a stop signal (SIGTERM): the pass in flight finishes on its own signal, no pass starts after it", async () => {
    const { clock, ctx, starts } = setup();
    const stop = new AbortController();
    const seen: Array<{ stoppingAtEnd: boolean; signalAtEnd: boolean }> = [];
    const ended: Array<[boolean, number]> = [];
    const pass = async (c: Context, stopping: AbortSignal) => {
      starts.push(clock.now());
      await c.clock.sleep(5_000, c.signal); // a write in flight
      seen.push({ stoppingAtEnd: stopping.aborted, signalAtEnd: c.signal.aborted });
      return "ok";
    };
    const loop = runWatchLoop(
      ctx,
      {
        intervalMs: 30_000,
        jitter: 0,
        stop: stop.signal,
        observer: { passEnded: (ok, ms) => ended.push([ok, ms]), role: () => undefined },
      },
      pass,
    );
    await clock.sleeping(); // pass 1's write
    clock.advance(5_000);
    await clock.sleeping(); // waiting after pass 1
    clock.advance(30_000);
    await clock.sleeping(); // pass 2's write in flight
    clock.advance(1_000);
    const reason = Object.assign(new Error("Terminated"), { name: "AbortError" });
    stop.abort(reason);
    await clock.sleeping();
    clock.advance(4_000); // the write settles
    const summary = await loop;
    expect(starts).toEqual([0, 35_000]);
    // Pass 2 ran to its end: told it was stopping, its own signal untouched.
    expect(seen).toEqual([
      { stoppingAtEnd: false, signalAtEnd: false },
      { stoppingAtEnd: true, signalAtEnd: false },
    ]);
    expect(ended).toEqual([
      [true, 5_000],
      [true, 5_000],
    ]);
    expect(summary).toMatchObject({ passes: 2, failures: 0, stoppedBy: "interrupted", stopReason: reason });
    expect(summary.elapsedMs).toBe(40_000);
  });

  it("refuses an interval of zero", async () => {
    const { ctx } = setup();
    await expect(runWatchLoop(ctx, { intervalMs: 0 }, async () => 1)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe("leader identity", () => {
  it("is the pod name (HOSTNAME) plus a random suffix, so two processes in one pod differ", () => {
    const a = defaultIdentity("approver-7d9f8-x2k4q");
    expect(a).toMatch(/^approver-7d9f8-x2k4q_[0-9a-f]{8}$/);
    expect(defaultIdentity("approver-7d9f8-x2k4q")).not.toBe(a);
    expect(defaultIdentity(undefined)).toMatch(/^plsctl_[0-9a-f]{8}$/);
  });

  it("refuses timings where the renew deadline is not below the lease duration", async () => {
    const { ctx } = setup();
    const leases = {
      get: async () => undefined,
      create: async () => ({ ok: false, conflict: true }) as const,
    };
    await expect(
      createElector(ctx, {
        name: "approver",
        namespace: "default",
        leaseDurationMs: 10_000,
        renewDeadlineMs: 10_000,
        leases: { ...leases, update: leases.create },
      }),
    ).rejects.toMatchObject({ exitCode: 2 });
  });
});
