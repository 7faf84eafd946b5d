/**
 * The whole sandbox in one process: the ARM emulator, the Kubernetes API emulator and the simulated
 * AKS cloud controller, sharing one state directory (certificates, tokens, resources). A running
 * sandbox describes itself in `<stateDir>/sandbox.json` so other processes (`plsctl sandbox env`,
 * `status`, `reset`) can find it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ArmEmulator, type EmulatorSettings, startArmEmulator } from "./arm/index.js";
import { STATE_FILE as ARM_STATE_FILE } from "./arm/state.js";
import { type CloudController, startCloudController } from "./controller/index.js";
import { STATE_FILE as KUBE_STATE_FILE, type KubeEmulator, startKubeEmulator } from "./kube/index.js";
import { defaultWorld, type WorldSpec } from "./world.js";

export const RUNTIME_FILE = "sandbox.json";
export const WORLD_FILE = "world.json";

export interface SandboxOptions {
  stateDir: string;
  /** Used when the state directory holds no world yet (first start, after reset). */
  world?: WorldSpec;
  armPort?: number;
  kubePort?: number;
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
  identities: IdentityEnv[];
}

export interface Sandbox {
  arm: ArmEmulator;
  kube: KubeEmulator;
  controller: CloudController;
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
  mkdirSync(stateDir, { recursive: true });
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
    }));
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
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
    ...(log ? { log } : {}),
  });
  let kube: KubeEmulator | undefined;
  let controller: CloudController | undefined;
  try {
    kube = await startKubeEmulator({
      stateDir: opts.stateDir,
      world,
      ...(opts.kubePort ? { port: opts.kubePort } : {}),
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
    const runtime: SandboxRuntime = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stateDir: opts.stateDir,
      arm: { url: arm.url, caFile: arm.caFile },
      kube: { url: k.url, kubeconfigPath: k.kubeconfigPath, context: cluster.name },
      identities: identities(world, arm, k.kubeconfigPath),
    };
    writeJson(join(opts.stateDir, RUNTIME_FILE), runtime);
    let current = controller;
    let currentWorld = world;
    return {
      arm,
      kube: k,
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
        await k.close();
        await arm.close();
        const live = readRuntime(opts.stateDir);
        if (live?.pid === process.pid)
          writeJson(join(opts.stateDir, RUNTIME_FILE), { ...live, stoppedAt: new Date().toISOString() });
      },
    };
  } catch (err) {
    await controller?.stop();
    await kube?.close();
    await arm.close();
    throw err;
  }
}
