/**
 * `approve --watch --metrics-addr`: /metrics, /healthz and /readyz scraped on loopback during a
 * watch against the sandbox; a bad address (malformed, not loopback without saying so, in use)
 * is exit 2 before the first pass, with nothing sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites, partnerEndpoints } from "../helpers/sandbox-sdk.js";

const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "scraped", "pls-scraped");
});

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
};

describe("approve --watch --metrics-addr", () => {
  it("serves /metrics, /healthz and /readyz on loopback while it watches; gone after the stop", async () => {
    await partnerEndpoints(t.sb, plsId, 2, { prefix: "pe-scrape", message: "scrape" });
    const controller = new AbortController();
    let base = "";
    type Scrape = Awaited<ReturnType<typeof get>>;
    let scraped: Promise<{ metrics: Scrape; healthz: Scrape; readyz: Scrape; other: Scrape }> | undefined;
    let stderr = "";
    const r = await runCli(
      [
        "approve",
        "scraped",
        "--message-match",
        "^scrape$",
        "--watch",
        "--interval",
        "30s",
        "--leader-elect",
        "--lease-name",
        "scraped",
        "--metrics-addr",
        "127.0.0.1:0",
      ],
      {
        env: t.env,
        signal: controller.signal,
        onStderr: (chunk) => {
          stderr += chunk;
          base ||= /Serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1] ?? "";
          if (!scraped && /Pass 1 done/.test(stderr)) {
            scraped = (async () => {
              const out = {
                metrics: await get(`${base}/metrics`),
                healthz: await get(`${base}/healthz`),
                readyz: await get(`${base}/readyz`),
                other: await get(`${base}/other`),
              };
              controller.abort(Object.assign(new Error("Terminated"), { name: "AbortError" }));
              return out;
            })();
          }
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = await (scraped as NonNullable<typeof scraped>);
    expect(s.metrics.status).toBe(200);
    expect(s.metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(s.metrics.body).toContain('plsctl_approver_passes_total{result="succeeded"} 1');
    expect(s.metrics.body).toContain('plsctl_approver_decisions_total{verb="approve",outcome="approved"} 2');
    expect(s.metrics.body).toMatch(/plsctl_approver_arm_requests_total\{method="PUT",status="20\d"\} 2/);
    expect(s.metrics.body).toMatch(/plsctl_approver_arm_requests_total\{method="GET",status="200"\} \d+/);
    expect(s.metrics.body).toContain("plsctl_approver_pass_duration_seconds_count 1");
    expect(s.metrics.body).toContain("plsctl_approver_leader 1");
    expect(s.metrics.body).toMatch(/plsctl_approver_last_success_timestamp_seconds \d{10}/);
    expect(s.healthz).toMatchObject({ status: 200, body: "ok\n" });
    expect(s.readyz.status).toBe(200);
    expect(s.readyz.body).toMatch(/^ok: last pass succeeded \d+s ago/);
    expect(s.other.status).toBe(404);
    expect(r.stderr).toMatch(/Stopped on SIGTERM after 1 pass; Lease default\/scraped released\./);
    // The server closed with the loop.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it("is off by default: no server", async () => {
    const r = await runCli(["approve", "scraped", "--all-pending", "--watch", "--for", "1ms"], {
      env: t.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Serving/);
  });

  describe("a bad --metrics-addr: exit 2 before the first pass, nothing sent", () => {
    const refused = async (addr: string, message: RegExp) => {
      t.sb.arm.resetCounters();
      const writes = kubeWrites(t.sb);
      const r = await runCli(
        ["approve", "scraped", "--all-pending", "--watch", "--leader-elect", "--metrics-addr", addr],
        { env: t.env },
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/Pass 1/);
      expect(t.sb.arm.counters().total).toBe(0);
      expect(kubeWrites(t.sb)).toBe(writes);
    };

    it("malformed", () => refused("9464", /error: --metrics-addr "9464" is not host:port\./));
    it("every interface without saying so", () =>
      refused(":9464", /names no host: plsctl does not listen beyond this machine unless told so/));
    it("in use", async () => {
      const other = createServer();
      await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
      const { port } = other.address() as AddressInfo;
      try {
        await refused(
          `127.0.0.1:${port}`,
          new RegExp(`--metrics-addr 127\\.0\\.0\\.1:${port}: the port is in use\\.`),
        );
      } finally {
        other.close();
      }
    });
    it("without --watch", async () => {
      const r = await runCli(["approve", "scraped", "--all-pending", "--metrics-addr", "127.0.0.1:9464"], {
        env: t.env,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--metrics-addr go with --watch/);
    });
  });
});
