/**
 * The managed clusters of a sandbox's world, each run as on AKS: its own Kubernetes API (own port,
 * own objects, own token; files of the first in the state directory, of the others in
 * `clusters/<name>/`) and its own simulated cloud controller, acting in ARM as the cluster's
 * control-plane identity and putting load balancers and Private Link Services in the cluster's node
 * resource group. One kubeconfig holds a context per cluster, named after it; the first is current.
 */
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { ArmEmulator } from "./arm/index.js";
import { type CloudController, startCloudController } from "./controller/index.js";
import {
  CLUSTERS_DIR,
  STATE_FILE as KUBE_STATE_FILE,
  type KubeEmulator,
  startKubeEmulator,
} from "./kube/index.js";
import type { ClusterSource } from "./network/index.js";
import type { ManagedClusterSpec, WorldSpec } from "./world.js";

export interface SandboxCluster {
  name: string;
  spec: ManagedClusterSpec;
  kube: KubeEmulator;
  controller: CloudController;
}

/** A cluster as `sandbox.json` records it: its API and its context in the sandbox's kubeconfig. */
export interface ClusterRuntime {
  name: string;
  url: string;
  context: string;
}

export interface ClusterStartOptions {
  stateDir: string;
  host?: string | undefined;
  arm: ArmEmulator;
  /** Without delays nothing is worth waiting 5 s for (retries of injected 5xx, say). */
  fastPolling: boolean;
  log?: ((line: string) => void) | undefined;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The Kubernetes API of `spec` on `port` (0: a free one); a taken port is given up for a free one. */
export async function startClusterApi(
  o: ClusterStartOptions,
  world: WorldSpec,
  spec: ManagedClusterSpec,
  port: number | undefined,
): Promise<KubeEmulator> {
  const start = (p: number | undefined) =>
    startKubeEmulator({
      stateDir: o.stateDir,
      world,
      cluster: spec.name,
      ...(p ? { port: p } : {}),
      ...(o.host ? { host: o.host } : {}),
      adminToken: () => o.arm.adminToken,
      ...(o.log ? { log: o.log } : {}),
    });
  try {
    return await start(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || !port) throw err;
    o.log?.(`sandbox: port ${port} of cluster ${spec.name}'s Kubernetes API is taken; using a free one`);
    return start(undefined);
  }
}

export function startClusterController(
  o: ClusterStartOptions,
  spec: ManagedClusterSpec,
  kube: KubeEmulator,
): Promise<CloudController> {
  const token = o.arm.tokens[spec.controllerIdentity];
  if (!token)
    throw new Error(
      `the sandbox world's managed cluster ${spec.name} needs a controllerIdentity that is an identity`,
    );
  return startCloudController({
    kube: { url: kube.url, token: kube.token, caCertPem: kube.caCertPem },
    arm: { url: o.arm.url, token, caCertPem: o.arm.caCertPem },
    cluster: spec,
    ...(o.fastPolling ? { pollIntervalMs: 10 } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
}

/** The clusters of `specs` that are not in `running` (by name), those kept, and those of `running` gone. */
export function clusterChanges(
  specs: ManagedClusterSpec[],
  running: SandboxCluster[],
): {
  added: ManagedClusterSpec[];
  kept: Array<SandboxCluster & { next: ManagedClusterSpec }>;
  gone: SandboxCluster[];
} {
  const specOf = (c: SandboxCluster) => specs.find((m) => same(m.name, c.name));
  return {
    added: specs.filter((m) => !running.some((c) => same(c.name, m.name))),
    kept: running.flatMap((c) => {
      const next = specOf(c);
      return next ? [{ ...c, next }] : [];
    }),
    gone: running.filter((c) => !specOf(c)),
  };
}

/** The kubeconfig of every cluster: one context each, named after the cluster; the first is current. */
export function kubeconfigOf(clusters: SandboxCluster[]): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: {
        server: c.kube.url,
        "certificate-authority-data": Buffer.from(c.kube.caCertPem).toString("base64"),
      },
    })),
    users: clusters.map((c) => ({ name: `${c.name}-admin`, user: { token: c.kube.token } })),
    contexts: clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-admin`, namespace: "default" },
    })),
    "current-context": clusters[0]?.name ?? "",
    preferences: {},
  });
}

export function writeKubeconfig(path: string, clusters: SandboxCluster[]): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigOf(clusters), { mode: 0o600 });
  renameSync(tmp, path);
}

export function clusterRuntimes(clusters: SandboxCluster[]): ClusterRuntime[] {
  return clusters.map((c) => ({ name: c.name, url: c.kube.url, context: c.name }));
}

/** What the partner network needs to send a connection to the cluster that holds the PLS. */
export function clusterSources(clusters: SandboxCluster[]): ClusterSource[] {
  return clusters.map((c) => ({
    name: c.name,
    subscriptionId: c.spec.subscriptionId,
    loadBalancerResourceGroup: c.spec.cloudConfig.resourceGroup,
    kube: c.kube,
  }));
}

/** The port a cluster's API had in the last run (kept in sandbox.json), to reuse it. */
export function lastPort(last: ClusterRuntime[] | undefined, name: string): number | undefined {
  const url = last?.find((c) => same(c.name, name))?.url;
  const port = url ? Number(new URL(url).port) : Number.NaN;
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** The object files of the clusters after the first (their tokens stay, as the first's do). */
export function clusterStateFiles(stateDir: string): string[] {
  const dir = join(stateDir, CLUSTERS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name, KUBE_STATE_FILE))
    .filter((f) => existsSync(f));
}

export function clearClusterStates(stateDir: string): void {
  for (const f of clusterStateFiles(stateDir)) rmSync(f, { force: true });
}
