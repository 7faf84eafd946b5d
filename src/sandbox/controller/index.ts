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
import { createArmClient, sleep } from "./arm-client.js";
import { createKubeClient, type ServiceObject, type WatchEvent } from "./kube-client.js";
import { errorText } from "./messages.js";
import { createWorkQueue } from "./queue.js";
import { needsCleanup, type SyncDeps, syncService, wantsLoadBalancer } from "./sync.js";

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

/** What `needsUpdate` of the service controller compares. */
function fingerprint(svc: ServiceObject): string {
  return JSON.stringify({
    uid: svc.metadata.uid,
    deleting: svc.metadata.deletionTimestamp !== undefined,
    annotations: svc.metadata.annotations ?? {},
    spec: {
      type: svc.spec?.type,
      ports: svc.spec?.ports,
      loadBalancerIP: svc.spec?.loadBalancerIP,
      loadBalancerClass: svc.spec?.loadBalancerClass,
      externalTrafficPolicy: svc.spec?.externalTrafficPolicy,
      healthCheckNodePort: svc.spec?.healthCheckNodePort,
      ipFamilies: svc.spec?.ipFamilies,
    },
  });
}

function newer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) > BigInt(b);
  return a !== b;
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
  const cache = new Map<string, ServiceObject>();
  /** Fingerprint of the object last handed to the queue, per key. */
  const seen = new Map<string, string>();
  const keyOf = (s: ServiceObject) => `${s.metadata.namespace}/${s.metadata.name}`;

  const queue = createWorkQueue({
    baseMs: opts.retry?.baseMs ?? 5000,
    maxMs: opts.retry?.maxMs ?? 300_000,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
    async process(key) {
      const svc = cache.get(key);
      if (!svc) return true;
      return syncService(deps, svc);
    },
  });

  /** Informer update handler: cache the object, queue it when `needsUpdate` says so. */
  function observe(svc: ServiceObject): boolean {
    const key = keyOf(svc);
    const old = cache.get(key);
    if (
      old &&
      old.metadata.uid === svc.metadata.uid &&
      !newer(svc.metadata.resourceVersion, old.metadata.resourceVersion)
    ) {
      return false;
    }
    cache.set(key, svc);
    const fp = fingerprint(svc);
    const changed = seen.get(key) !== fp;
    seen.set(key, fp);
    // needsUpdate: a relevant change, or a Service that needs its load balancer cleaned up.
    if (!changed && !(needsCleanup(svc) && old?.metadata.resourceVersion !== svc.metadata.resourceVersion)) {
      return false;
    }
    if (!wantsLoadBalancer(svc) && !needsCleanup(svc)) return false;
    queue.add(key);
    return true;
  }

  function forget(svc: ServiceObject) {
    const key = keyOf(svc);
    cache.delete(key);
    seen.delete(key);
  }

  let resourceVersion = "";
  async function relist(): Promise<boolean> {
    const list = await kube.listServices();
    let queued = false;
    const present = new Set<string>();
    for (const svc of list.items) {
      present.add(keyOf(svc));
      if (observe(svc)) queued = true;
    }
    const listRv = list.metadata.resourceVersion ?? "";
    // Forget what the list no longer has, unless the watch already delivered something newer.
    for (const [key, svc] of cache) {
      if (!present.has(key) && !newer(svc.metadata.resourceVersion, listRv)) forget(svc);
    }
    resourceVersion = listRv;
    return queued;
  }

  function onEvent(e: WatchEvent) {
    if (e.type === "BOOKMARK") {
      resourceVersion = e.object.metadata?.resourceVersion ?? resourceVersion;
      return;
    }
    if (e.type === "ERROR") {
      if (e.object.code === 410) resourceVersion = "";
      return;
    }
    resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion;
    if (e.type === "DELETED") forget(e.object);
    else observe(e.object);
  }

  const pause = (ms: number) => sleep(ms, abort.signal);

  await relist();
  const watching = (async () => {
    while (!abort.signal.aborted) {
      try {
        if (resourceVersion === "") await relist();
        const started = Date.now();
        await kube.watchServices(resourceVersion, onEvent, abort.signal);
        // A server that ends watches at once must not make this loop spin.
        if (Date.now() - started < 50) await pause(200);
      } catch (err) {
        if (abort.signal.aborted) break;
        log?.(`controller: watch services: ${errorText(err)}; re-listing`);
        resourceVersion = "";
        await pause(200);
      }
    }
  })();

  return {
    async idle() {
      // Like an informer resync: catch up with the API server first, so a Service written just
      // before this call is seen even if its watch event is still in flight.
      for (let i = 0; i < 100; i++) {
        await queue.idle();
        const queued = await relist();
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
