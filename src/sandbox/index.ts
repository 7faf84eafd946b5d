/**
 * The whole sandbox in one process: the ARM emulator, the Kubernetes API emulator and the simulated
 * AKS cloud controller, sharing one state directory (certificates, tokens, resources). A running
 * sandbox describes itself in `<stateDir>/sandbox.json` so other processes (`plsctl sandbox env`,
 * `status`, `reset`) can find it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ArmEmulator, type EmulatorSettings, startArmEmulator } from "./arm/index.js";
import { STATE_FILE as ARM_STATE_FILE } from "./arm/state.js";
import { loopbackHost } from "./bind.js";
import { type CloudController, startCloudController } from "./controller/index.js";
import { STATE_FILE as KUBE_STATE_FILE, type KubeEmulator, startKubeEmulator } from "./kube/index.js";
import {
  type IngressGate,
  networkPolicyGate,
  type PartnerNetwork,
  startPartnerNetwork,
} from "./network/index.js";
import { ensureStateDir } from "./state-dir.js";
import { defaultWorld, type WorldSpec } from "./world.js";

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

export interface IdentityEnv {
  name: string;
  displayName: string;
  tenantId: string;
  subscriptionId: string;
  token: string;
  /** Only identities of the cluster's tenant get the kubeconfig. */
  kubeconfig: string | undefined;
  /**
   * The VNet this identity's connections come from through the partner proxy (its name, or its
   * URL-encoded resource id when the name is not unique): the one VNet of its default subscription
   * that is not the cluster's. Absent when there is not exactly one.
   */
  vnet?: string;
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
  kube: { url: string; kubeconfigPath: string; context: string };
  /** The partner network's proxy, `http://127.0.0.1:<port>` (absent in files of older sandboxes). */
  proxy?: { url: string };
  identities: IdentityEnv[];
}

export interface Sandbox {
  arm: ArmEmulator;
  kube: KubeEmulator;
  controller: CloudController;
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
  return [ARM_STATE_FILE, KUBE_STATE_FILE].some((f) => existsSync(join(stateDir, f)));
}

/** Forgets every resource (keeps the CA and the tokens, so exported environments stay valid). */
export function clearState(stateDir: string, world?: WorldSpec): void {
  for (const f of [ARM_STATE_FILE, KUBE_STATE_FILE, WORLD_FILE]) rmSync(join(stateDir, f), { force: true });
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

/** The one VNet of `subscriptionId` that is not the cluster's, as a proxy user names it. */
function vnetOf(world: WorldSpec, subscriptionId: string): string | undefined {
  const cfg = world.managedClusters[0]?.cloudConfig;
  const own = world.virtualNetworks.filter(
    (v) =>
      v.subscriptionId === subscriptionId &&
      !(v.name === cfg?.vnetName && v.resourceGroup === cfg?.vnetResourceGroup),
  );
  const v = own.length === 1 ? own[0] : undefined;
  if (!v) return undefined;
  const unique =
    world.virtualNetworks.filter((x) => x.name.toLowerCase() === v.name.toLowerCase()).length === 1;
  if (unique) return v.name;
  const id = `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${v.name}`;
  return encodeURIComponent(id);
}

function identities(world: WorldSpec, arm: ArmEmulator, kubeconfig: string): IdentityEnv[] {
  const clusterTenant = world.subscriptions.find(
    (s) => s.id === world.managedClusters[0]?.subscriptionId,
  )?.tenantId;
  const cluster = world.managedClusters[0];
  // The cluster's own identities (control plane, kubelet) are not people one acts as.
  const own = new Set([cluster?.controllerIdentity, cluster?.kubeletIdentity]);
  return world.identities
    .filter((i) => !own.has(i.name))
    .map((i) => ({
      name: i.name,
      displayName: i.displayName,
      tenantId: i.tenantId,
      subscriptionId: i.defaultSubscriptionId,
      token: arm.tokens[i.name] ?? "",
      kubeconfig: i.tenantId === clusterTenant ? kubeconfig : undefined,
      ...(vnetOf(world, i.defaultSubscriptionId) ? { vnet: vnetOf(world, i.defaultSubscriptionId) } : {}),
    }));
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  loopbackHost(opts.host);
  const world = stateWorld(opts.stateDir, opts.world);
  const cluster = world.managedClusters[0];
  if (!cluster) throw new Error(`the sandbox world in ${opts.stateDir} has no managed cluster`);
  const log = opts.log;
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
  let kube: KubeEmulator | undefined;
  let controller: CloudController | undefined;
  let network: PartnerNetwork | undefined;
  try {
    kube = await startKubeEmulator({
      stateDir: opts.stateDir,
      world,
      ...(opts.kubePort ? { port: opts.kubePort } : {}),
      ...(opts.host ? { host: opts.host } : {}),
      adminToken: () => arm.adminToken,
      ...(log ? { log } : {}),
    });
    const k = kube;
    const startController = (w: WorldSpec) => {
      const c = w.managedClusters[0];
      const token = c ? arm.tokens[c.controllerIdentity] : undefined;
      if (!c || !token)
        throw new Error("the sandbox world needs a managed cluster whose controllerIdentity is an identity");
      return startCloudController({
        kube: { url: k.url, token: k.token, caCertPem: k.caCertPem },
        arm: { url: arm.url, token, caCertPem: arm.caCertPem },
        cluster: c,
        // Without delays nothing is worth waiting 5 s for (retries of injected 5xx, say).
        ...(opts.lroDelayMs || opts.provisioningDelayMs ? {} : { pollIntervalMs: 10 }),
        ...(log ? { log } : {}),
      });
    };
    controller = await startController(world);
    network = await startPartnerNetwork({
      sources: { arm: () => arm.state(), kube: k },
      ...(opts.proxyPort ? { port: opts.proxyPort } : {}),
      gate: opts.ingressGate ?? networkPolicyGate(k),
      ...(opts.dropDelayMs !== undefined ? { dropDelayMs: opts.dropDelayMs } : {}),
      ...(log ? { log } : {}),
    });
    const net = network;
    const runtime: SandboxRuntime = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stateDir: opts.stateDir,
      arm: { url: arm.url, caFile: arm.caFile },
      kube: { url: k.url, kubeconfigPath: k.kubeconfigPath, context: cluster.name },
      proxy: { url: net.url },
      identities: identities(world, arm, k.kubeconfigPath),
    };
    writeJson(join(opts.stateDir, RUNTIME_FILE), runtime);
    let current = controller;
    let currentWorld = world;
    return {
      arm,
      kube: k,
      network: net,
      get controller() {
        return current;
      },
      get world() {
        return currentWorld;
      },
      runtime,
      async reset(next?: WorldSpec) {
        await current.stop();
        if (next) clearState(opts.stateDir, next);
        currentWorld = stateWorld(opts.stateDir, next ?? defaultWorld());
        await arm.reset(currentWorld);
        await k.reset(currentWorld);
        runtime.identities = identities(currentWorld, arm, k.kubeconfigPath);
        current = await startController(currentWorld);
        runtime.resetAt = new Date().toISOString();
        writeJson(join(opts.stateDir, RUNTIME_FILE), runtime);
      },
      async close() {
        await current.stop();
        await net.close();
        await k.close();
        await arm.close();
        const live = readRuntime(opts.stateDir);
        if (live?.pid === process.pid)
          writeJson(join(opts.stateDir, RUNTIME_FILE), { ...live, stoppedAt: new Date().toISOString() });
      },
    };
  } catch (err) {
    await controller?.stop();
    await network?.close();
    await kube?.close();
    await arm.close();
    throw err;
  }
}
