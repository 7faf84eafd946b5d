/**
 * The Kubernetes emulator's controllers, each reconciled on its own against a store (no server, no
 * other controller): the kubelet binds and runs Pods, the endpoints and EndpointSlice controllers
 * follow them apart from each other, the namespace controller empties and removes a terminating
 * namespace — and, on its own work loop, finishes once the last object has left it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ApiCtx, createObject, deleteObject } from "../../src/sandbox/kube/api.js";
import { ENDPOINTS, NODES, PODS, SERVICES, SLICES } from "../../src/sandbox/kube/controllers/defs.js";
import { reconcileEndpointSlices } from "../../src/sandbox/kube/controllers/endpoint-slices.js";
import { reconcileEndpoints } from "../../src/sandbox/kube/controllers/endpoints.js";
import { startControllers } from "../../src/sandbox/kube/controllers/index.js";
import { reconcileKubelet } from "../../src/sandbox/kube/controllers/kubelet.js";
import { startController } from "../../src/sandbox/kube/controllers/loop.js";
import { namespaceController, reconcileNamespaces } from "../../src/sandbox/kube/controllers/namespaces.js";
import { findResource, type KObj, type ResourceDef } from "../../src/sandbox/kube/resources.js";
import { openStore } from "../../src/sandbox/kube/store.js";

let dir: string;
let ctx: ApiCtx;
const NOW = new Date("2026-01-02T03:04:05Z");

function res(group: string, plural: string): ResourceDef {
  const r = findResource(group, "v1", plural);
  if (!r) throw new Error(plural);
  return r;
}
const NAMESPACES = res("", "namespaces");
const CONFIGMAPS = res("", "configmaps");

function node(name: string, podCIDR: string, ip: string): KObj {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    spec: { podCIDR },
    status: { addresses: [{ type: "InternalIP", address: ip }] },
  };
}

const pod = (name: string, labels: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels },
  spec: { containers: [{ name: "web", image: "nginx:1", ports: [{ name: "http", containerPort: 8080 }] }] },
});

const service = (name: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "default" },
  spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
});

const get = (r: ResourceDef, name: string, ns = "default") => ctx.store.get(r, ns, name);
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-kube-controllers-"));
  ctx = { store: openStore(join(dir, "kube-state.json")), now: () => NOW };
  ctx.store.put(NODES, node("node-0", "10.244.0.0/24", "10.224.0.4"), "ADDED");
  ctx.store.put(NODES, node("node-1", "10.244.1.0/24", "10.224.0.5"), "ADDED");
  createObject(ctx, NAMESPACES, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the kubelet, on its own", () => {
  it("binds each new Pod to the node with the fewest pods and runs it with an IP from its podCIDR", () => {
    createObject(ctx, PODS, "default", pod("a", { app: "web" }));
    reconcileKubelet(ctx);
    createObject(ctx, PODS, "default", pod("b", { app: "web" }));
    reconcileKubelet(ctx);
    const a = get(PODS, "a");
    const b = get(PODS, "b");
    expect(a?.spec).toMatchObject({ nodeName: "node-0" });
    expect(a?.status).toMatchObject({ phase: "Running", podIP: "10.244.0.4", hostIP: "10.224.0.4" });
    expect(b?.spec).toMatchObject({ nodeName: "node-1" });
    expect(b?.status).toMatchObject({ podIP: "10.244.1.4", startTime: "2026-01-02T03:04:05Z" });
    expect(ctx.store.list(ENDPOINTS)).toEqual([]);
  });
});

describe("the endpoints and EndpointSlice controllers, each on its own", () => {
  beforeEach(() => {
    createObject(ctx, PODS, "default", pod("ready", { app: "web" }));
    createObject(ctx, PODS, "default", pod("other", { app: "db" }));
    reconcileKubelet(ctx);
    createObject(ctx, SERVICES, "default", service("web"));
    readyIp = String((get(PODS, "ready")?.status as { podIP?: string } | undefined)?.podIP);
  });
  let readyIp = "";

  it("endpoints: the selected Pods' addresses on the resolved port; no slice written", () => {
    reconcileEndpoints(ctx);
    expect(get(ENDPOINTS, "web")?.subsets).toEqual([
      {
        addresses: [
          expect.objectContaining({
            ip: readyIp,
            targetRef: expect.objectContaining({ name: "ready" }),
          }),
        ],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
    expect(ctx.store.list(SLICES, "default")).toEqual([]);
  });

  it("endpoints: removed when their Service is gone", () => {
    reconcileEndpoints(ctx);
    deleteObject(ctx, SERVICES, "default", "web");
    reconcileEndpoints(ctx);
    expect(get(ENDPOINTS, "web")).toBeUndefined();
  });

  it("slices: one IPv4 slice owned by the Service, removed with it; no Endpoints written", () => {
    reconcileEndpointSlices(ctx);
    const [slice, ...more] = ctx.store.list(SLICES, "default");
    expect(more).toEqual([]);
    expect(slice?.metadata.name).toMatch(/^web-/);
    expect(slice).toMatchObject({
      addressType: "IPv4",
      endpoints: [{ addresses: [readyIp], conditions: { ready: true } }],
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    });
    expect(get(ENDPOINTS, "web")).toBeUndefined();
    deleteObject(ctx, SERVICES, "default", "web");
    reconcileEndpointSlices(ctx);
    expect(ctx.store.list(SLICES, "default")).toEqual([]);
  });
});

describe("the namespace controller", () => {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "gone" },
  };
  beforeEach(() => {
    createObject(ctx, NAMESPACES, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone" } });
    createObject(ctx, CONFIGMAPS, "gone", configMap);
    deleteObject(ctx, NAMESPACES, "", "gone");
  });

  it("one pass empties a terminating namespace; the next removes it", () => {
    reconcileNamespaces(ctx);
    expect(get(CONFIGMAPS, "settings", "gone")).toBeUndefined();
    expect(get(NAMESPACES, "gone", "")).toBeDefined();
    reconcileNamespaces(ctx);
    expect(get(NAMESPACES, "gone", "")).toBeUndefined();
  });

  it("on its own work loop, removes a namespace that held only a ConfigMap", async () => {
    const c = startController(ctx, namespaceController, () => {});
    try {
      await turns(4);
      expect(get(NAMESPACES, "gone", "")).toBeUndefined();
    } finally {
      c.stop();
    }
  });

  it("all four together also remove it (the shared loop of old woke on Pods, Services and Namespaces only)", async () => {
    const all = startControllers(ctx, () => {});
    try {
      await turns(6);
      expect(get(NAMESPACES, "gone", "")).toBeUndefined();
    } finally {
      all.stop();
    }
  });

  it("does nothing once stopped", async () => {
    const c = startController(ctx, namespaceController, () => {});
    c.stop();
    await turns(4);
    expect(get(CONFIGMAPS, "settings", "gone")).toBeDefined();
  });
});
