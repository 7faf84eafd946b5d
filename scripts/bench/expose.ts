/**
 * expose's waiting, measured against a sandbox in this process, plsctl as a separate process:
 * - detection lag: from the moment the PLS reaches Succeeded in the sandbox (the end of its
 *   long-running operation) to the moment `plsctl expose` exits;
 * - ARM reads per minute of waiting, from the sandbox's per-identity request counters.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ArmState } from "../../src/sandbox/arm/types.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { cliEnv, median } from "./lib/common.js";

function adminState(sb: Sandbox): Promise<ArmState> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sb.arm.url}/_sandbox/state`,
      { ca: sb.arm.caCertPem, headers: { authorization: `Bearer ${sb.arm.adminToken}` } },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve(JSON.parse(body) as ArmState));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function createService(sb: Sandbox, name: string): Promise<void> {
  const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kube.kubeconfigPath);
  await kc.makeApiClient(CoreV1Api).createNamespacedService({
    namespace: "default",
    body: {
      metadata: { name, annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } },
      spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 80 }] },
    },
  });
}

function providerReads(sb: Sandbox): number {
  const ops = sb.arm.counters().byIdentity.provider?.byOperation ?? {};
  return Object.entries(ops)
    .filter(([op]) => /_(Get|List\w*)$/.test(op))
    .reduce((s, [, n]) => s + n, 0);
}

function expose(sb: Sandbox, service: string): Promise<{ code: number | null; end: number; stdout: string }> {
  const env = cliEnv(sb, tmpdir());
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/plsctl.js", "expose", service, "-o", "json"], { env });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("exit", (code) => resolve({ code, end: Date.now(), stdout }));
  });
}

async function run(lroDelayMs: number, service: string, sb: Sandbox) {
  await createService(sb, service);
  const readsBefore = providerReads(sb);
  const start = Date.now();
  const r = await expose(sb, service);
  if (r.code !== 0) throw new Error(`expose exited ${r.code}: ${r.stdout}`);
  const pls = JSON.parse(r.stdout) as { id: string };
  const state = await adminState(sb);
  const op = Object.values(state.operations).find((o) =>
    o.settle.some((id) => id.toLowerCase() === pls.id.toLowerCase()),
  );
  if (!op) throw new Error("no long-running operation found for the PLS");
  return {
    lagMs: r.end - op.doneAt,
    waitMs: r.end - start,
    reads: providerReads(sb) - readsBefore,
    lroDelayMs,
  };
}

export default async function bench(): Promise<void> {
  console.log("\nexpose: detection lag (PLS Succeeded in the sandbox → plsctl expose exits)");
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-"));
  const fast = await startSandbox({ stateDir: dir, lroDelayMs: 3000 });
  try {
    const lags: number[] = [];
    for (let i = 0; i < 5; i++) lags.push((await run(3000, `lag-${i}`, fast)).lagMs);
    console.log(`  Azure operations take 3 s; 5 runs: ${lags.map((l) => `${l} ms`).join(", ")}`);
    console.log(`  median ${median(lags)} ms, max ${Math.max(...lags)} ms (target ≤ 2000 ms)`);
  } finally {
    await fast.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const waitS = Number(process.env.BENCH_WAIT_S ?? 60);
  console.log(`\nexpose: ARM reads while waiting (a Private Link Service that takes ${waitS} s)`);
  const dir2 = mkdtempSync(join(tmpdir(), "plsctl-bench-"));
  const slow = await startSandbox({ stateDir: dir2, lroDelayMs: waitS * 1000 });
  try {
    const r = await run(waitS * 1000, "slow", slow);
    const perMin = (r.reads / r.waitMs) * 60_000;
    console.log(
      `  ${r.reads} reads in ${(r.waitMs / 1000).toFixed(1)} s (whole command) → ${perMin.toFixed(1)} reads/min (target ≤ 30); lag ${r.lagMs} ms`,
    );
  } finally {
    await slow.close();
    rmSync(dir2, { recursive: true, force: true });
  }
}
