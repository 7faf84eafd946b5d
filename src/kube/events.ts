/** A Service's events (where the AKS controller reports), and a watch that wakes a waiting flow. */
import { type CoreV1Event, Watch } from "@kubernetes/client-node";
import { type ControllerEvent, eventOrder } from "../domain/controller-sync.js";
import { kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

export type EventView = ControllerEvent;

function eventView(e: CoreV1Event): EventView {
  const last = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return {
    name: e.metadata?.name ?? "",
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: e.message ?? "",
    count: e.count ?? 1,
    lastSeen: last ? new Date(last as unknown as string).toISOString() : undefined,
    resourceVersion: e.metadata?.resourceVersion ?? "",
  };
}

const selector = (svc: { name: string; uid?: string }) =>
  `involvedObject.kind=Service,involvedObject.name=${svc.name}${svc.uid ? `,involvedObject.uid=${svc.uid}` : ""}`;

/** Events of one Service, oldest first, and the list's resourceVersion (to watch from). */
export async function listServiceEvents(
  kube: Kube,
  svc: { namespace: string; name: string; uid?: string },
): Promise<{ events: EventView[]; resourceVersion: string }> {
  try {
    const list = await apiOf(kube).core.listNamespacedEvent({
      namespace: svc.namespace,
      fieldSelector: selector(svc),
    });
    const events = list.items.map(eventView).sort(eventOrder);
    return { events, resourceVersion: list.metadata?.resourceVersion ?? "" };
  } catch (err) {
    throw kubeError(err, `list events of Service ${svc.namespace}/${svc.name}`, kube.server);
  }
}

export interface WatchHandle {
  stop(): void;
}

/**
 * Watches `path` and calls `onChange` for every ADDED/MODIFIED/DELETED object; reconnects from the
 * last resourceVersion when the stream ends. Best effort: callers also poll, so a watch that
 * cannot be opened only makes them slower, never wrong.
 */
export function watchObjects(
  kube: Kube,
  path: string,
  params: Record<string, string>,
  onChange: (type: string, object: unknown) => void,
): WatchHandle {
  const watch = new Watch(apiOf(kube).target.config);
  let stopped = false;
  let current: AbortController | undefined;
  let resourceVersion = params.resourceVersion;
  let failures = 0;
  const start = async (): Promise<void> => {
    if (stopped) return;
    const query: Record<string, string | boolean | number> = {
      ...params,
      allowWatchBookmarks: true,
      timeoutSeconds: 240,
    };
    if (resourceVersion) query.resourceVersion = resourceVersion;
    else delete query.resourceVersion;
    apiOf(kube).debug(`watching ${path} ${JSON.stringify(query)}`);
    current = await watch.watch(
      path,
      query,
      (type, object: { metadata?: { resourceVersion?: string }; code?: number }) => {
        failures = 0;
        if (type === "ERROR") {
          if (object?.code === 410) resourceVersion = undefined;
          return;
        }
        if (object?.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
        if (type !== "BOOKMARK") onChange(type, object);
      },
      (err: unknown) => {
        if (stopped) return;
        if (err) {
          failures += 1;
          apiOf(kube).debug(`watch ${path} ended: ${(err as Error).message ?? err}; reconnecting`);
        }
        const delay = Math.min(10_000, failures * 1000);
        setTimeout(() => void start().catch(() => undefined), delay).unref?.();
      },
    );
    if (stopped) current.abort();
  };
  void start().catch(() => undefined);
  apiOf(kube).signal.addEventListener("abort", () => {
    stopped = true;
    current?.abort();
  });
  return {
    stop() {
      stopped = true;
      current?.abort();
    },
  };
}

export function watchServiceEvents(
  kube: Kube,
  svc: { namespace: string; name: string; uid?: string },
  fromResourceVersion: string,
  onEvent: (event: EventView) => void,
): WatchHandle {
  return watchObjects(
    kube,
    `/api/v1/namespaces/${svc.namespace}/events`,
    { fieldSelector: selector(svc), resourceVersion: fromResourceVersion },
    (type, object) => {
      if (type !== "DELETED") onEvent(eventView(object as CoreV1Event));
    },
  );
}

export function watchService(
  kube: Kube,
  svc: { namespace: string; name: string },
  onChange: () => void,
): WatchHandle {
  return watchObjects(
    kube,
    `/api/v1/namespaces/${svc.namespace}/services`,
    { fieldSelector: `metadata.name=${svc.name}` },
    () => onChange(),
  );
}

/** An Event plsctl records on a Service (core/v1, as `kubectl describe svc` lists them). */
export interface NewServiceEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** source.component and reportingComponent. */
  component: string;
  /** reportingInstance: the pod or host that acted. */
  instance: string;
  /** When it happened (ms since the epoch). */
  at: number;
}

let lastNanos = 0n;

/**
 * Creates one core/v1 Event on a Service, as client-go's event recorder writes them
 * (k8s.io/client-go/tools/record/event.go, makeEvent): named `<object>.<unix nanos in hex>` so names
 * sort by time, involvedObject with the Service's uid (kubectl describe selects on it), count 1.
 */
export async function createServiceEvent(
  kube: Kube,
  svc: { namespace: string; name: string; uid: string; resourceVersion: string },
  e: NewServiceEvent,
): Promise<void> {
  const nanos = BigInt(Math.floor(e.at)) * 1_000_000n;
  lastNanos = nanos > lastNanos ? nanos : lastNanos + 1n;
  const time = new Date(e.at).toISOString().replace(/\.\d+Z$/, "Z");
  const body: CoreV1Event = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${svc.name}.${lastNanos.toString(16)}`, namespace: svc.namespace },
    involvedObject: {
      apiVersion: "v1",
      kind: "Service",
      namespace: svc.namespace,
      name: svc.name,
      uid: svc.uid,
      resourceVersion: svc.resourceVersion,
    },
    type: e.type,
    reason: e.reason,
    message: e.message,
    source: { component: e.component },
    reportingComponent: e.component,
    reportingInstance: e.instance,
    // client-node serializes Date fields; the wire wants RFC 3339 seconds.
    firstTimestamp: time as unknown as Date,
    lastTimestamp: time as unknown as Date,
    count: 1,
  };
  try {
    await apiOf(kube).core.createNamespacedEvent({ namespace: svc.namespace, body });
  } catch (err) {
    throw kubeError(err, `create an Event on Service ${svc.namespace}/${svc.name}`, kube.server);
  }
}
