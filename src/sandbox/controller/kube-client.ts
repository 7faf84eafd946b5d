/**
 * The Kubernetes side of the cloud controller over node:https: list + watch Services (resuming
 * from the last resourceVersion, re-listing on 410 Gone), patch the `status` subresource and the
 * finalizers, record Events as the service controller's recorder does (repeats aggregated by
 * bumping `count`).
 */
import { request as httpsRequest } from "node:https";

export interface ServiceObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    annotations?: Record<string, string>;
  };
  spec?: {
    type?: string;
    ports?: {
      name?: string;
      protocol?: string;
      port: number;
      targetPort?: number | string;
      nodePort?: number;
    }[];
    loadBalancerIP?: string;
    loadBalancerClass?: string;
    ipFamilies?: string[];
    externalTrafficPolicy?: string;
    healthCheckNodePort?: number;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface KubeClientOptions {
  url: string;
  token: string;
  caCertPem: string;
  log?: (line: string) => void;
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: ServiceObject & { code?: number };
}

export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

type Send = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<{ status: number; text: string }>;

function sender(opts: KubeClientOptions): Send {
  const base = opts.url.replace(/\/+$/, "");
  return (method, path, body, contentType = "application/json") =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = httpsRequest(
        `${base}${path}`,
        {
          method,
          ca: opts.caCertPem,
          headers: {
            accept: "application/json",
            authorization: `Bearer ${opts.token}`,
            "user-agent": "cloud-controller-manager (plsctl sandbox)",
            ...(payload ? { "content-type": contentType, "content-length": payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
}

/**
 * Feeds a watch stream's chunks in; calls `onEvent` for each complete JSON line (a line split
 * across chunks waits for its end; a line that is not JSON, or whose handler throws, is logged
 * and skipped).
 */
export function watchLines(
  onEvent: (e: WatchEvent) => void,
  log?: (line: string) => void,
): (chunk: string) => void {
  let buf = "";
  return (chunk) => {
    buf += chunk;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (!line) continue;
      try {
        onEvent(JSON.parse(line) as WatchEvent);
      } catch (err) {
        log?.(`controller: bad watch event ignored: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
}

/**
 * Watch Services from `resourceVersion`; calls `onEvent` per event. Resolves when the stream
 * ends (server timeout, close or abort).
 */
function watchServices(
  opts: KubeClientOptions,
  resourceVersion: string,
  onEvent: (e: WatchEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const base = opts.url.replace(/\/+$/, "");
  return new Promise<void>((resolve, reject) => {
    const q = new URLSearchParams({
      watch: "true",
      resourceVersion,
      allowWatchBookmarks: "true",
      timeoutSeconds: "300",
    });
    const req = httpsRequest(
      `${base}/api/v1/services?${q}`,
      { method: "GET", ca: opts.caCertPem, signal, headers: { authorization: `Bearer ${opts.token}` } },
      (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            reject(
              new KubeHttpError(res.statusCode ?? 0, Buffer.concat(chunks).toString(), "watch services"),
            ),
          );
          return;
        }
        res.setEncoding("utf8");
        res.on("data", watchLines(onEvent, opts.log));
        res.on("end", () => resolve());
        res.on("error", () => resolve());
        res.on("close", () => resolve());
      },
    );
    req.on("error", (err) => (signal.aborted ? resolve() : reject(err)));
    req.end();
  });
}

/**
 * The service controller's event recorder: one Event per distinct (Service, type, reason,
 * message); a repeat bumps its `count` (as client-go's aggregation does), or records it anew when
 * the old Event is gone.
 */
function eventRecorder(send: Send, json: <T>(m: string, p: string, b?: unknown) => Promise<T>) {
  /** Event aggregation: key → { name, count } of the last event with the same content. */
  const recorded = new Map<string, { name: string; namespace: string; count: number }>();
  let lastNanos = 0n;
  return async (svc: ServiceObject, type: string, reason: string, message: string): Promise<void> => {
    const { namespace, name, uid } = svc.metadata;
    const key = `${uid}\u0000${type}\u0000${reason}\u0000${message}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const prev = recorded.get(key);
    if (prev) {
      prev.count++;
      const res = await send(
        "PATCH",
        `/api/v1/namespaces/${encodeURIComponent(prev.namespace)}/events/${encodeURIComponent(prev.name)}`,
        { count: prev.count, lastTimestamp: now },
        "application/merge-patch+json",
      );
      if (res.status < 300) return;
      recorded.delete(key);
    }
    // As client-go's recorder: `<name>.<unix nanos in hex>`, so names sort chronologically.
    const nanos = BigInt(Date.now()) * 1_000_000n;
    lastNanos = nanos > lastNanos ? nanos : lastNanos + 1n;
    const eventName = `${name}.${lastNanos.toString(16)}`;
    await json("POST", `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: eventName, namespace },
      involvedObject: {
        apiVersion: "v1",
        kind: "Service",
        namespace,
        name,
        uid,
        resourceVersion: svc.metadata.resourceVersion,
      },
      type,
      reason,
      message,
      source: { component: "service-controller" },
      reportingComponent: "service-controller",
      reportingInstance: "",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    recorded.set(key, { name: eventName, namespace, count: 1 });
  };
}

export function createKubeClient(opts: KubeClientOptions) {
  const send = sender(opts);
  async function json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await send(method, path, body, contentType);
    if (res.status >= 300) throw new KubeHttpError(res.status, res.text, `${method} ${path}`);
    return JSON.parse(res.text) as T;
  }
  const svcPath = (ns: string, name: string) =>
    `/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(name)}`;
  return {
    listServices(): Promise<{ items: ServiceObject[]; metadata: { resourceVersion?: string } }> {
      return json("GET", "/api/v1/services");
    },
    watchServices: (resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal) =>
      watchServices(opts, resourceVersion, onEvent, signal),
    getService(ns: string, name: string): Promise<ServiceObject> {
      return json("GET", svcPath(ns, name));
    },
    patchService(ns: string, name: string, patch: unknown): Promise<ServiceObject> {
      return json("PATCH", svcPath(ns, name), patch, "application/merge-patch+json");
    },
    patchServiceStatus(ns: string, name: string, patch: unknown): Promise<ServiceObject> {
      return json("PATCH", `${svcPath(ns, name)}/status`, patch, "application/merge-patch+json");
    },
    recordEvent: eventRecorder(send, json),
  };
}

export type KubeClient = ReturnType<typeof createKubeClient>;
