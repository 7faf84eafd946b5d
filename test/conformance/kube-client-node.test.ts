/**
 * The Kubernetes emulator driven by the real @kubernetes/client-node: CoreV1Api, NetworkingV1Api,
 * Watch, KubeConfig.loadFromFile on the emulator's kubeconfig. No request may go unrouted.
 */
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1NetworkPolicy,
  type V1Service,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { startTestKube, type TestKube } from "../sandbox/helpers/kube.js";

let k: TestKube;
let core: CoreV1Api;
let net: NetworkingV1Api;
let kc: KubeConfig;

beforeAll(async () => {
  k = await startTestKube({ bookmarkIntervalMs: 50 });
  kc = new KubeConfig();
  kc.loadFromFile(k.emu.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  net = kc.makeApiClient(NetworkingV1Api);
});

afterAll(async () => {
  expect(k.emu.counters().unrouted).toBe(0);
  await k.stop();
});

interface Status {
  kind: string;
  reason: string;
  code: number;
  message: string;
  details?: { name?: string; kind?: string; causes?: { reason: string; field?: string; message: string }[] };
}

async function failure(p: Promise<unknown>): Promise<Status> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === "string" ? JSON.parse(e.body) : e.body;
      return body as Status;
    }
    throw e;
  }
  throw new Error("expected the call to fail");
}

function lbService(name: string, extra: Partial<V1Service["metadata"]> = {}): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name,
      annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
      ...extra,
    },
    spec: {
      type: "LoadBalancer",
      selector: { app: name },
      ports: [{ name: "http", port: 80, targetPort: 80 }],
    },
  };
}

const until = async (fn: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met");
};

describe("kubeconfig and cluster objects", () => {
  it("points at the emulator with the aks-demo context", () => {
    expect(kc.getCurrentContext()).toBe("aks-demo");
    expect(kc.getCurrentCluster()?.server).toBe(k.emu.url);
    expect(kc.getCurrentUser()?.name).toBe("aks-demo-admin");
    expect(kc.getContextObject("aks-demo")?.namespace).toBe("default");
  });

  it("has the system namespaces and the kubernetes service", async () => {
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual([
      "default",
      "kube-node-lease",
      "kube-public",
      "kube-system",
    ]);
    const svc = await core.readNamespacedService({ name: "kubernetes", namespace: "default" });
    expect(svc.spec?.clusterIP).toBe("10.0.0.1");
  });

  it("has AKS nodes with the providerID AKS sets", async () => {
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(3);
    const n = nodes.items[1];
    expect(n?.spec?.providerID).toBe(
      `azure:///subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/mc_rg-aks_aks-demo_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-11106896-vmss/virtualMachines/1`,
    );
    expect(n?.metadata?.labels?.["kubernetes.azure.com/cluster"]).toBe("MC_rg-aks_aks-demo_westeurope");
    expect(n?.metadata?.labels?.["topology.kubernetes.io/region"]).toBe("westeurope");
    expect(n?.status?.addresses).toContainEqual({ type: "InternalIP", address: "10.224.0.5" });
    expect(n?.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
  });
});

describe("services", () => {
  it("creates with defaults, allocations and metadata", async () => {
    const s = await core.createNamespacedService({ namespace: "default", body: lbService("svc-a") });
    expect(s.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(s.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(s.metadata?.generation).toBe(1);
    expect(s.spec?.clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(s.spec?.clusterIPs).toEqual([s.spec?.clusterIP]);
    const port = s.spec?.ports?.[0];
    expect(port?.protocol).toBe("TCP");
    expect(port?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(port?.nodePort).toBeLessThanOrEqual(32767);
    expect(s.spec?.externalTrafficPolicy).toBe("Cluster");
    expect(s.spec?.sessionAffinity).toBe("None");
    expect(s.spec?.ipFamilies).toEqual(["IPv4"]);
    expect(s.spec?.ipFamilyPolicy).toBe("SingleStack");
    expect(s.spec?.internalTrafficPolicy).toBe("Cluster");
    expect(s.spec?.allocateLoadBalancerNodePorts).toBe(true);
    expect(s.status?.loadBalancer).toEqual({});
  });

  it("answers AlreadyExists, NotFound and Invalid with the real Status objects", async () => {
    const dup = await failure(
      core.createNamespacedService({ namespace: "default", body: lbService("svc-a") }),
    );
    expect(dup).toMatchObject({
      kind: "Status",
      reason: "AlreadyExists",
      code: 409,
      message: 'services "svc-a" already exists',
    });
    const missing = await failure(core.readNamespacedService({ name: "nope", namespace: "default" }));
    expect(missing).toMatchObject({
      reason: "NotFound",
      code: 404,
      message: 'services "nope" not found',
      details: { name: "nope", kind: "services" },
    });
    const bad = await failure(
      core.createNamespacedService({
        namespace: "default",
        body: { metadata: { name: "Bad_Name" }, spec: { ports: [] } },
      }),
    );
    expect(bad.reason).toBe("Invalid");
    expect(bad.code).toBe(422);
    expect(bad.message).toMatch(
      /^Service "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a DNS-1035 label/,
    );
    expect(bad.details?.causes?.map((c) => c.field)).toEqual(["metadata.name", "spec.ports"]);
    const badPort = await failure(
      core.createNamespacedService({
        namespace: "default",
        body: { metadata: { name: "p" }, spec: { ports: [{ port: 70000 }] } },
      }),
    );
    expect(badPort.message).toBe(
      'Service "p" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
    );
    const noNs = await failure(core.createNamespacedService({ namespace: "ghost", body: lbService("x") }));
    expect(noNs).toMatchObject({ reason: "NotFound", message: 'namespaces "ghost" not found' });
  });

  it("refuses a stale update with 409 Conflict and the real message", async () => {
    const cur = await core.readNamespacedService({ name: "svc-a", namespace: "default" });
    const stale = structuredClone(cur);
    cur.metadata = { ...cur.metadata, labels: { tier: "web" } };
    const updated = await core.replaceNamespacedService({ name: "svc-a", namespace: "default", body: cur });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(stale.metadata?.resourceVersion),
    );
    stale.metadata = { ...stale.metadata, labels: { tier: "db" } };
    const err = await failure(
      core.replaceNamespacedService({ name: "svc-a", namespace: "default", body: stale }),
    );
    expect(err).toMatchObject({
      reason: "Conflict",
      code: 409,
      message:
        'Operation cannot be fulfilled on services "svc-a": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it("patches with merge, strategic merge and JSON patch", async () => {
    const ns = "default";
    const name = "svc-a";
    await core.patchNamespacedService(
      {
        name,
        namespace: ns,
        body: { metadata: { annotations: { "service.beta.kubernetes.io/azure-pls-create": "true" } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const smp = await core.patchNamespacedService(
      { name, namespace: ns, body: { spec: { ports: [{ name: "https", port: 443, targetPort: 8443 }] } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(smp.spec?.ports?.map((p) => p.port)).toEqual([80, 443]);
    expect(smp.metadata?.annotations?.["service.beta.kubernetes.io/azure-pls-create"]).toBe("true");
    expect(smp.metadata?.generation).toBe(2);
    const jp = await core.patchNamespacedService(
      {
        name,
        namespace: ns,
        body: [
          { op: "remove", path: "/metadata/annotations/service.beta.kubernetes.io~1azure-pls-create" },
          { op: "replace", path: "/spec/ports/1/port", value: 8443 },
        ],
      },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(jp.metadata?.annotations?.["service.beta.kubernetes.io/azure-pls-create"]).toBeUndefined();
    expect(jp.spec?.ports?.map((p) => p.port)).toEqual([80, 8443]);
    const stale = await failure(
      core.patchNamespacedService(
        { name, namespace: ns, body: { metadata: { resourceVersion: "1", labels: { x: "y" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(stale.reason).toBe("Conflict");
  });

  it("separates the status subresource from the main resource", async () => {
    const ns = "default";
    const cur = await core.readNamespacedService({ name: "svc-a", namespace: ns });
    const st = await core.patchNamespacedServiceStatus(
      {
        name: "svc-a",
        namespace: ns,
        body: { status: { loadBalancer: { ingress: [{ ip: "10.224.0.7" }] } }, spec: { type: "ClusterIP" } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(st.status?.loadBalancer?.ingress).toEqual([{ ip: "10.224.0.7" }]);
    expect(st.spec?.type).toBe("LoadBalancer");
    expect(st.metadata?.generation).toBe(cur.metadata?.generation);
    const main = await core.patchNamespacedService(
      {
        name: "svc-a",
        namespace: ns,
        body: { status: { loadBalancer: {} }, metadata: { labels: { a: "b" } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(main.status?.loadBalancer?.ingress).toEqual([{ ip: "10.224.0.7" }]);
    expect(main.metadata?.labels?.a).toBe("b");
  });

  it("keeps an object with finalizers until they are removed, then sends DELETED", async () => {
    const ns = "default";
    await core.createNamespacedService({
      namespace: ns,
      body: lbService("svc-fin", { finalizers: ["service.kubernetes.io/load-balancer-cleanup"] }),
    });
    const events: string[] = [];
    const w = await new Watch(kc).watch(
      `/api/v1/namespaces/${ns}/services`,
      { fieldSelector: "metadata.name=svc-fin" },
      (type) => events.push(type),
      () => {},
    );
    const deleted = await core.deleteNamespacedService({ name: "svc-fin", namespace: ns });
    expect((deleted as V1Service).metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const still = await core.readNamespacedService({ name: "svc-fin", namespace: ns });
    expect(still.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const addMore = await failure(
      core.patchNamespacedService(
        {
          name: "svc-fin",
          namespace: ns,
          body: { metadata: { finalizers: ["a/b", "service.kubernetes.io/load-balancer-cleanup"] } },
        },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(addMore.reason).toBe("Invalid");
    await core.patchNamespacedService(
      { name: "svc-fin", namespace: ns, body: [{ op: "remove", path: "/metadata/finalizers" }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect((await failure(core.readNamespacedService({ name: "svc-fin", namespace: ns }))).reason).toBe(
      "NotFound",
    );
    await until(async () => events.includes("DELETED"));
    expect(events).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    w.abort();
  });

  it("honours dryRun=All", async () => {
    const s = await core.createNamespacedService({
      namespace: "default",
      body: lbService("svc-dry"),
      dryRun: "All",
    });
    expect(s.spec?.clusterIP).toMatch(/^10\.0\./);
    expect(
      (await failure(core.readNamespacedService({ name: "svc-dry", namespace: "default" }))).reason,
    ).toBe("NotFound");
  });
});

describe("lists, selectors and paging", () => {
  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: "sel" } } });
    for (const [name, tier] of [
      ["a", "web"],
      ["b", "db"],
      ["c", "cache"],
      ["d", ""],
    ] as const) {
      const labels: Record<string, string> = tier ? { tier } : {};
      await core.createNamespacedService({
        namespace: "sel",
        body: { metadata: { name, labels }, spec: { ports: [{ port: 80 }] } },
      });
    }
  });

  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (
      await core.listNamespacedService({
        namespace: "sel",
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      })
    ).items.map((s) => s.metadata?.name);

  it("filters by label selectors", async () => {
    expect(await names("tier=web")).toEqual(["a"]);
    expect(await names("tier==db")).toEqual(["b"]);
    expect(await names("tier!=web")).toEqual(["b", "c", "d"]);
    expect(await names("tier in (web,db)")).toEqual(["a", "b"]);
    expect(await names("tier notin (web,db)")).toEqual(["c", "d"]);
    expect(await names("tier")).toEqual(["a", "b", "c"]);
    expect(await names("!tier")).toEqual(["d"]);
  });

  it("filters by field selectors and rejects unknown fields", async () => {
    expect(await names(undefined, "metadata.name=c")).toEqual(["c"]);
    expect(await names(undefined, "metadata.name!=c,metadata.namespace=sel")).toEqual(["a", "b", "d"]);
    const err = await failure(
      core.listNamespacedService({ namespace: "sel", fieldSelector: "spec.foo=bar" }),
    );
    expect(err).toMatchObject({
      reason: "BadRequest",
      code: 400,
      message: "field label not supported: spec.foo",
    });
  });

  it("pages with limit and continue", async () => {
    const p1 = await core.listNamespacedService({ namespace: "sel", limit: 3 });
    expect(p1.items.map((s) => s.metadata?.name)).toEqual(["a", "b", "c"]);
    expect(p1.metadata?.remainingItemCount).toBe(1);
    const token = p1.metadata?._continue;
    expect(token).toBeTruthy();
    const p2 = await core.listNamespacedService({ namespace: "sel", limit: 3, _continue: token ?? "" });
    expect(p2.items.map((s) => s.metadata?.name)).toEqual(["d"]);
    expect(p2.metadata?._continue).toBeUndefined();
  });

  it("deletes a namespace with its contents", async () => {
    await core.deleteNamespace({ name: "sel" });
    await until(async () => (await core.listNamespace()).items.every((n) => n.metadata?.name !== "sel"));
    expect(
      (await core.listServiceForAllNamespaces()).items.some((s) => s.metadata?.namespace === "sel"),
    ).toBe(false);
  });
});

describe("events", () => {
  it("creates and lists events by involvedObject and type", async () => {
    const svc = await core.readNamespacedService({ name: "svc-a", namespace: "default" });
    const ref = {
      kind: "Service",
      namespace: "default",
      name: "svc-a",
      uid: svc.metadata?.uid ?? "",
      apiVersion: "v1",
    };
    const mk = (n: string, reason: string, type: string) =>
      core.createNamespacedEvent({
        namespace: "default",
        body: {
          metadata: { name: n },
          involvedObject: ref,
          reason,
          type,
          message: reason,
          source: { component: "service-controller" },
          count: 1,
        },
      });
    await mk("svc-a.1", "EnsuringLoadBalancer", "Normal");
    await mk("svc-a.2", "SyncLoadBalancerFailed", "Warning");
    const byName = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=svc-a",
    });
    expect(byName.items.map((e) => e.reason)).toEqual(["EnsuringLoadBalancer", "SyncLoadBalancerFailed"]);
    const warn = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: `involvedObject.uid=${ref.uid},involvedObject.kind=Service,involvedObject.namespace=default,type=Warning`,
    });
    expect(warn.items.map((e) => e.reason)).toEqual(["SyncLoadBalancerFailed"]);
    const byReason = await core.listEventForAllNamespaces({ fieldSelector: "reason=EnsuringLoadBalancer" });
    expect(byReason.items).toHaveLength(1);
    const seen: string[] = [];
    const w = await new Watch(kc).watch(
      "/api/v1/namespaces/default/events",
      {
        fieldSelector: "involvedObject.name=svc-a,type=Normal",
        resourceVersion: byName.metadata?.resourceVersion ?? "",
      },
      (type, obj) => seen.push(`${type} ${obj.reason}`),
      () => {},
    );
    await mk("svc-a.3", "EnsuredLoadBalancer", "Normal");
    await mk("svc-a.4", "SyncLoadBalancerFailed", "Warning");
    await until(async () => seen.length >= 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(["ADDED EnsuredLoadBalancer"]);
    w.abort();
  });
});

describe("pods and endpoints", () => {
  it("runs a pod on a node and keeps the service endpoints", async () => {
    await core.createNamespacedService({ namespace: "default", body: lbService("web") });
    const created = await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "web-1", labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
      },
    });
    expect(created.status?.phase).toBe("Pending");
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe("IfNotPresent");
    await until(
      async () =>
        (await core.readNamespacedPod({ name: "web-1", namespace: "default" })).status?.phase === "Running",
    );
    const pod = await core.readNamespacedPod({ name: "web-1", namespace: "default" });
    expect(pod.spec?.nodeName).toMatch(/^aks-nodepool1-11106896-vmss00000\d$/);
    expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    await until(async () => {
      const ep = await core
        .readNamespacedEndpoints({ name: "web", namespace: "default" })
        .catch(() => undefined);
      return ep?.subsets?.[0]?.addresses?.[0]?.ip === pod.status?.podIP;
    });
    const ep = await core.readNamespacedEndpoints({ name: "web", namespace: "default" });
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: "http", port: 80, protocol: "TCP" }]);
    const invalid = await failure(
      core.createNamespacedPod({
        namespace: "default",
        body: { metadata: { name: "x" }, spec: { containers: [] } },
      }),
    );
    expect(invalid.message).toBe('Pod "x" is invalid: spec.containers: Required value');
    await core.deleteNamespacedPod({ name: "web-1", namespace: "default" });
    await until(async () => (await core.listNamespacedPod({ namespace: "default" })).items.length === 0);
    await until(
      async () => !(await core.readNamespacedEndpoints({ name: "web", namespace: "default" })).subsets,
    );
  });
});

describe("informer", () => {
  it("lists, then follows adds, updates and deletes", async () => {
    await core.createNamespace({ body: { metadata: { name: "inf" } } });
    const informer = makeInformer(kc, "/api/v1/namespaces/inf/services", () =>
      core.listNamespacedService({ namespace: "inf" }),
    );
    const seen: string[] = [];
    informer.on("add", (s) => seen.push(`add ${s.metadata?.name}`));
    informer.on("update", (s) => seen.push(`update ${s.metadata?.name} ${s.metadata?.labels?.v ?? ""}`));
    informer.on("delete", (s) => seen.push(`delete ${s.metadata?.name}`));
    await core.createNamespacedService({ namespace: "inf", body: lbService("before") });
    await informer.start();
    await core.createNamespacedService({ namespace: "inf", body: lbService("after") });
    await core.patchNamespacedService(
      { name: "after", namespace: "inf", body: { metadata: { labels: { v: "2" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedService({ name: "before", namespace: "inf" });
    await until(async () => seen.length >= 4);
    expect(seen).toEqual(["add before", "add after", "update after 2", "delete before"]);
    expect(informer.list("inf").map((s) => s.metadata?.name)).toEqual(["after"]);
    await informer.stop();
  });
});

describe("network policies", () => {
  it("supports CRUD", async () => {
    const body: V1NetworkPolicy = {
      metadata: { name: "allow-partner" },
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        ingress: [{ _from: [{ ipBlock: { cidr: "10.225.0.0/24" } }] }],
      },
    };
    const np = await net.createNamespacedNetworkPolicy({ namespace: "default", body });
    expect(np.spec?.policyTypes).toEqual(["Ingress"]);
    expect(np.kind).toBe("NetworkPolicy");
    const list = await net.listNamespacedNetworkPolicy({ namespace: "default" });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(["allow-partner"]);
    const patched = await net.patchNamespacedNetworkPolicy(
      { name: "allow-partner", namespace: "default", body: { spec: { policyTypes: ["Ingress", "Egress"] } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(patched.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(patched.metadata?.generation).toBe(2);
    await net.deleteNamespacedNetworkPolicy({ name: "allow-partner", namespace: "default" });
    const gone = await failure(
      net.readNamespacedNetworkPolicy({ name: "allow-partner", namespace: "default" }),
    );
    expect(gone.message).toBe('networkpolicies.networking.k8s.io "allow-partner" not found');
  });
});
