/**
 * The controller's Service informer, as client-go's shared informer feeds the service controller
 * (kubernetes/kubernetes pkg/controller/service/controller.go, needsUpdate): it lists and watches
 * Services, keeps the latest copy of each, and hands a key to `enqueue` when a Service changed in a
 * way the load balancer depends on, or needs its load balancer cleaned up.
 */
import { sleep } from "./arm-client.js";
import type { KubeClient, ServiceObject, WatchEvent } from "./kube-client.js";
import { errorText } from "./messages.js";
import { needsCleanup, wantsLoadBalancer } from "./sync.js";

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

export const keyOf = (s: ServiceObject) => `${s.metadata.namespace}/${s.metadata.name}`;

export interface ServiceInformer {
  /** The latest copy of the Service under `key` (namespace/name). */
  get(key: string): ServiceObject | undefined;
  /** Lists every Service; true when one was handed to `enqueue`. */
  relist(): Promise<boolean>;
  /** One watch event. */
  onEvent(e: WatchEvent): void;
  /** Watches until `signal` aborts, re-listing after an error or 410 Gone. */
  run(signal: AbortSignal, log?: (line: string) => void): Promise<void>;
}

export function createServiceInformer(kube: KubeClient, enqueue: (key: string) => void): ServiceInformer {
  const cache = new Map<string, ServiceObject>();
  /** Fingerprint of the object last handed to the queue, per key. */
  const seen = new Map<string, string>();
  let resourceVersion = "";

  /** Informer update handler: cache the object, queue it when `needsUpdate` says so. */
  function observe(svc: ServiceObject): boolean {
    const key = keyOf(svc);
    const old = cache.get(key);
    if (
      old &&
      old.metadata.uid === svc.metadata.uid &&
      !newer(svc.metadata.resourceVersion, old.metadata.resourceVersion)
    )
      return false;
    cache.set(key, svc);
    const fp = fingerprint(svc);
    const changed = seen.get(key) !== fp;
    seen.set(key, fp);
    // needsUpdate: a relevant change, or a Service that needs its load balancer cleaned up.
    if (!changed && !(needsCleanup(svc) && old?.metadata.resourceVersion !== svc.metadata.resourceVersion))
      return false;
    if (!wantsLoadBalancer(svc) && !needsCleanup(svc)) return false;
    enqueue(key);
    return true;
  }

  function forget(svc: ServiceObject): void {
    const key = keyOf(svc);
    cache.delete(key);
    seen.delete(key);
  }

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

  function onEvent(e: WatchEvent): void {
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

  async function run(signal: AbortSignal, log?: (line: string) => void): Promise<void> {
    const pause = (ms: number) => sleep(ms, signal);
    while (!signal.aborted) {
      try {
        if (resourceVersion === "") await relist();
        const started = Date.now();
        await kube.watchServices(resourceVersion, onEvent, signal);
        // A server that ends watches at once must not make this loop spin.
        if (Date.now() - started < 50) await pause(200);
      } catch (err) {
        if (signal.aborted) break;
        log?.(`controller: watch services: ${errorText(err)}; re-listing`);
        resourceVersion = "";
        await pause(200);
      }
    }
  }

  return { get: (key) => cache.get(key), relist, onEvent, run };
}
