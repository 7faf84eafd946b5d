/**
 * What `approve --watch --metrics-addr` reports to Prometheus, through prom-client (the
 * maintained Node client: text exposition format 0.0.4, histograms, label escaping). Loaded only
 * under --metrics-addr: nothing else imports this module. Fed by the watch loop (passes, role) and
 * by progress events (Azure's answers and retries); readiness is decided here too.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DecideResult } from "../domain/decide.js";
import type { ProgressEvent } from "../domain/progress.js";

export type Role = "leader" | "follower" | "candidate";

export interface ApproverMetrics {
  readonly contentType: string;
  text(): Promise<string>;
  passEnded(ok: boolean, durationMs: number): void;
  decided(result: DecideResult): void;
  role(role: Role): void;
  progress(event: ProgressEvent): void;
  /** /readyz: a pass succeeded within 3 intervals, or a follower saw the leader's live Lease as recently. */
  ready(): { ok: boolean; why: string };
}

export const METRIC_NAMES = [
  "plsctl_approver_passes_total",
  "plsctl_approver_decisions_total",
  "plsctl_approver_arm_requests_total",
  "plsctl_approver_arm_retries_total",
  "plsctl_approver_pass_duration_seconds",
  "plsctl_approver_leader",
  "plsctl_approver_last_success_timestamp_seconds",
] as const;

export function createApproverMetrics(o: {
  intervalMs: number;
  now: () => number;
  leaderElect: boolean;
}): ApproverMetrics {
  const registry = new Registry();
  const registers = [registry];
  const passes = new Counter({
    name: "plsctl_approver_passes_total",
    help: "Passes of approve --watch, by result (succeeded: the pass ran; its decisions may still have failed).",
    labelNames: ["result"] as const,
    registers,
  });
  const decisions = new Counter({
    name: "plsctl_approver_decisions_total",
    help: "Decisions on private endpoint connections, by verb (approve, reject, remove) and outcome (approved, rejected, removed, refused, failed); skipped ones are not counted.",
    labelNames: ["verb", "outcome"] as const,
    registers,
  });
  const arm = new Counter({
    name: "plsctl_approver_arm_requests_total",
    help: "Azure Resource Manager requests, by method and final HTTP status (after retries).",
    labelNames: ["method", "status"] as const,
    registers,
  });
  const retries = new Counter({
    name: "plsctl_approver_arm_retries_total",
    help: "Azure Resource Manager requests retried, by reason: throttled (429), busy (another operation running), server (5xx), dropped (connection).",
    labelNames: ["reason"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "plsctl_approver_pass_duration_seconds",
    help: "How long a pass took (list, decide, write).",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const leader = new Gauge({
    name: "plsctl_approver_leader",
    help: "1 while this replica acts (holds the Lease, or runs without --leader-elect), else 0.",
    registers,
  });
  const lastSuccess = new Gauge({
    name: "plsctl_approver_last_success_timestamp_seconds",
    help: "When the last pass that ran to its end ended (Unix time).",
    registers,
  });
  for (const result of ["succeeded", "failed"]) passes.inc({ result }, 0);
  leader.set(o.leaderElect ? 0 : 1);

  const window = 3 * o.intervalMs;
  let lastOkAt: number | undefined;
  let followerAt: number | undefined;
  let current: Role = o.leaderElect ? "candidate" : "leader";

  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    passEnded(ok, ms) {
      passes.inc({ result: ok ? "succeeded" : "failed" });
      duration.observe(ms / 1000);
      if (ok) {
        lastOkAt = o.now();
        lastSuccess.set(lastOkAt / 1000);
      }
    },
    decided(r) {
      for (const d of r.results) {
        if (d.outcome === "skipped") continue;
        decisions.inc({ verb: d.action === "none" ? r.verb : d.action, outcome: d.outcome });
      }
    },
    role(role) {
      current = role;
      leader.set(role === "leader" ? 1 : 0);
      if (role === "follower") followerAt = o.now();
    },
    progress(e) {
      if (e.kind === "arm-answer") arm.inc({ method: e.method, status: String(e.status) });
      else if (e.kind === "arm-retry") retries.inc({ reason: e.reason });
    },
    ready() {
      const now = o.now();
      if (lastOkAt !== undefined && now - lastOkAt <= window)
        return { ok: true, why: `last pass succeeded ${Math.round((now - lastOkAt) / 1000)}s ago` };
      if (current === "follower" && followerAt !== undefined && now - followerAt <= window)
        return { ok: true, why: "following: another replica holds a live Lease" };
      return {
        ok: false,
        why:
          lastOkAt === undefined
            ? "no pass has succeeded yet"
            : `no pass succeeded for ${Math.round((now - lastOkAt) / 1000)}s (over 3 intervals)`,
      };
    },
  };
}
