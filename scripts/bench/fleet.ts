import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Resource } from "../../src/sandbox/arm/types.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { DEFAULT_IDS, defaultWorld } from "../../src/sandbox/world.js";
import { cliEnv, exec, median } from "./lib/common.js";

const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 3);
const SUBS = 5;
const PER_SUB = 100;
const PENDING = 2;
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const HUGE = { burst: 1_000_000, refillPerSecond: 1_000_000 };

const subId = (i: number) =>
  i === 0 ? DEFAULT_IDS.providerSubscriptionId : `0000000${i}-aaaa-4bbb-8ccc-${String(i).padStart(12, "0")}`;

function fleetWorld() {
  const w = defaultWorld();
  const provider = w.identities.find((x) => x.name === "provider");
  for (let i = 1; i < SUBS; i++) {
    w.subscriptions.push({
      id: subId(i),
      tenantId: DEFAULT_IDS.providerTenantId,
      displayName: `contoso-aks-${i}`,
    });
    provider?.roleAssignments.push({ role: "Contributor", scope: `/subscriptions/${subId(i)}` });
    w.resourceGroups.push({ subscriptionId: subId(i), name: NODE_RG, location: "westeurope" });
  }
  return w;
}

let pe = 0;
function seed(sb: Sandbox): string[] {
  const resources = (sb.arm.state() as { resources: Record<string, Resource> }).resources;
  const subs = Array.from({ length: SUBS }, (_, i) => subId(i));
  for (const sub of subs) {
    for (let i = 0; i < PER_SUB; i++) {
      const name = `pls-${sub.slice(0, 8)}-${i}`;
      const id = `/subscriptions/${sub}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/${name}`;
      const connections = Array.from({ length: PENDING }, () => {
        const n = `pe-${++pe}.${String(pe).padStart(8, "0")}-1111-4111-8111-111111111111`;
        return {
          id: `${id}/privateEndpointConnections/${n}`,
          name: n,
          type: "Microsoft.Network/privateLinkServices/privateEndpointConnections",
          properties: {
            provisioningState: "Succeeded",
            privateEndpoint: {
              id: `/subscriptions/${DEFAULT_IDS.partnerSubscriptionId}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe-${pe}`,
            },
            privateLinkServiceConnectionState: {
              status: "Pending",
              description: "Fabrikam, ticket 42",
              actionsRequired: "None",
            },
          },
        };
      });
      resources[id.toLowerCase()] = {
        id,
        name,
        type: "Microsoft.Network/privateLinkServices",
        location: "westeurope",
        tags: { "k8s-azure-owner-service": `bench/${name}`, "k8s-azure-cluster-name": "kubernetes" },
        etag: 'W/"1"',
        properties: {
          provisioningState: "Succeeded",
          alias: `${name}.00000000-0000-0000-0000-000000000000.westeurope.azure.privatelinkservice`,
          privateEndpointConnections: connections,
        },
      };
    }
  }
  return subs;
}

interface Run {
  ms: number;
  requests: Record<string, number>;
  planned: number;
  fellBack: boolean;
}

async function run(listing: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-fleet-"));
  const sb = await startSandbox({
    stateDir: join(dir, "sandbox"),
    world: fleetWorld(),
    armSettings: { armReadBucket: HUGE, armWriteBucket: HUGE, armDeleteBucket: HUGE },
  });
  try {
    const subs = seed(sb);
    sb.arm.setFaults([
      { kind: "latency", latencyMs: 50, probability: 1, identity: "provider" },
      ...(listing
        ? [
            {
              status: 403,
              code: "Forbidden",
              message: "Resource Graph refused (bench: the listing path)",
              match: { path: "/providers/Microsoft.ResourceGraph/resources" },
            },
          ]
        : []),
    ]);
    sb.arm.resetCounters();
    const args = ["bin/plsctl.js", "approve", "--all", "--subscriptions", subs.join(","), "--all-pending"];
    const start = performance.now();
    const r = await exec(process.execPath, [...args, "--dry-run", "-o", "json"], cliEnv(sb, dir));
    const ms = performance.now() - start;
    if (r.code !== 0) throw new Error(`approve exited ${r.code}: ${r.stderr}`);
    const planned = (JSON.parse(r.stdout) as { summary: { approved: number } }).summary.approved;
    const requests = { ...(sb.arm.counters().byIdentity.provider?.byOperation ?? {}) };
    return { ms, requests, planned, fellBack: /refused the query/.test(r.stderr) };
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const total = (ops: Record<string, number>) => Object.values(ops).reduce((s, n) => s + n, 0);
const fmt = (ops: Record<string, number>) =>
  Object.entries(ops)
    .sort()
    .map(([op, n]) => `${n} ${op}`)
    .join(", ");

export default async function bench(): Promise<void> {
  const n = SUBS * PER_SUB;
  console.log(
    `\nfleet discovery: ${n} PLSs × ${PENDING} Pending across ${SUBS} subscriptions, 50 ms latency per request (${ROUNDS} rounds, medians)`,
  );
  const graph: Run[] = [];
  const listing: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    graph.push(await run(false));
    listing.push(await run(true));
  }
  for (const [name, runs] of [
    ["Resource Graph (--subscriptions)", graph],
    ["listing (Resource Graph refused)", listing],
  ] as const) {
    const r = runs[0] as Run;
    if (runs.some((x) => x.planned !== n * PENDING)) throw new Error(`${name}: ${r.planned} planned`);
    const ms = median(runs.map((x) => x.ms));
    console.log(
      `  ${name.padEnd(34)}${`${ms.toFixed(0)} ms`.padStart(9)}${String(total(r.requests)).padStart(6)} requests: ${fmt(r.requests)}${r.fellBack ? " (fallback said on stderr)" : ""}`,
    );
    console.log(`    samples (ms): ${runs.map((x) => x.ms.toFixed(0)).join("/")}`);
  }
  const g = total(graph[0]?.requests ?? {});
  console.log(`  discovery requests with Resource Graph: ${g} (target ≤ 10)`);
}
