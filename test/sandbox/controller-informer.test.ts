/**
 * The simulated cloud controller's Service informer and watch stream, on their own: which watch
 * events queue a Service (needsUpdate), which are ignored, and how a watch stream's chunks become
 * events. No server: the informer's client is never called by onEvent.
 */
import { describe, expect, it } from "vitest";
import { FINALIZER } from "../../src/sandbox/controller/index.js";
import { createServiceInformer } from "../../src/sandbox/controller/informer.js";
import {
  createKubeClient,
  type ServiceObject,
  type WatchEvent,
  watchLines,
} from "../../src/sandbox/controller/kube-client.js";

const unused = createKubeClient({ url: "https://127.0.0.1:9", token: "", caCertPem: "" });

function svc(
  rv: string,
  patch: Partial<ServiceObject["metadata"]> = {},
  type = "LoadBalancer",
): ServiceObject {
  return {
    metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: rv, ...patch },
    spec: { type, ports: [{ port: 80 }] },
  };
}

function informer() {
  const queued: string[] = [];
  const inf = createServiceInformer(unused, (k) => queued.push(k));
  const event = (type: WatchEvent["type"], object: ServiceObject) => inf.onEvent({ type, object });
  return { inf, queued, event };
}

describe("the controller's Service informer", () => {
  it("queues a LoadBalancer Service once, and again only when what the load balancer uses changes", () => {
    const { inf, queued, event } = informer();
    event("ADDED", svc("1"));
    event("MODIFIED", svc("2", { annotations: {} })); // same fingerprint
    event("MODIFIED", svc("3", { annotations: { "service.beta.kubernetes.io/azure-pls-create": "true" } }));
    expect(queued).toEqual(["default/web", "default/web"]);
    expect(inf.get("default/web")?.metadata.resourceVersion).toBe("3");
  });

  it("ignores an older copy of the same object", () => {
    const { inf, queued, event } = informer();
    event("ADDED", svc("5"));
    event("MODIFIED", svc("4", { annotations: { a: "b" } }));
    expect(queued).toEqual(["default/web"]);
    expect(inf.get("default/web")?.metadata.resourceVersion).toBe("5");
  });

  it("does not queue a ClusterIP Service, but queues one whose load balancer needs cleaning up", () => {
    const { queued, event } = informer();
    event("ADDED", svc("1", {}, "ClusterIP"));
    expect(queued).toEqual([]);
    event("MODIFIED", svc("2", { finalizers: [FINALIZER] }, "ClusterIP"));
    event(
      "MODIFIED",
      svc("3", { finalizers: [FINALIZER], deletionTimestamp: "2026-01-01T00:00:00Z" }, "ClusterIP"),
    );
    expect(queued).toEqual(["default/web", "default/web"]);
  });

  it("forgets a deleted Service", () => {
    const { inf, event } = informer();
    event("ADDED", svc("1"));
    event("DELETED", svc("2"));
    expect(inf.get("default/web")).toBeUndefined();
  });
});

describe("a watch stream's chunks", () => {
  it("become one event per JSON line, across chunk boundaries; a bad line is logged and skipped", () => {
    const events: WatchEvent[] = [];
    const logged: string[] = [];
    const feed = watchLines(
      (e) => events.push(e),
      (l) => logged.push(l),
    );
    const added = JSON.stringify({ type: "ADDED", object: svc("1") });
    feed(`${added.slice(0, 10)}`);
    expect(events).toEqual([]);
    feed(
      `${added.slice(10)}\n\nnot json\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n`,
    );
    expect(events.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK"]);
    expect(events[0]?.object.metadata.name).toBe("web");
    expect(logged).toEqual([expect.stringMatching(/bad watch event ignored/)]);
  });
});
