/**
 * Runs one pass of work again and again (`--watch`): every interval (± jitter) until Ctrl-C or
 * `--for` has elapsed; with leader election only while this replica leads. A failing pass is
 * warned about and the loop goes on. While a pass runs, the lease is renewed in the background;
 * if leadership is lost, the pass's signal aborts so this replica stops acting before another
 * can take over (renew deadline < lease duration). All waits run on ctx.clock.
 */
import type { Context } from "../../context.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { createElector, type Elector, type LeaderOptions } from "./leader.js";

export interface WatchLoopOptions<R> {
  intervalMs: number;
  /** Fraction of the interval each wait may differ by (default 0.1: ±10 %). */
  jitter?: number;
  /** Stop after this long (no pass starts later; the wait before it is cut short). */
  forMs?: number;
  leader?: LeaderOptions;
  /** A few words about a pass's result, for the pass-done progress event. */
  summarize?: (result: R) => string;
  /** In [0, 1): for the jitter (default Math.random). */
  random?: () => number;
  /**
   * Ends the loop gently (SIGTERM, SIGINT): no pass, wait or new write starts after it aborts, but
   * the pass in flight keeps ctx.signal, which the caller aborts only after a grace period (so a
   * write in flight settles, or is abandoned then). Default: ctx.signal itself.
   */
  stop?: AbortSignal;
  /** What the loop goes through, for metrics and probes (never throws). */
  observer?: WatchObserver;
}

/** leader: acting; follower: another replica holds a live Lease; candidate: neither, or not electing. */
export type WatchRole = "leader" | "follower" | "candidate";

export interface WatchObserver {
  passEnded(ok: boolean, durationMs: number): void;
  role(role: WatchRole): void;
}

export interface WatchSummary {
  passes: number;
  failures: number;
  /** How often this replica became leader, and lost leadership (0 without --leader-elect). */
  elected: number;
  lost: number;
  stoppedBy: "interrupted" | "for";
  /** With --leader-elect: `namespace/name` of the Lease (given up on the way out). */
  lease?: string;
  /** With stoppedBy "interrupted": the stop signal's reason. */
  stopReason?: unknown;
  elapsedMs: number;
}

/** A wait that ends early, without throwing, when `signal` aborts (clocks differ in that). */
async function pause(ctx: Context, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await ctx.clock.sleep(ms, signal).catch(() => undefined);
}

export function jittered(ms: number, jitter: number, random: () => number): number {
  return Math.round(ms * (1 + jitter * (2 * random() - 1)));
}

interface Term {
  /** Aborts when leadership is lost or the term is stopped. */
  signal: AbortSignal;
  lostReason(): string | undefined;
  stop(): Promise<void>;
}

/** Keeps the lease renewed in the background; a watchdog ends the term at the renew deadline. */
function holdLeadership(ctx: Context, elector: Elector): Term {
  const ended = new AbortController();
  let reason: string | undefined;
  const lose = (why: string) => {
    if (ended.signal.aborted) return;
    reason = why;
    ended.abort(new Error(`lost leadership: ${why}`));
  };
  const watchdog = (async () => {
    while (!ended.signal.aborted) {
      const left = elector.renewedAt() + elector.renewDeadlineMs - ctx.clock.now();
      if (left <= 0) return lose(`no renewal of the lease for ${elector.renewDeadlineMs / 1000}s`);
      await pause(ctx, left, ended.signal);
    }
  })();
  const renewer = (async () => {
    while (!ended.signal.aborted) {
      await pause(ctx, elector.retryPeriodMs, ended.signal);
      if (ended.signal.aborted) return;
      try {
        const renewed = await elector.tryAcquireOrRenew();
        const holder = elector.observedHolder();
        if (!renewed && holder !== "" && holder !== elector.identity) {
          return lose(`the lease is held by ${holder}`);
        }
      } catch (err) {
        ctx.report.debug(`Renewing Lease ${elector.lease} failed: ${(err as Error).message}`);
      }
    }
  })();
  return {
    signal: ended.signal,
    lostReason: () => reason,
    stop: async () => {
      ended.abort(new Error("stopped"));
      await Promise.all([watchdog, renewer]);
    },
  };
}

/** Tries for the lease every retry period until it is ours (true) or the loop ends (false). */
async function acquire(
  ctx: Context,
  elector: Elector,
  stopped: () => boolean,
  end: number,
  stop: AbortSignal,
  observer: WatchObserver | undefined,
): Promise<boolean> {
  let toldHolder: string | undefined;
  let lastError: string | undefined;
  while (!stopped()) {
    try {
      if (await elector.tryAcquireOrRenew()) return true;
      lastError = undefined;
      const holder = elector.observedHolder();
      if (holder !== "" && holder !== elector.identity) observer?.role("follower");
      if (holder !== toldHolder) {
        ctx.progress({ kind: "leader-waiting", identity: elector.identity, lease: elector.lease, holder });
        toldHolder = holder;
      }
    } catch (err) {
      // Without the RBAC permission or the namespace, waiting does not help.
      const code = err instanceof PlsctlError ? err.exitCode : ExitCode.Failed;
      if (code === ExitCode.Auth || code === ExitCode.NotFound || code === ExitCode.Usage) throw err;
      const message = (err as Error).message;
      if (message !== lastError) ctx.report.warn(`Trying for Lease ${elector.lease}: ${message}`);
      lastError = message;
    }
    const wait = elector.retryPeriodMs * (1 + 0.2 * Math.random());
    await pause(ctx, Math.min(wait, end - ctx.clock.now()), stop);
  }
  return false;
}

export async function runWatchLoop<R>(
  ctx: Context,
  o: WatchLoopOptions<R>,
  /** `stopping` aborts when the loop is asked to stop: the pass starts no new write after it. */
  pass: (ctx: Context, stopping: AbortSignal) => Promise<R>,
  /** Hears each pass's result (approve --watch prints it); a promise it returns is awaited before the next wait. */
  onPass?: (result: R) => unknown,
): Promise<WatchSummary> {
  const jitter = o.jitter ?? 0.1;
  if (!(o.intervalMs > 0)) throw usageError("--interval must be longer than zero.", "e.g. --interval 30s.");
  if (!(jitter >= 0 && jitter < 1)) throw new Error(`jitter must be in [0, 1), got ${jitter}`);
  const random = o.random ?? Math.random;
  const { clock, signal } = ctx;
  const stop = o.stop ? AbortSignal.any([o.stop, signal]) : signal;
  const observer = o.observer;
  const start = clock.now();
  const end = o.forMs === undefined ? Number.POSITIVE_INFINITY : start + o.forMs;
  const stopped = () => stop.aborted || clock.now() >= end;
  const s = { passes: 0, failures: 0, elected: 0, lost: 0 };
  const elector = o.leader ? await createElector(ctx, o.leader) : undefined;

  const runPasses = async (term: Term | undefined) => {
    const acting = term ? AbortSignal.any([signal, term.signal]) : signal;
    // Waits end at once on a stop; the pass itself runs on `acting` (see WatchLoopOptions.stop).
    const waiting = AbortSignal.any([acting, stop]);
    while (!stopped() && !acting.aborted) {
      const n = ++s.passes;
      const began = clock.now();
      try {
        const result = await pass({ ...ctx, signal: acting }, stop);
        observer?.passEnded(true, clock.now() - began);
        await onPass?.(result);
        const nextInMs = jittered(o.intervalMs, jitter, random);
        const next = Math.min(nextInMs, end - clock.now());
        ctx.progress({
          kind: "watch-pass-done",
          pass: n,
          summary: o.summarize?.(result),
          nextInMs: next > 0 && !waiting.aborted ? next : undefined,
        });
        await pause(ctx, next, waiting);
      } catch (err) {
        if (acting.aborted) return; // interrupted or no longer leader: not a failure of the pass
        s.failures++;
        observer?.passEnded(false, clock.now() - began);
        const e = err instanceof PlsctlError ? err : undefined;
        ctx.report.warn(`Pass ${n} failed: ${(err as Error).message}`, e?.hint);
        await pause(ctx, Math.min(jittered(o.intervalMs, jitter, random), end - clock.now()), waiting);
      }
    }
  };

  try {
    if (!elector) await runPasses(undefined);
    while (elector && !stopped()) {
      if (!(await acquire(ctx, elector, stopped, end, stop, observer))) break;
      s.elected++;
      observer?.role("leader");
      ctx.progress({ kind: "leader-elected", identity: elector.identity, lease: elector.lease });
      const term = holdLeadership(ctx, elector);
      try {
        await runPasses(term);
      } finally {
        await term.stop();
      }
      observer?.role("candidate");
      const reason = term.lostReason();
      if (reason !== undefined) {
        s.lost++;
        ctx.progress({ kind: "leader-lost", identity: elector.identity, lease: elector.lease, reason });
      }
    }
  } finally {
    if (elector && o.leader?.releaseOnCancel !== false) await elector.release();
  }
  return {
    ...s,
    ...(elector ? { lease: elector.lease } : {}),
    ...(stop.aborted
      ? { stoppedBy: "interrupted" as const, stopReason: stop.reason }
      : { stoppedBy: "for" as const }),
    elapsedMs: clock.now() - start,
  };
}
