import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NetworkManagementClient } from "@azure/arm-network";
import type { EmulatorSettings } from "../../src/sandbox/arm/settings.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { cliEnv, exec, median } from "./lib/common.js";

const ROUNDS = Number(process.env.BENCH_APPROVE_ROUNDS ?? 3);
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const LB = "kubernetes-internal";

const HUGE = { burst: 1_000_000, refillPerSecond: 1_000_000 };
/** Throttling out of the way (seeding; the latency comparison). */
const RELAXED: Partial<EmulatorSettings> = {
  armReadBucket: HUGE,
  armWriteBucket: HUGE,
  armDeleteBucket: HUGE,
  networkWriteLimit: { writes: 1_000_000, windowSeconds: 1 },
};
/** ARM's write bucket with a fast refill; reads as Azure; Microsoft.Network's own limit relaxed. */
const FAST_BUCKET: Partial<EmulatorSettings> = {
  armReadBucket: { burst: 250, refillPerSecond: 25 },
  armWriteBucket: { burst: 200, refillPerSecond: 100 },
  armDeleteBucket: { burst: 200, refillPerSecond: 10 },
  networkWriteLimit: { writes: 1_000_000, windowSeconds: 1 },
};

/** The default world, with a partner subnet large enough for thousands of private endpoints. */
function benchWorld() {
  const w = defaultWorld();
  const spoke = w.virtualNetworks?.find((v) => v.name === "spoke01");
  spoke?.subnets.push({ name: "bench-pe", addressPrefix: "10.0.64.0/18" });
  return w;
}

function client(sb: Sandbox, identity: string): { net: NetworkManagementClient; sub: string } {
  const token = sb.arm.tokens[identity];
  const sub = sb.world.identities.find((i) => i.name === identity)?.defaultSubscriptionId;
  if (!token || !sub) throw new Error(`no identity ${identity}`);
  const net = new NetworkManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    sub,
    { endpoint: sb.arm.url, tlsOptions: { ca: sb.arm.caCertPem } } as never,
  );
  return { net, sub };
}

async function pool<T>(items: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++] as T);
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/** What the AKS controller makes for `names.length` Services: one frontend each, one PLS each (tagged). */
async function seedPlss(sb: Sandbox, names: string[], cluster = "kubernetes"): Promise<string[]> {
  const { net, sub } = client(sb, "aks-controller");
  const aksSubnet = `/subscriptions/${sub}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet`;
  let lb: Awaited<ReturnType<typeof net.loadBalancers.get>> | undefined;
  try {
    lb = await net.loadBalancers.get(NODE_RG, LB);
  } catch {
    lb = undefined;
  }
  const fronts = (lb?.frontendIPConfigurations ?? []).map((f) => ({ name: f.name, subnet: f.subnet }));
  for (const n of names) fronts.push({ name: `fe-${n}`, subnet: { id: aksSubnet } });
  lb = await net.loadBalancers.createOrUpdate(NODE_RG, LB, {
    location: "westeurope",
    sku: { name: "Standard" },
    frontendIPConfigurations: fronts.map((f) => ({ ...f, privateIPAllocationMethod: "Dynamic" })),
  });
  const subnet = await net.subnets.get("rg-aks", "aks-vnet", "aks-subnet");
  if (subnet.privateLinkServiceNetworkPolicies !== "Disabled") {
    await net.subnets.createOrUpdate("rg-aks", "aks-vnet", "aks-subnet", {
      ...subnet,
      privateLinkServiceNetworkPolicies: "Disabled",
    });
  }
  const partnerSub = client(sb, "partner").sub;
  const ids: string[] = [];
  for (const n of names) {
    const fe = lb.frontendIPConfigurations?.find((f) => f.name === `fe-${n}`)?.id ?? "";
    const pls = await net.privateLinkServices.createOrUpdate(NODE_RG, n, {
      location: "westeurope",
      tags: { "k8s-azure-owner-service": `bench/${n}`, "k8s-azure-cluster-name": cluster },
      loadBalancerFrontendIpConfigurations: [{ id: fe }],
      ipConfigurations: [
        {
          name: `aks-subnet-${n}-dynamic-0`,
          privateIPAllocationMethod: "Dynamic",
          subnet: { id: aksSubnet },
          primary: true,
          privateIPAddressVersion: "IPv4",
        },
      ],
      visibility: { subscriptions: [partnerSub] },
    });
    ids.push(pls.id ?? "");
  }
  return ids;
}

let peCount = 0;
/** The partner asks for `n` connections to the PLS (each a PUT of a private endpoint). */
async function seedPending(sb: Sandbox, plsId: string, n: number): Promise<void> {
  const { net, sub } = client(sb, "partner");
  const names = Array.from({ length: n }, () => `pe-${++peCount}`);
  await pool(names, 16, async (name) => {
    await net.privateEndpoints.createOrUpdate(
      "rg-partner",
      name,
      {
        location: "westeurope",
        subnet: {
          id: `/subscriptions/${sub}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/bench-pe`,
        },
        manualPrivateLinkServiceConnections: [
          { name, privateLinkServiceId: plsId, requestMessage: "Fabrikam, ticket 42" },
        ],
      },
      { updateIntervalInMs: 5 },
    );
  });
}

interface Run {
  ms: number;
  requests: Record<string, number>;
  approved: number;
  failed: number;
  rssMb?: number;
}

function providerOps(sb: Sandbox): Record<string, number> {
  return { ...(sb.arm.counters().byIdentity.provider?.byOperation ?? {}) };
}
const total = (ops: Record<string, number>) => Object.values(ops).reduce((s, n) => s + n, 0);

/** `plsctl approve <where> --all-pending -o json` as a child; with `rss`, under GNU time (or a hook). */
async function approve(
  sb: Sandbox,
  where: string[],
  extra: string[],
  dir: string,
  rss = false,
): Promise<Run> {
  const env = cliEnv(sb, dir);
  const args = ["bin/plsctl.js", "approve", ...where, "--all-pending", "-o", "json", ...extra];
  const gnuTime = rss && existsSync("/usr/bin/time");
  const rssFile = join(dir, "rss");
  const hook = join(dir, "rss.mjs");
  if (rss && !gnuTime) {
    writeFileSync(
      hook,
      `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
    );
  }
  sb.arm.resetCounters();
  const start = performance.now();
  const r = gnuTime
    ? await exec("/usr/bin/time", ["-f", "%M", process.execPath, ...args], env)
    : await exec(process.execPath, rss ? ["--import", hook, ...args] : args, env);
  const ms = performance.now() - start;
  const requests = providerOps(sb);
  if (r.code !== 0) throw new Error(`approve exited ${r.code}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { approved: number; failed: number } };
  const run: Run = { ms, requests, approved: out.summary.approved, failed: out.summary.failed };
  if (gnuTime) run.rssMb = Number(r.stderr.trim().split("\n").at(-1)) / 1024;
  else if (rss) run.rssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
  return run;
}

/** The scripts' and az CLI's way: list, then for each Pending connection GET it, then PUT it Approved. */
async function serialLoop(sb: Sandbox, plsId: string): Promise<Run> {
  const { net } = client(sb, "provider");
  const name = plsId.split("/").at(-1) ?? "";
  sb.arm.resetCounters();
  const start = performance.now();
  const pending: string[] = [];
  for await (const c of net.privateLinkServices.listPrivateEndpointConnections(NODE_RG, name)) {
    if (c.privateLinkServiceConnectionState?.status === "Pending") pending.push(c.name ?? "");
  }
  let approved = 0;
  for (const n of pending) {
    const c = await net.privateLinkServices.getPrivateEndpointConnection(NODE_RG, name, n);
    await net.privateLinkServices.updatePrivateEndpointConnection(NODE_RG, name, n, {
      ...c,
      privateLinkServiceConnectionState: { status: "Approved", description: "Approved by script" },
    });
    approved += 1;
  }
  const ms = performance.now() - start;
  return { ms, requests: providerOps(sb), approved, failed: pending.length - approved };
}

const fmtOps = (ops: Record<string, number>) =>
  Object.entries(ops)
    .sort()
    .map(([op, n]) => `${n} ${op.replace(/^PrivateLinkServices_/, "")}`)
    .join(", ");

async function withSandbox<T>(
  settings: Partial<EmulatorSettings>,
  f: (sb: Sandbox, dir: string) => Promise<T>,
) {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-"));
  const sb = await startSandbox({
    stateDir: join(dir, "sandbox"),
    world: benchWorld(),
    armSettings: settings,
  });
  try {
    return await f(sb, dir);
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function check(r: Run, n: number, what: string): void {
  if (r.approved !== n || r.failed !== 0)
    throw new Error(`${what}: ${r.approved} approved, ${r.failed} failed`);
}

async function latencyComparison(): Promise<void> {
  const N = 200;
  console.log(
    `\napprove: ${N} Pending, 50 ms latency on every ARM request (${ROUNDS} rounds round-robin, medians)`,
  );
  const names = [
    "plsctl approve (concurrency 8)",
    "plsctl approve --concurrency 1",
    "SDK loop: GET then PUT",
  ];
  const runs: Run[][] = [[], [], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (let v = 0; v < 3; v++) {
      // A sandbox of its own for each run: every variant meets the same state size.
      const r = await withSandbox(RELAXED, async (sb, dir) => {
        const [id = ""] = await seedPlss(sb, ["pls-lat"]);
        await seedPending(sb, id, N);
        sb.arm.setFaults([{ kind: "latency", latencyMs: 50, probability: 1, identity: "provider" }]);
        return v === 2
          ? await serialLoop(sb, id)
          : await approve(sb, ["--pls", id], v === 1 ? ["--concurrency", "1"] : [], dir);
      });
      check(r, N, names[v] as string);
      runs[v]?.push(r);
    }
  }
  const med = runs.map((rs) => median(rs.map((r) => r.ms)));
  console.log(`  ${"".padEnd(34)}${"wall".padStart(9)}${"requests".padStart(10)}   what it sent`);
  for (const [v, name] of names.entries()) {
    const ops = runs[v]?.[0]?.requests ?? {};
    console.log(
      `  ${name.padEnd(34)}${`${(med[v] ?? 0).toFixed(0)} ms`.padStart(9)}${String(total(ops)).padStart(10)}   ${fmtOps(ops)}`,
    );
  }
  const [c8 = 0, c1 = 0, loop = 0] = med;
  console.log(`  samples (ms): ${runs.map((rs) => rs.map((r) => r.ms.toFixed(0)).join("/")).join("; ")}`);
  console.log(`  vs --concurrency 1: ${(c1 / c8).toFixed(1)}× faster (target ≥ 6×)`);
  console.log(`  vs GET-then-PUT loop: ${(loop / c8).toFixed(1)}× faster (target ≥ 10×)`);
}

async function bucketRun(): Promise<void> {
  const N = 1000;
  const bound = ((N - 200) / 100) * 1000;
  console.log(
    `\napprove: ${N} Pending under ARM's write bucket, burst 200 + 100/s (${ROUNDS} runs, medians)`,
  );
  // Each run on a fresh sandbox, as the latency runs: a run must not meet the state of the last.
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(
      await withSandbox(RELAXED, async (sb, dir) => {
        const [id = ""] = await seedPlss(sb, [`pls-bucket-${round}`]);
        await seedPending(sb, id, N);
        sb.arm.setSettings(FAST_BUCKET);
        // A full bucket to start with: the provider's last writes were ≥ 2 s ago at 100/s, or none.
        await new Promise((r) => setTimeout(r, 2100));
        const r = await approve(sb, ["--pls", id], [], dir, true);
        check(r, N, "approve 1000");
        return r;
      }),
    );
  }
  const ms = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.rssMb ?? Number.NaN));
  const ops = runs[0]?.requests ?? {};
  console.log(
    `  wall ${ms.toFixed(0)} ms (samples ${runs.map((r) => r.ms.toFixed(0)).join("/")}); bound ${bound} ms → ${(ms / bound).toFixed(2)}× (target ≤ 1.2×)`,
  );
  console.log(`  requests ${total(ops)}: ${fmtOps(ops)}; failures ${runs.map((r) => r.failed).join("/")}`);
  console.log(
    `  peak RSS of the child ${rss.toFixed(0)} MB (samples ${runs.map((r) => (r.rssMb ?? 0).toFixed(0)).join("/")}; target ≤ 150 MB)`,
  );
}

async function fleetRun(): Promise<void> {
  const P = 50;
  const N = 20;
  console.log(`\napprove --all: ${P} PLSs × ${N} Pending, ARM's write bucket burst 200 + 100/s`);
  await withSandbox(RELAXED, async (sb, dir) => {
    const plss = await seedPlss(
      sb,
      Array.from({ length: P }, (_, i) => `pls-fleet-${i}`),
    );
    await pool(plss, 4, (id) => seedPending(sb, id, N));
    sb.arm.setSettings(FAST_BUCKET);
    await new Promise((r) => setTimeout(r, 2100));
    const r = await approve(sb, ["--all"], [], dir);
    check(r, P * N, "approve --all");
    console.log(
      `  wall ${r.ms.toFixed(0)} ms (bucket bound ${((P * N - 200) / 100).toFixed(0)} s); requests ${total(r.requests)}: ${fmtOps(r.requests)}`,
    );
  });
}

export default async function bench(): Promise<void> {
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\napprove benches (load average ${load})`);
  await latencyComparison();
  await bucketRun();
  await fleetRun();
}
