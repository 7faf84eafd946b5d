/**
 * status sends the reads that need only the Service's name (the nodes, plsctl's NetworkPolicies)
 * with the Service's own read, not after its answer: one round trip less on every run.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();

/** What the client did, in order: "send <what>" and "answer <what>", from undici's diagnostics channel. */
function recordRequests(what: (path: string) => string | undefined) {
  const seen: string[] = [];
  const on = (prefix: string) => (m: unknown) => {
    const name = what((m as { request: { path: string } }).request.path);
    if (name) seen.push(`${prefix} ${name}`);
  };
  const send = on("send");
  const answer = on("answer");
  subscribe("undici:request:create", send);
  subscribe("undici:request:headers", answer);
  return {
    seen,
    stop: () => {
      unsubscribe("undici:request:create", send);
      unsubscribe("undici:request:headers", answer);
    },
  };
}

describe("status round trips", () => {
  it("asks for the nodes and the NetworkPolicies before the Service has answered", async () => {
    await createService(t.core, "trips", INTERNAL);
    const exposed = await runCli(["expose", "trips", "--pls-name", "pls-trips"], { env: t.env });
    expect(exposed.code, exposed.stderr).toBe(0);
    // The Service's answer waits, so that the order below cannot depend on the machine's speed.
    t.sb.kube.setFaults([
      { kind: "latency", verb: "get", path: "/services/trips$", latencyMs: 200, times: 1 },
    ]);
    const log = recordRequests((path) =>
      /\/services\/trips$/.test(path)
        ? "service"
        : path.startsWith("/api/v1/nodes")
          ? "nodes"
          : path.includes("/networkpolicies")
            ? "policies"
            : undefined,
    );
    try {
      const r = await runCli(["status", "trips", "-o", "json"], { env: t.env });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).name).toBe("pls-trips");
    } finally {
      log.stop();
      t.sb.kube.setFaults([]);
    }
    const answered = log.seen.indexOf("answer service");
    expect(answered).toBeGreaterThan(-1);
    expect(log.seen.indexOf("send nodes")).toBeGreaterThan(-1);
    expect(log.seen.indexOf("send nodes")).toBeLessThan(answered);
    expect(log.seen.indexOf("send policies")).toBeGreaterThan(-1);
    expect(log.seen.indexOf("send policies")).toBeLessThan(answered);
  });

  it("still says only that the Service is missing when it is", async () => {
    const r = await runCli(["status", "nosuch", "-o", "json"], { env: t.env });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toMatch(/nosuch/);
    expect(r.stderr).not.toMatch(/node|NetworkPolic/i);
  });
});
