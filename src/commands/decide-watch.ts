/**
 * `approve --watch`: the same pass again every --interval (± 10 %) until stopped or --for, with
 * --leader-elect only while this replica holds the Lease. Each pass is printed as it ends: the
 * table, or with -o json one compact document per line (JSON Lines, as `kubectl get -w -o json`
 * streams), so a consumer reads one document per pass.
 *
 * Stopping (SIGTERM, as Kubernetes stops a pod; SIGINT): no new pass or write starts, the writes
 * in flight get STOP_GRACE_MS to settle (then they are abandoned: every write is idempotent and
 * the next pass or replica decides again), the Lease is given up, one line says so, exit 0.
 * --metrics-addr serves /metrics, /healthz and /readyz while the loop runs.
 */
import { systemClock } from "../context.js";
import type { DecideResult } from "../domain/decide.js";
import { PlsctlError } from "../domain/errors.js";
import type { MetricsAddr } from "../domain/metrics-addr.js";
import type { ProgressEvent } from "../domain/progress.js";
import type { LeaderOptions } from "../flows/support/leader.js";
import { countsOf, renderDecisions } from "../output/decisions.js";
import type { ApproverMetrics } from "../output/metrics.js";
import { writeResult } from "../output/result.js";
import type { DecisionPass } from "./decide-options.js";
import type { CommandContext, ContextOptions, Runtime } from "./runtime.js";

/** Within Kubernetes' default terminationGracePeriodSeconds (30 s), with time left to release the Lease. */
export const STOP_GRACE_MS = 20_000;

/** The --watch flags, checked (approve's input). */
export interface WatchInput {
  intervalMs: number;
  forMs: number | undefined;
  /** --metrics-addr */
  metrics: MetricsAddr | undefined;
  /** --leader-elect: the Lease. */
  leader: LeaderOptions | undefined;
}

/** One line per connection refused or failed in a pass. */
export const problemLines = (r: DecideResult): string[] =>
  r.results
    .filter((d) => d.outcome === "refused" || d.outcome === "failed")
    .map((d) => `${d.outcome}: connection ${d.name} of ${d.pls}: ${d.reason}`);

/** What stopped the loop, in words: "SIGTERM", "SIGINT", or the reason's message. */
function stopCause(reason: unknown): string {
  const message = reason instanceof Error ? reason.message : String(reason);
  if (message === "Terminated") return "SIGTERM";
  if (message === "Interrupted") return "SIGINT";
  return message.toLowerCase();
}

/** approve's context for a watch (ContextOptions) and the loop that runs in it. */
export interface WatchSetup extends ContextOptions {
  /** Requests end STOP_GRACE_MS after a stop (not at once: writes in flight settle). */
  signal: AbortSignal;
  /** Metrics see every progress event. */
  tap: (event: ProgressEvent) => void;
  /** Runs `pass` again and again; prints each pass as it ends. */
  run(ctx: CommandContext, pass: DecisionPass): Promise<void>;
}

/** The watch's stop: the process's signal stops the loop, its requests end a grace period later. */
export function prepareWatch(runtime: Runtime, watch: WatchInput): WatchSetup {
  const clock = runtime.clock ?? systemClock;
  const stop = runtime.signal;
  const hard = new AbortController();
  const ended = new AbortController(); // the grace's timer must not outlive the loop
  const afterGrace = () =>
    void clock.sleep(STOP_GRACE_MS, ended.signal).then(
      () => hard.abort(stop.reason),
      () => undefined,
    );
  stop.addEventListener("abort", afterGrace, { once: true });
  let metrics: ApproverMetrics | undefined;
  return {
    signal: hard.signal,
    tap: (e) => metrics?.progress(e),
    async run(ctx, pass) {
      if (watch.metrics) metrics = await loadMetrics(ctx, watch.intervalMs, watch.leader !== undefined);
      const server = watch.metrics && metrics ? await serve(ctx, watch.metrics, metrics) : undefined;
      try {
        await loop(ctx, watch, stop, metrics, pass);
      } finally {
        ended.abort();
        await server?.close();
      }
    },
  };
}

async function loadMetrics(ctx: CommandContext, intervalMs: number, leaderElect: boolean) {
  const { createApproverMetrics } = await import("../output/metrics.js");
  return createApproverMetrics({ intervalMs, now: () => ctx.clock.now(), leaderElect });
}

async function serve(ctx: CommandContext, addr: MetricsAddr, metrics: ApproverMetrics) {
  const { startMetricsServer } = await import("../output/metrics-server.js");
  const server = await startMetricsServer(addr, metrics);
  ctx.report.info(
    `Serving ${server.url}/metrics, /healthz and /readyz${addr.exposed ? " (reachable from other machines: --metrics-addr names no loopback address)" : ""}`,
  );
  return server;
}

async function loop(
  ctx: CommandContext,
  watch: WatchInput,
  stop: AbortSignal,
  metrics: ApproverMetrics | undefined,
  pass: DecisionPass,
): Promise<void> {
  const { runWatchLoop } = await import("../flows/support/watch-loop.js");
  const summary = await runWatchLoop(
    ctx,
    {
      intervalMs: watch.intervalMs,
      stop,
      ...(watch.forMs !== undefined ? { forMs: watch.forMs } : {}),
      ...(watch.leader ? { leader: watch.leader } : {}),
      ...(metrics ? { observer: metrics } : {}),
      summarize: (r) => countsOf(r.summary) || "nothing selected",
    },
    pass,
    async (r) => {
      metrics?.decided(r);
      if (ctx.globals.output === "json") ctx.stdout.write(`${JSON.stringify(r)}\n`);
      else await writeResult(ctx, r, renderDecisions);
      // The loop goes on, so its exit code cannot say it: each refusal or failure on stderr.
      for (const line of problemLines(r)) ctx.report.warn(line);
    },
  );
  if (summary.stoppedBy === "interrupted") {
    const lease = summary.lease ? `; Lease ${summary.lease} released` : "";
    const failed = summary.failures > 0 ? ` (${summary.failures} failed: see the warnings above)` : "";
    ctx.report.info(
      `Stopped on ${stopCause(summary.stopReason)} after ${summary.passes} pass${summary.passes === 1 ? "" : "es"}${failed}${lease}.`,
    );
    return;
  }
  if (summary.failures > 0) {
    throw new PlsctlError(`${summary.failures} of ${summary.passes} passes failed.`, {
      hint: "The warnings above say why; each later pass tried again.",
    });
  }
}
