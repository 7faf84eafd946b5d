/**
 * The simulated AKS cloud controller: watches Services in the Kubernetes emulator and reconciles
 * load-balancer frontends and Private Link Services in the ARM emulator exactly as
 * kubernetes-sigs/cloud-provider-azure does (pkg/provider/azure_loadbalancer.go, reconcileService;
 * pkg/provider/azure_privatelinkservice.go, reconcilePrivateLinkService).
 * It talks to both emulators over HTTPS like a real controller; it holds no state of its own that
 * the emulators do not also have, so restarting it re-ensures every LoadBalancer Service.
 */
import type { SandboxClock } from "../clock.js";
import type { ManagedClusterSpec } from "../world.js";
import { createArmClient } from "./arm-client.js";
import { createServiceInformer } from "./informer.js";
import { createKubeClient } from "./kube-client.js";
import { createWorkQueue } from "./queue.js";
import { type SyncDeps, syncService } from "./sync.js";

export { FINALIZER } from "./sync.js";

export interface CloudControllerOptions {
  kube: { url: string; token: string; caCertPem: string };
  /** `token` is the aks-controller identity's token. */
  arm: { url: string; token: string; caCertPem: string };
  cluster: ManagedClusterSpec;
  /** Per-Service backoff after a failed sync (default 5000 doubling to 300000 ms). */
  retry?: { baseMs: number; maxMs: number };
  /**
   * ARM LRO poll interval without Retry-After (default 5000 ms, as the CCM). The ARM emulator always
   * sends Retry-After while an operation runs; this also paces the retries of 429/5xx answers.
   */
  pollIntervalMs?: number;
  /** Paces the waits for ARM's long-running operations and the backoff (default: real time). */
  clock?: SandboxClock;
  log?: (line: string) => void;
}

export interface CloudController {
  /** Resolves when no reconcile is queued or running (waiting backoff timers count as idle). */
  idle(): Promise<void>;
  /** Ends the watch and the timers; waits for a running reconcile to finish. */
  stop(): Promise<void>;
}

export async function startCloudController(opts: CloudControllerOptions): Promise<CloudController> {
  const log = opts.log;
  const abort = new AbortController();
  const kube = createKubeClient({ ...opts.kube, ...(log ? { log } : {}) });
  const arm = createArmClient({
    ...opts.arm,
    pollIntervalMs: opts.pollIntervalMs ?? 5000,
    signal: abort.signal,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
  });
  const deps: SyncDeps = {
    arm,
    kube,
    cluster: opts.cluster,
    signal: abort.signal,
    ...(log ? { log } : {}),
  };
  const queue = createWorkQueue({
    baseMs: opts.retry?.baseMs ?? 5000,
    maxMs: opts.retry?.maxMs ?? 300_000,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
    async process(key) {
      const svc = services.get(key);
      if (!svc) return true;
      return syncService(deps, svc);
    },
  });
  const services = createServiceInformer(kube, (key) => queue.add(key));
  await services.relist();
  const watching = services.run(abort.signal, log);
  return {
    async idle() {
      // Like an informer resync: catch up with the API server first, so a Service written just
      // before this call is seen even if its watch event is still in flight.
      for (let i = 0; i < 100; i++) {
        await queue.idle();
        const queued = await services.relist();
        if (!queued && !queue.busy()) return;
      }
    },
    async stop() {
      abort.abort();
      await queue.stop();
      await watching;
    },
  };
}
