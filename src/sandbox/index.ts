/**
 * The whole sandbox in one process: the ARM emulator, the Kubernetes API emulator and the simulated
 * AKS cloud controller, sharing one state directory (certificates, tokens, resources). A running
 * sandbox describes itself in `<stateDir>/sandbox.json` so other processes (`plsctl sandbox env`,
 * `status`, `reset`) can find it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type ArmEmulator, type EmulatorSettings, startArmEmulator } from "./arm/index.js";
import { STATE_FILE as ARM_STATE_FILE } from "./arm/state.js";
import { loopbackHost } from "./bind.js";
import {
  type ClusterRuntime,
  type ClusterStartOptions,
  clearClusterStates,
  clusterChanges,
  clusterRuntimes,
  clusterSources,
  clusterStateFiles,
  lastPort,
  type SandboxCluster,
  startClusterApi,
  startClusterController,
  writeKubeconfig,
} from "./clusters.js";
import type { CloudController } from "./controller/index.js";
import { type IdentityEnv, identities } from "./identities.js";
import { STATE_FILE as KUBE_STATE_FILE, type KubeEmulator, startKubeEmulator } from "./kube/index.js";
import {
  clustersPolicyGate,
  type IngressGate,
  type PartnerNetwork,
  startPartnerNetwork,
} from "./network/index.js";
import { ensureStateDir } from "./state-dir.js";
import { defaultWorld, type ManagedClusterSpec, type WorldSpec } from "./world.js";

export type { ClusterRuntime, SandboxCluster } from "./clusters.js";
export type { IdentityEnv } from "./identities.js";

export const RUNTIME_FILE = "sandbox.json";
export const WORLD_FILE = "world.json";

export interface SandboxOptions {
  stateDir: string;
  /** Used when the state directory holds no world yet (first start, after reset). */
  world?: WorldSpec;
  armPort?: number;
  kubePort?: number;
  /** Loopback address both servers listen on: 127.0.0.1 (default) or localhost; others are refused. */
  host?: string;
  /** The partner network's proxy (HTTP CONNECT, absolute-form HTTP, SOCKS5); 0 or absent: a free port. */
  proxyPort?: number;
  /**
   * Decides whether NetworkPolicies admit a partner connection into a pod (default: the cluster's
   * NetworkPolicies, as the Kubernetes emulator holds them at connection time).
   */
  ingressGate?: IngressGate;
  /** How long a connection a NetworkPolicy drops hangs before the proxy answers (default 2 s). */
  dropDelayMs?: number;
  /** How long Azure's long-running operations take (default 0). */
  lroDelayMs?: number;
  /**
   * How long Azure takes to provision a load balancer or Private Link Service change (default 0):
   * its PUT stays `Updating` that long, and the controller waits for it.
   */
  provisioningDelayMs?: number;
  /** ARM emulator settings (page size, strict re-approval, limits) over the world's `emulator` ones. */
  armSettings?: Partial<EmulatorSettings>;
  log?: (line: string) => void;
}

/** What `sandbox.json` holds while a sandbox runs. */
export interface SandboxRuntime {
  pid: number;
  startedAt: string;
  resetAt?: string;
  /** Set when it stopped; the file stays so the next start reuses the ports. */
  stoppedAt?: string;
  stateDir: string;
  arm: { url: string; caFile: string };
  /** The first managed cluster's Kubernetes API; the kubeconfig has a context for every cluster. */
  kube: { url: string; kubeconfigPath: string; context: string };
  /** Every managed cluster, the first included (absent in files of older sandboxes). */
  clusters?: ClusterRuntime[];
  /** The partner network's proxy, `http://127.0.0.1:<port>` (absent in files of older sandboxes). */
  proxy?: { url: string };
  identities: IdentityEnv[];
}

export interface Sandbox {
  arm: ArmEmulator;
  /** The first managed cluster's Kubernetes API (`clusters[0].kube`). */
  kube: KubeEmulator;
  /** The first managed cluster's cloud controller. */
  controller: CloudController;
  /** Every managed cluster of the world, in its order: API and controller each. */
  clusters: SandboxCluster[];
  network: PartnerNetwork;
  world: WorldSpec;
  runtime: SandboxRuntime;
  reset(world?: WorldSpec): Promise<void>;
  close(): Promise<void>;
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** The world of this state directory: the saved one, else the given one (saved for next time). */
export function stateWorld(stateDir: string, given?: WorldSpec): WorldSpec {
  const path = join(stateDir, WORLD_FILE);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as WorldSpec;
  const world = given ?? defaultWorld();
  ensureStateDir(stateDir);
  writeJson(path, world);
  return world;
}

export function hasState(stateDir: string): boolean {
  return (
    [ARM_STATE_FILE, KUBE_STATE_FILE].some((f) => existsSync(join(stateDir, f))) ||
    clusterStateFiles(stateDir).length > 0
  );
}

/** Forgets every resource (keeps the CA and the tokens, so exported environments stay valid). */
export function clearState(stateDir: string, world?: WorldSpec): void {
  for (const f of [ARM_STATE_FILE, KUBE_STATE_FILE, WORLD_FILE]) rmSync(join(stateDir, f), { force: true });
  clearClusterStates(stateDir);
  if (world) stateWorld(stateDir, world);
}

export function readRuntime(stateDir: string): SandboxRuntime | undefined {
  const path = join(stateDir, RUNTIME_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SandboxRuntime;
  } catch {
    return undefined;
  }
}

/** The runtime of a sandbox that is running now, if any. */
export function liveRuntime(stateDir: string): SandboxRuntime | undefined {
  const rt = readRuntime(stateDir);
  return rt && !rt.stoppedAt && isAlive(rt.pid) ? rt : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A sandbox's parts while it starts and runs (what reset and close act on). */
interface Parts {
  opts: SandboxOptions & { stateDir: string };
  co: ClusterStartOptions;
  /** What sandbox.json said before this start (its ports are reused). */
  last: SandboxRuntime | undefined;
  arm: ArmEmulator;
  kube?: KubeEmulator;
  network?: PartnerNetwork;
  clusters: SandboxCluster[];
}

async function stopControllers(s: Parts): Promise<void> {
  for (const c of s.clusters) await c.controller.stop();
}

/** Starts the API (on the port of the last run, else a free one) and the controller of `spec`. */
async function startCluster(s: Parts, w: WorldSpec, spec: ManagedClusterSpec): Promise<SandboxCluster> {
  const api = await startClusterApi(s.co, w, spec, lastPort(s.last?.clusters, spec.name));
  try {
    return { name: spec.name, spec, kube: api, controller: await startClusterController(s.co, spec, api) };
  } catch (err) {
    await api.close();
    throw err;
  }
}

/** After the ARM emulator: the first cluster's API and controller, the other clusters, the partner network. */
async function startServers(s: Parts, world: WorldSpec, cluster: ManagedClusterSpec) {
  const { opts, arm } = s;
  const log = opts.log;
  const k = await startKubeEmulator({
    stateDir: opts.stateDir,
    world,
    ...(opts.kubePort ? { port: opts.kubePort } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    adminToken: () => arm.adminToken,
    ...(log ? { log } : {}),
  });
  s.kube = k;
  s.clusters.push({
    name: cluster.name,
    spec: cluster,
    kube: k,
    controller: await startClusterController(s.co, cluster, k),
  });
  for (const spec of world.managedClusters.slice(1)) s.clusters.push(await startCluster(s, world, spec));
  const byName = () => new Map(s.clusters.map((c) => [c.name.toLowerCase(), c.kube]));
  const net = await startPartnerNetwork({
    sources: { arm: () => arm.state(), kube: k, clusters: () => clusterSources(s.clusters) },
    ...(opts.proxyPort ? { port: opts.proxyPort } : {}),
    gate: opts.ingressGate ?? clustersPolicyGate(byName, k),
    ...(opts.dropDelayMs !== undefined ? { dropDelayMs: opts.dropDelayMs } : {}),
    ...(log ? { log } : {}),
  });
  s.network = net;
  return { k, net };
}

/** Closes what started when a later part failed to start. */
async function abandon(s: Parts): Promise<void> {
  await stopControllers(s);
  await s.network?.close();
  for (const c of s.clusters) if (c.kube !== s.kube) await c.kube.close();
  await s.kube?.close();
  await s.arm.close();
  s.clusters = [];
}

/**
 * Back to `next` (default: the default world): the ARM state, the first cluster's API (it stays:
 * its port is in every exported environment) following the world's first cluster, the others
 * kept, started or stopped by name; every controller restarted. Returns the world now in force.
 */
async function resetParts(
  s: Parts,
  k: KubeEmulator,
  runtime: SandboxRuntime,
  next?: WorldSpec,
): Promise<WorldSpec> {
  const { opts, co, arm } = s;
  await stopControllers(s);
  if (next) clearState(opts.stateDir, next);
  const world = stateWorld(opts.stateDir, next ?? defaultWorld());
  await arm.reset(world);
  const [firstSpec, ...rest] = world.managedClusters;
  if (!firstSpec) throw new Error("the sandbox world has no managed cluster");
  await k.reset(world);
  const restarted: SandboxCluster[] = [
    {
      name: firstSpec.name,
      spec: firstSpec,
      kube: k,
      controller: await startClusterController(co, firstSpec, k),
    },
  ];
  const { added, kept, gone } = clusterChanges(rest, s.clusters.slice(1));
  for (const c of gone) await c.kube.close();
  for (const c of kept) {
    await c.kube.reset(world);
    restarted.push({
      name: c.name,
      spec: c.next,
      kube: c.kube,
      controller: await startClusterController(co, c.next, c.kube),
    });
  }
  for (const spec of added) restarted.push(await startCluster(s, world, spec));
  s.clusters = restarted;
  runtime.identities = identities(world, arm, k.kubeconfigPath);
  runtime.clusters = clusterRuntimes(s.clusters);
  runtime.kube.context = firstSpec.name;
  writeKubeconfig(k.kubeconfigPath, s.clusters);
  runtime.resetAt = new Date().toISOString();
  writeJson(join(opts.stateDir, RUNTIME_FILE), runtime);
  return world;
}

async function closeParts(s: Parts, k: KubeEmulator, net: PartnerNetwork): Promise<void> {
  await stopControllers(s);
  await net.close();
  for (const c of s.clusters) if (c.kube !== k) await c.kube.close();
  await k.close();
  await s.arm.close();
  const live = readRuntime(s.opts.stateDir);
  if (live?.pid === process.pid)
    writeJson(join(s.opts.stateDir, RUNTIME_FILE), { ...live, stoppedAt: new Date().toISOString() });
}

export async function startSandbox(given: SandboxOptions): Promise<Sandbox> {
  // Absolute: sandbox.json records the CA and kubeconfig paths that `sandbox env` exports, and
  // other processes (other shells, other directories) read them.
  const opts = { ...given, stateDir: resolve(given.stateDir) };
  loopbackHost(opts.host);
  const world = stateWorld(opts.stateDir, opts.world);
  const cluster = world.managedClusters[0];
  if (!cluster) throw new Error(`the sandbox world in ${opts.stateDir} has no managed cluster`);
  const log = opts.log;
  const last = readRuntime(opts.stateDir);
  const arm = await startArmEmulator({
    stateDir: opts.stateDir,
    world,
    lroDelayMs: opts.lroDelayMs ?? 0,
    provisioningDelayMs: opts.provisioningDelayMs ?? 0,
    ...(opts.armSettings ? { settings: opts.armSettings } : {}),
    ...(opts.armPort ? { port: opts.armPort } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(log ? { log } : {}),
  });
  const fastPolling = !(opts.lroDelayMs || opts.provisioningDelayMs);
  const co: ClusterStartOptions = { stateDir: opts.stateDir, host: opts.host, arm, fastPolling, log };
  const s: Parts = { opts, co, last, arm, clusters: [] };
  try {
    const { k, net } = await startServers(s, world, cluster);
    writeKubeconfig(k.kubeconfigPath, s.clusters);
    const runtime: SandboxRuntime = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stateDir: opts.stateDir,
      arm: { url: arm.url, caFile: arm.caFile },
      kube: { url: k.url, kubeconfigPath: k.kubeconfigPath, context: cluster.name },
      clusters: clusterRuntimes(s.clusters),
      proxy: { url: net.url },
      identities: identities(world, arm, k.kubeconfigPath),
    };
    writeJson(join(opts.stateDir, RUNTIME_FILE), runtime);
    let currentWorld = world;
    return {
      arm,
      kube: k,
      network: net,
      get controller() {
        return (s.clusters[0] as SandboxCluster).controller;
      },
      get clusters() {
        return [...s.clusters];
      },
      get world() {
        return currentWorld;
      },
      runtime,
      async reset(next?: WorldSpec) {
        currentWorld = await resetParts(s, k, runtime, next);
      },
      close: () => closeParts(s, k, net),
    };
  } catch (err) {
    await abandon(s);
    throw err;
  }
}
