/** --metrics-addr parsing, and the approver's readiness rule, without a server. */
import { describe, expect, it } from "vitest";
import type { DecideResult } from "../../src/domain/decide.js";
import { parseMetricsAddr } from "../../src/domain/metrics-addr.js";
import { createApproverMetrics } from "../../src/output/metrics.js";

describe("parseMetricsAddr", () => {
  it.each([
    ["127.0.0.1:9464", { host: "127.0.0.1", port: 9464, exposed: false }],
    ["localhost:9464", { host: "localhost", port: 9464, exposed: false }],
    ["[::1]:9464", { host: "::1", port: 9464, exposed: false }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0, exposed: false }],
    ["0.0.0.0:9464", { host: "0.0.0.0", port: 9464, exposed: true }],
    ["[::]:9464", { host: "::", port: 9464, exposed: true }],
    ["10.1.2.3:9464", { host: "10.1.2.3", port: 9464, exposed: true }],
  ])("%s", (raw, want) => {
    expect(parseMetricsAddr(raw)).toEqual(want);
  });

  it.each([
    ["9464", /is not host:port/],
    ["127.0.0.1", /is not host:port/],
    ["127.0.0.1:70000", /is not host:port/],
    ["::1:9464", /is not host:port/],
    [":9464", /names no host: plsctl does not listen beyond this machine unless told so/],
    ["metrics.example:9464", /the host must be an IP address/],
  ])("%s: a usage error (exit 2)", (raw, message) => {
    expect(() => parseMetricsAddr(raw)).toThrow(message);
    try {
      parseMetricsAddr(raw);
    } catch (err) {
      expect(err).toMatchObject({ exitCode: 2 });
      expect((err as { hint?: string }).hint).toMatch(/127\.0\.0\.1:\d+/);
    }
  });
});

describe("the approver's metrics and readiness", () => {
  const setup = (leaderElect: boolean) => {
    let now = 1_000_000;
    const m = createApproverMetrics({ intervalMs: 30_000, now: () => now, leaderElect });
    return { m, at: (t: number) => (now = t) };
  };

  it("ready once a pass succeeded, until 3 intervals pass without another", () => {
    const { m, at } = setup(false);
    expect(m.ready()).toEqual({ ok: false, why: "no pass has succeeded yet" });
    m.passEnded(true, 1_200);
    expect(m.ready().ok).toBe(true);
    at(1_000_000 + 90_000);
    expect(m.ready().ok).toBe(true);
    m.passEnded(false, 500);
    at(1_000_000 + 90_001);
    expect(m.ready()).toEqual({ ok: false, why: "no pass succeeded for 90s (over 3 intervals)" });
  });

  it("a follower is ready while it sees another replica's live Lease", () => {
    const { m, at } = setup(true);
    expect(m.ready().ok).toBe(false);
    m.role("follower");
    expect(m.ready()).toEqual({ ok: true, why: "following: another replica holds a live Lease" });
    at(1_000_000 + 90_001);
    expect(m.ready().ok).toBe(false);
    m.role("follower");
    expect(m.ready().ok).toBe(true);
    m.role("candidate");
    expect(m.ready().ok).toBe(false);
  });

  it("exposes passes, decisions by verb and outcome, ARM answers and retries, duration, leader, last success", async () => {
    const { m } = setup(true);
    m.role("leader");
    m.passEnded(true, 2_000);
    const d = (action: string, outcome: string) => ({ action, outcome }) as DecideResult["results"][number];
    m.decided({
      verb: "approve",
      results: [
        d("approve", "approved"),
        d("approve", "approved"),
        d("reject", "failed"),
        d("none", "skipped"),
      ],
    } as DecideResult);
    m.progress({ kind: "arm-answer", method: "PUT", status: 200 });
    m.progress({ kind: "arm-answer", method: "GET", status: 429 });
    m.progress({
      kind: "arm-retry",
      reason: "throttled",
      method: "GET",
      resource: "x/y",
      status: 429,
      code: null,
      waitMs: 1000,
      retry: 1,
    });
    const text = await m.text();
    expect(text).toContain('plsctl_approver_passes_total{result="succeeded"} 1');
    expect(text).toContain('plsctl_approver_passes_total{result="failed"} 0');
    expect(text).toContain('plsctl_approver_decisions_total{verb="approve",outcome="approved"} 2');
    expect(text).toContain('plsctl_approver_decisions_total{verb="reject",outcome="failed"} 1');
    expect(text).not.toContain('outcome="skipped"');
    expect(text).toContain('plsctl_approver_arm_requests_total{method="PUT",status="200"} 1');
    expect(text).toContain('plsctl_approver_arm_requests_total{method="GET",status="429"} 1');
    expect(text).toContain('plsctl_approver_arm_retries_total{reason="throttled"} 1');
    expect(text).toContain('plsctl_approver_pass_duration_seconds_bucket{le="2.5"} 1');
    expect(text).toContain('plsctl_approver_pass_duration_seconds_bucket{le="1"} 0');
    expect(text).toContain("plsctl_approver_leader 1");
    expect(text).toContain("plsctl_approver_last_success_timestamp_seconds 1000");
  });
});
