/**
 * The sandbox's own delays, measured on the wall clock (the tests check them on injected clocks and
 * counters instead, so that load on the machine cannot fail them):
 * - a `latency` fault: the delayed request against the same request without the fault;
 * - a long-running operation with `lroDelayMs`: from the PUT until its status says Succeeded;
 * - ARM read throttling: requests accepted before the first 429, against 250 + 25/s of elapsed time;
 * - the controller's provisioning delay: from creating a Service until it has its ingress IP.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { median } from "./lib/common.js";

const PROV_SUB = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const PART_SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const VNET = `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet?api-version=2026-01-01`;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(sb: Sandbox, method: string, path: string, token: string, body?: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    const url = path.startsWith("https:") ? path : `${sb.arm.url}${path}`;
    const req = request(
      url,
      {
        method,
        ca: sb.arm.caCertPem,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const token = (sb: Sandbox, identity: string): string => {
  const t = sb.arm.tokens[identity];
  if (!t) throw new Error(`no token for ${identity}`);
  return t;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function withSandbox<T>(
  opts: { lroDelayMs?: number; provisioningDelayMs?: number },
  fn: (sb: Sandbox) => Promise<T>,
) {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-"));
  const sb = await startSandbox({ stateDir: dir, ...opts });
  try {
    return await fn(sb);
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function latencyFault(sb: Sandbox): Promise<void> {
  const provider = token(sb, "provider");
  const plain: number[] = [];
  const delayed: number[] = [];
  for (let i = 0; i < 5; i++) {
    plain.push(await timed(() => call(sb, "GET", VNET, provider)));
    sb.arm.setFaults([{ operation: "VirtualNetworks_Get", kind: "latency", latencyMs: 250, times: 1 }]);
    delayed.push(await timed(() => call(sb, "GET", VNET, provider)));
    sb.arm.setFaults([]);
  }
  const extra = median(delayed) - median(plain);
  console.log(
    `  latency fault of 250 ms: ${median(delayed).toFixed(1)} ms against ${median(plain).toFixed(1)} ms without → +${extra.toFixed(1)} ms (${((extra / 250) * 100).toFixed(0)} % of the fault)`,
  );
}

async function lro(sb: Sandbox, delayMs: number): Promise<void> {
  const partner = token(sb, "partner");
  const took: number[] = [];
  for (let i = 0; i < 3; i++) {
    const zone = `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateDnsZones/bench${i}.example?api-version=2024-06-01`;
    took.push(
      await timed(async () => {
        const put = await call(sb, "PUT", zone, partner, { location: "global" });
        const status = put.headers["azure-asyncoperation"];
        if (typeof status !== "string") throw new Error(`PUT answered ${put.status} without a status URL`);
        for (;;) {
          const s = JSON.parse((await call(sb, "GET", status, partner)).body) as { status: string };
          if (s.status !== "InProgress") return;
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );
  }
  console.log(
    `  long-running operation with lroDelayMs ${delayMs}: Succeeded after ${median(took).toFixed(0)} ms (median of 3; ${(median(took) / delayMs).toFixed(2)}× the delay)`,
  );
}

async function throttling(sb: Sandbox): Promise<void> {
  const partner = token(sb, "partner");
  const path = `/subscriptions/${PART_SUB}/resourceGroups/rg-partner?api-version=2021-04-01`;
  const start = performance.now();
  let accepted = 0;
  while ((await call(sb, "GET", path, partner)).status === 200 && accepted < 10_000) accepted++;
  const s = (performance.now() - start) / 1000;
  console.log(
    `  read throttling: ${accepted} reads accepted in ${s.toFixed(2)} s before the first 429 (250 burst + 25/s → ${(250 + 25 * s).toFixed(0)})`,
  );
}

async function provisioning(sb: Sandbox, delayMs: number): Promise<void> {
  const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kube.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const took = await timed(async () => {
    await core.createNamespacedService({
      namespace: "default",
      body: {
        metadata: {
          name: "bench-delay",
          annotations: {
            "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
            "service.beta.kubernetes.io/azure-pls-create": "true",
          },
        },
        spec: { type: "LoadBalancer", selector: { app: "bench" }, ports: [{ port: 80 }] },
      },
    });
    for (;;) {
      const svc = await core.readNamespacedService({ name: "bench-delay", namespace: "default" });
      if (svc.status?.loadBalancer?.ingress?.[0]?.ip) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  console.log(
    `  controller provisioning delay ${delayMs} ms: ingress IP ${took.toFixed(0)} ms after the Service was created (${(took / delayMs).toFixed(2)}× the delay)`,
  );
}

export default async function bench(): Promise<void> {
  console.log("\nsandbox delays (wall clock; the tests use injected clocks)");
  await withSandbox({}, async (sb) => {
    await latencyFault(sb);
    await throttling(sb);
  });
  await withSandbox({ lroDelayMs: 300 }, (sb) => lro(sb, 300));
  await withSandbox({ provisioningDelayMs: 400 }, (sb) => provisioning(sb, 400));
}
