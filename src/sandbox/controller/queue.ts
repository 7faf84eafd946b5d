/**
 * The work queue of the simulated service controller: one worker (the Azure provider serialises
 * every Service reconcile behind one mutex), deduplicated keys, per-key exponential backoff after a
 * failure (5 s doubling to 300 s in the real one), and `idle()` for tests.
 */
import { callLater, type SandboxClock } from "../clock.js";

export interface WorkQueueOptions {
  baseMs: number;
  maxMs: number;
  /** Returns true on success; false or a throw schedules a retry with backoff. */
  process: (key: string) => Promise<boolean>;
  log?: (line: string) => void;
  /** Times the backoff (default: real time). */
  clock?: SandboxClock;
}

export interface WorkQueue {
  /** Queue now (an update event); a pending backoff timer stays and may fire later. */
  add(key: string): void;
  /** Resolves when nothing is ready or running; waiting backoff timers do not count. */
  idle(): Promise<void>;
  /** True while a key is ready or being processed. */
  busy(): boolean;
  /** How many consecutive failures a key has (0 after a success). */
  failures(key: string): number;
  stop(): Promise<void>;
}

export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  // failures >= 1: base * 2^(failures-1), capped
  const exp = Math.min(failures - 1, 40);
  return Math.min(maxMs, baseMs * 2 ** exp);
}

export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  const ready: string[] = [];
  /** The pending backoff of each key: what cancels it. */
  const timers = new Map<string, () => void>();
  const failureCount = new Map<string, number>();
  let running: Promise<void> | undefined;
  let stopped = false;
  let waiters: (() => void)[] = [];

  function settleIdle() {
    if (ready.length > 0 || running) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  }

  function pump() {
    if (running || stopped) return;
    const key = ready.shift();
    if (key === undefined) return settleIdle();
    running = (async () => {
      let ok = false;
      try {
        ok = await opts.process(key);
      } catch (err) {
        opts.log?.(`controller: ${key}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (stopped) return;
      if (ok) {
        failureCount.delete(key);
        timers.get(key)?.();
        timers.delete(key);
      } else {
        const n = (failureCount.get(key) ?? 0) + 1;
        failureCount.set(key, n);
        schedule(key, backoffDelay(n, opts.baseMs, opts.maxMs));
      }
    })().finally(() => {
      running = undefined;
      queueMicrotask(pump);
    });
  }

  function schedule(key: string, delayMs: number) {
    timers.get(key)?.();
    const cancel = callLater(opts.clock, delayMs, () => {
      timers.delete(key);
      add(key);
    });
    timers.set(key, cancel);
  }

  function add(key: string) {
    if (stopped) return;
    if (!ready.includes(key)) ready.push(key);
    queueMicrotask(pump);
  }

  return {
    add,
    failures: (key) => failureCount.get(key) ?? 0,
    busy: () => ready.length > 0 || running !== undefined,
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        queueMicrotask(settleIdle);
      });
    },
    async stop() {
      stopped = true;
      for (const cancel of timers.values()) cancel();
      timers.clear();
      ready.length = 0;
      await running;
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    },
  };
}
