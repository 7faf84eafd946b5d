/**
 * `plsctl verify` in sandbox mode never dials anything but loopback — in-process (vitest's
 * loopback guard, plus a record of every net.Socket.prototype.connect) and as a spawned plsctl
 * (the guard and a connect recorder --imported into the child) — against the sandbox `startSandbox`
 * runs, whose partner network applies the cluster's NetworkPolicies by default: a deny-all policy
 * drops the partner, and its removal lets it through again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/run-cli.js";
import { deploySampleApp, envAs as envAsIn } from "../helpers/sandbox-cli.js";
import { partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { isLoopback, recordConnects } from "../sandbox/helpers/partner-net.js";
import type { TestSandbox } from "../sandbox/helpers/sandbox.js";
import { runNode } from "./run-node.js";

const RECORDER = pathToFileURL(join(import.meta.dirname, "../helpers/connect-recorder.mjs")).href;
let sb: Sandbox;
let dir: string;
let partner: Record<string, string>;
let policies: NetworkingV1Api;
let ip = "";

const envAs = (identity: string) => envAsIn(dir, identity);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-verify-e2e-"));
  sb = await startSandbox({ stateDir: dir, dropDelayMs: 20 });
  const provider = await envAs("provider");
  partner = await envAs("partner");
  policies = (await deploySampleApp(provider.KUBECONFIG ?? "")).makeApiClient(NetworkingV1Api);
  const sub = partner.AZURE_SUBSCRIPTION_ID ?? "";
  const exposed = await runCli(
    ["expose", "sample-app", "--pls-name", "pls-app", "--visibility", sub, "-o", "json"],
    {
      env: provider,
    },
  );
  expect(exposed.code, exposed.stderr).toBe(0);
  await partnerEndpoint(sb as unknown as TestSandbox, "pe-app", JSON.parse(exposed.stdout).id);
  const approved = await runCli(["approve", "sample-app", "--from-subscription", sub, "--all-pending"], {
    env: provider,
  });
  expect(approved.code, approved.stderr).toBe(0);
});

afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const args = ["verify", "--endpoint", "pe-app", "-g", "rg-partner", "--http", "/", "-o", "json"];

describe("plsctl verify in sandbox mode dials loopback only", () => {
  it("in-process: reached, and every socket went to 127.0.0.0/8", async () => {
    const connects = recordConnects();
    try {
      const r = await runCli(args, { env: partner });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ reached: true, via: "proxy", http: { status: 200 } });
      ip = out.endpoint.privateIp;
      expect(ip).toMatch(/^10\.0\.0\.\d+$/);
    } finally {
      connects.stop();
    }
    expect(connects.calls.length).toBeGreaterThan(1); // ARM and the proxy
    expect(connects.calls.filter((c) => !isLoopback(c.host))).toEqual([]);
    expect(connects.calls.map((c) => c.host)).not.toContain(ip);
  });

  it("a spawned plsctl, under the loopback guard and a connect recorder: reached, loopback only", async () => {
    const log = join(dir, "connects.jsonl");
    writeFileSync(log, "");
    const r = await runNode(["bin/plsctl.js", ...args], {
      home: dir,
      env: {
        ...partner,
        NODE_OPTIONS: `--import=${RECORDER}`,
        PLSCTL_TEST_CONNECT_LOG: log,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reached: true, http: { status: 200 } });
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { host?: string; path?: string });
    const tcp = calls.filter((c) => c.host !== undefined);
    expect(tcp.length).toBeGreaterThan(1);
    expect(tcp.filter((c) => !isLoopback(c.host ?? ""))).toEqual([]);
  });

  it("a proxy URL off loopback is refused (exit 2) before any socket opens", async () => {
    const connects = recordConnects();
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(args, { env: { ...partner, PLSCTL_SANDBOX_PROXY: "http://spoke01@10.0.0.1:3128" } });
    } finally {
      connects.stop();
    }
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/10\.0\.0\.1 is not on this machine/);
    expect(connects.calls).toEqual([]);
  });
});

describe("startSandbox's partner network applies the cluster's NetworkPolicies", () => {
  it("a deny-all ingress policy drops the partner (exit 1, timed out / dropped); without it, reached", async () => {
    await policies.createNamespacedNetworkPolicy({
      namespace: "default",
      body: { metadata: { name: "deny-all" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    });
    const denied = await runCli(args, { env: partner });
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).cause).toMatchObject({
      kind: "timeout",
      message: expect.stringMatching(/dropped: A NetworkPolicy \(default\/deny-all\) drops connections/),
    });
    await policies.deleteNamespacedNetworkPolicy({ name: "deny-all", namespace: "default" });
    const again = await runCli(args, { env: partner });
    expect(again.code, again.stdout).toBe(0);
  });
});
