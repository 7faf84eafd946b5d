/**
 * Kubernetes emulator behaviour beyond the typed client: authentication, unrouted requests,
 * watch streams (bookmarks, timeouts, 410 Expired, watch-list), Table output, persistence
 * across restarts, corrupt state, reset. Watches time out and send bookmarks on a fake clock the
 * test moves on (test/sandbox/helpers/clock.ts), not after real seconds.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { startKubeEmulator } from "../../src/sandbox/kube/index.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { FakeClock, runClock } from "./helpers/clock.js";
import { startTestKube, type TestKube } from "./helpers/kube.js";

const started: TestKube[] = [];
afterEach(async () => {
  for (const k of started.splice(0)) await k.stop();
});

async function kube(opts: Parameters<typeof startTestKube>[0] = {}): Promise<TestKube> {
  const k = await startTestKube(opts);
  started.push(k);
  return k;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(
  k: TestKube,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Raw> {
  const url = new URL(path, k.emu.url);
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  const token = opts.token === undefined ? k.emu.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  if (payload) headers["Content-Type"] ??= "application/json";
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: k.emu.caCertPem }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met");
}

const svc = (name: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
});

const watchLines = (r: Raw) =>
  r.body
    .trim()
    .split("\n")
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          object: {
            kind?: string;
            metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> };
            code?: number;
            reason?: string;
          };
        },
    );

describe("authentication and routing", () => {
  it("answers 401 Unauthorized without or with a wrong token, but serves /version openly", async () => {
    const k = await kube();
    const none = await raw(k, "GET", "/api/v1/namespaces", { token: null });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({
      kind: "Status",
      reason: "Unauthorized",
      code: 401,
      message: "Unauthorized",
    });
    expect((await raw(k, "GET", "/api/v1/namespaces", { token: "nope" })).status).toBe(401);
    const version = await raw(k, "GET", "/version", { token: null });
    expect(JSON.parse(version.body)).toMatchObject({ gitVersion: "v1.31.5", major: "1", minor: "31" });
  });

  it("fails loudly on unknown paths and counts them as unrouted", async () => {
    const k = await kube();
    const r = await raw(k, "GET", "/apis/apps/v1/namespaces/default/statefulsets");
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({
      reason: "NotFound",
      message: "the server could not find the requested resource",
    });
    expect((await raw(k, "GET", "/api/v1/namespaces/default/services/kubernetes/proxy")).status).toBe(404);
    expect(k.emu.counters().unrouted).toBe(2);
    expect((await raw(k, "PUT", "/api/v1/services")).status).toBe(405);
    expect(k.emu.counters().byVerb.get ?? 0).toBe(0);
  });

  it("counts requests by verb", async () => {
    const k = await kube();
    await raw(k, "GET", "/api/v1/namespaces/default/services");
    await raw(k, "GET", "/api/v1/namespaces/default/services/kubernetes");
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("a") });
    const c = k.emu.counters();
    expect(c.byVerb).toMatchObject({ list: 1, get: 1, create: 1 });
    expect(c.total).toBe(3);
  });

  it("rejects unsupported patch types, bad dryRun values and creates with a resourceVersion", async () => {
    const k = await kube();
    const r = await raw(k, "PATCH", "/api/v1/namespaces/default/services/kubernetes", {
      body: {},
      headers: { "Content-Type": "application/xml" },
    });
    expect(r.status).toBe(415);
    expect(
      (await raw(k, "POST", "/api/v1/namespaces/default/services?dryRun=Some", { body: svc("x") })).status,
    ).toBe(400);
    const withRv = await raw(k, "POST", "/api/v1/namespaces/default/services", {
      body: { ...svc("x"), metadata: { name: "x", resourceVersion: "5" } },
    });
    expect(withRv.status).toBe(500);
    expect(JSON.parse(withRv.body)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "resourceVersion should not be set on objects to be created",
      code: 500,
    });
  });

  it("applies server-side apply patches (create, then merge)", async () => {
    const k = await kube();
    const path = "/api/v1/namespaces/default/services/ssa?fieldManager=plsctl";
    const yaml =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: ssa\n  annotations:\n    a: '1'\nspec:\n  ports:\n  - port: 80\n";
    const empty = await raw(k, "PATCH", path, {
      headers: { "Content-Type": "application/apply-patch+yaml" },
    });
    expect(empty.status).toBe(400);
    const r1 = await rawText(k, path, yaml);
    expect(r1.status).toBe(201);
    const r2 = await rawText(
      k,
      path,
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: ssa\n  annotations:\n    b: '2'\n",
    );
    expect(JSON.parse(r2.body).metadata.annotations).toEqual({ a: "1", b: "2" });
    const noManager = await rawText(k, "/api/v1/namespaces/default/services/ssa", yaml);
    expect(noManager.status).toBe(422);
  });
});

function rawText(k: TestKube, path: string, yaml: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, k.emu.url),
      {
        method: "PATCH",
        ca: k.emu.caCertPem,
        headers: {
          Authorization: `Bearer ${k.emu.token}`,
          "Content-Type": "application/apply-patch+yaml",
          Accept: "application/json",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(yaml);
  });
}

describe("discovery", () => {
  it("answers aggregated discovery when asked, legacy discovery otherwise", async () => {
    const k = await kube();
    const accept =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    const v2 = await raw(k, "GET", "/apis", { headers: { Accept: accept } });
    expect(v2.headers["content-type"]).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    );
    const groups = JSON.parse(v2.body);
    expect(groups.kind).toBe("APIGroupDiscoveryList");
    const net = groups.items.find(
      (g: { metadata: { name?: string } }) => g.metadata.name === "networking.k8s.io",
    );
    expect(net.versions[0].resources[0]).toMatchObject({
      resource: "networkpolicies",
      scope: "Namespaced",
      shortNames: ["netpol"],
    });
    const beta = await raw(k, "GET", "/api", {
      headers: {
        Accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
      },
    });
    expect(JSON.parse(beta.body).apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    const svc = JSON.parse(beta.body).items[0].versions[0].resources.find(
      (r: { resource: string }) => r.resource === "services",
    );
    expect(svc.subresources).toEqual([
      {
        subresource: "status",
        responseKind: { group: "", version: "v1", kind: "Service" },
        verbs: ["get", "patch", "update"],
      },
    ]);
    const legacy = JSON.parse((await raw(k, "GET", "/api")).body);
    expect(legacy).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const v1 = JSON.parse((await raw(k, "GET", "/api/v1")).body);
    expect(v1.resources.map((r: { name: string }) => r.name)).toContain("services/status");
  });
});

describe("namespaces", () => {
  it("terminate: contents go, finalizers hold the namespace, new content is refused", async () => {
    const k = await kube();
    await raw(k, "POST", "/api/v1/namespaces", { body: { metadata: { name: "demo" } } });
    const lb = {
      ...svc("held"),
      metadata: { name: "held", finalizers: ["service.kubernetes.io/load-balancer-cleanup"] },
    };
    expect((await raw(k, "POST", "/api/v1/namespaces/demo/services", { body: lb })).status).toBe(201);
    const web = { ...svc("web"), spec: { ports: [{ port: 80 }], selector: { app: "web" } } };
    expect((await raw(k, "POST", "/api/v1/namespaces/demo/services", { body: web })).status).toBe(201);
    const del = await raw(k, "DELETE", "/api/v1/namespaces/demo");
    expect(JSON.parse(del.body).status.phase).toBe("Terminating");
    await until(async () => (await raw(k, "GET", "/api/v1/namespaces/demo/services/web")).status === 404);
    const refused = await raw(k, "POST", "/api/v1/namespaces/demo/services", { body: svc("late") });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).message).toBe(
      'services "late" is forbidden: unable to create new content in namespace demo because it is being terminated',
    );
    expect((await raw(k, "GET", "/api/v1/namespaces/demo")).status).toBe(200);
    await raw(k, "PATCH", "/api/v1/namespaces/demo/services/held", {
      body: { metadata: { finalizers: null } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    await until(async () => (await raw(k, "GET", "/api/v1/namespaces/demo")).status === 404);
  });
});

describe("field validation", () => {
  const typo = {
    ...svc("typo"),
    metadata: { name: "typo", anotations: { a: "b" } },
    spec: { type: "ClusterIP", prots: [], ports: [{ port: 80 }] },
  };

  it("refuses unknown fields with Strict, as kubectl apply asks", async () => {
    const k = await kube();
    const r = await raw(k, "POST", "/api/v1/namespaces/default/services?fieldValidation=Strict", {
      body: typo,
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({
      reason: "BadRequest",
      message:
        'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "metadata.anotations", unknown field "spec.prots"',
    });
  });

  it("warns by default and ignores with Ignore", async () => {
    const k = await kube();
    const r = await raw(k, "POST", "/api/v1/namespaces/default/services", { body: typo });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe(
      '299 - "unknown field \\"metadata.anotations\\"", 299 - "unknown field \\"spec.prots\\""',
    );
    const ignored = await raw(k, "POST", "/api/v1/namespaces/default/services?fieldValidation=Ignore", {
      body: { ...typo, metadata: { name: "typo2" } },
    });
    expect(ignored.status).toBe(201);
    expect(ignored.headers.warning).toBeUndefined();
  });
});

describe("watch", () => {
  it("sends synthetic ADDED events, bookmarks, and ends at timeoutSeconds", async () => {
    const clock = new FakeClock();
    const k = await kube({ bookmarkIntervalMs: 200, clock });
    const r = await runClock(
      clock,
      raw(k, "GET", "/api/v1/namespaces/default/services?watch=1&allowWatchBookmarks=true&timeoutSeconds=1"),
    );
    const lines = watchLines(r);
    expect(lines[0]).toMatchObject({
      type: "ADDED",
      object: { kind: "Service", metadata: { name: "kubernetes" } },
    });
    const bookmarks = lines.filter((l) => l.type === "BOOKMARK");
    expect(bookmarks.length).toBeGreaterThanOrEqual(2);
    expect(bookmarks[0]?.object.kind).toBe("Service");
    expect(Number(bookmarks[0]?.object.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it("replays changes after a resourceVersion and filters by selector", async () => {
    const clock = new FakeClock();
    const k = await kube({ clock });
    const list = JSON.parse((await raw(k, "GET", "/api/v1/namespaces/default/services")).body);
    const rv = list.metadata.resourceVersion as string;
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("a") });
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("b") });
    await raw(k, "DELETE", "/api/v1/namespaces/default/services/a");
    const r = await runClock(
      clock,
      raw(
        k,
        "GET",
        `/api/v1/namespaces/default/services?watch=true&resourceVersion=${rv}&timeoutSeconds=1&fieldSelector=metadata.name%3Da`,
      ),
    );
    expect(watchLines(r).map((l) => `${l.type} ${l.object.metadata.name}`)).toEqual(["ADDED a", "DELETED a"]);
  });

  it("sends the initial-events-end bookmark of watch-list", async () => {
    const clock = new FakeClock();
    const k = await kube({ clock });
    const r = await runClock(
      clock,
      raw(
        k,
        "GET",
        "/api/v1/namespaces?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1",
      ),
    );
    const lines = watchLines(r);
    expect(lines.slice(0, 4).map((l) => l.type)).toEqual(["ADDED", "ADDED", "ADDED", "ADDED"]);
    expect(lines[4]).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
  });

  it("answers 410 Expired for a resourceVersion from before a restart", async () => {
    const k = await kube();
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("a") });
    const rv = JSON.parse((await raw(k, "GET", "/api/v1/namespaces/default/services")).body).metadata
      .resourceVersion as string;
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("b") });
    await k.emu.close();
    const again = await startKubeEmulator({ stateDir: k.stateDir });
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(again.kubeconfigPath);
      const errors: unknown[] = [];
      const events: { type: string; obj: { code?: number; reason?: string } }[] = [];
      await new Promise<void>((resolve) => {
        void new Watch(kc).watch(
          "/api/v1/namespaces/default/services",
          { resourceVersion: rv },
          (type, obj) => events.push({ type, obj }),
          (err) => {
            errors.push(err);
            resolve();
          },
        );
      });
      expect(events).toEqual([
        { type: "ERROR", obj: expect.objectContaining({ code: 410, reason: "Expired" }) },
      ]);
    } finally {
      await again.close();
    }
  });

  it("serves Table watch events for kubectl get -w", async () => {
    const clock = new FakeClock();
    const k = await kube({ clock });
    const r = await runClock(
      clock,
      raw(k, "GET", "/api/v1/namespaces/default/services?watch=1&timeoutSeconds=1", {
        headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
      }),
    );
    const first = watchLines(r)[0] as unknown as {
      type: string;
      object: { kind: string; rows: { cells: unknown[] }[] };
    };
    expect(first.object.kind).toBe("Table");
    expect(first.object.rows[0]?.cells.slice(0, 5)).toEqual([
      "kubernetes",
      "ClusterIP",
      "10.0.0.1",
      "<none>",
      "443/TCP",
    ]);
  });
});

describe("tables", () => {
  it("prints services with the kubectl columns and <pending> for a LoadBalancer without ingress", async () => {
    const k = await kube();
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("lb") });
    const r = await raw(k, "GET", "/api/v1/namespaces/default/services", {
      headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" },
    });
    const t = JSON.parse(r.body);
    expect(t.kind).toBe("Table");
    expect(t.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      "Name",
      "Type",
      "Cluster-IP",
      "External-IP",
      "Port(s)",
      "Age",
      "Selector",
    ]);
    const lb = t.rows.find((row: { cells: string[] }) => row.cells[0] === "lb");
    expect(lb.cells[3]).toBe("<pending>");
    expect(lb.cells[4]).toMatch(/^80:3\d{4}\/TCP$/);
    expect(lb.object.kind).toBe("PartialObjectMetadata");
    await raw(k, "PATCH", "/api/v1/namespaces/default/services/lb/status", {
      body: { status: { loadBalancer: { ingress: [{ ip: "10.224.0.7" }] } } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    const one = JSON.parse(
      (
        await raw(k, "GET", "/api/v1/namespaces/default/services/lb", {
          headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
        })
      ).body,
    );
    expect(one.rows[0].cells[3]).toBe("10.224.0.7");
  });

  it("embeds typed objects in the rows: the full object, or its PartialObjectMetadata", async () => {
    const k = await kube();
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("typed") });
    const table = async (include: string) =>
      JSON.parse(
        (
          await raw(k, "GET", `/api/v1/namespaces/default/services?includeObject=${include}`, {
            headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
          })
        ).body,
      ) as { rows: { cells: string[]; object?: Record<string, unknown> }[] };
    const full = (await table("Object")).rows.find((row) => row.cells[0] === "typed")?.object;
    expect(full).toMatchObject({ kind: "Service", apiVersion: "v1", metadata: { name: "typed" } });
    expect(full?.spec).toBeDefined();
    const partial = (await table("Metadata")).rows.find((row) => row.cells[0] === "typed")?.object;
    expect(partial).toMatchObject({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "typed" },
    });
    expect(partial?.spec).toBeUndefined();
    expect((await table("None")).rows.find((row) => row.cells[0] === "typed")?.object).toBeUndefined();
  });

  it("answers 406 to a client that accepts only protobuf", async () => {
    const k = await kube();
    const r = await raw(k, "GET", "/api/v1/namespaces", {
      headers: { Accept: "application/vnd.kubernetes.protobuf" },
    });
    expect(r.status).toBe(406);
  });
});

describe("persistence", () => {
  it("keeps objects, token and resourceVersion across a restart and rewrites the kubeconfig", async () => {
    const k = await kube();
    const created = JSON.parse(
      (await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("keep") })).body,
    );
    await k.emu.close();
    const again = await startKubeEmulator({ stateDir: k.stateDir });
    try {
      expect(again.token).toBe(k.emu.token);
      const kubeconfig = readFileSync(again.kubeconfigPath, "utf8");
      expect(kubeconfig).toContain(`server: ${again.url}`);
      const kc = new KubeConfig();
      kc.loadFromFile(again.kubeconfigPath);
      const s = await kc
        .makeApiClient(CoreV1Api)
        .readNamespacedService({ name: "keep", namespace: "default" });
      expect(s.metadata?.uid).toBe(created.metadata.uid);
      expect(s.spec?.clusterIP).toBe(created.spec.clusterIP);
      const next = await kc
        .makeApiClient(CoreV1Api)
        .createNamespacedService({ namespace: "default", body: svc("next") });
      expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(
        Number(created.metadata.resourceVersion),
      );
    } finally {
      await again.close();
    }
  });

  it("refuses corrupt state with an error naming the file", async () => {
    const k = await kube();
    await k.emu.close();
    const file = join(k.stateDir, "kube-state.json");
    writeFileSync(file, "{ not json");
    await expect(startKubeEmulator({ stateDir: k.stateDir })).rejects.toThrow(file);
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });

  it("resets to the default world, or to another one", async () => {
    const k = await kube();
    await raw(k, "POST", "/api/v1/namespaces/default/services", { body: svc("gone") });
    await k.emu.reset();
    expect((await raw(k, "GET", "/api/v1/namespaces/default/services/gone")).status).toBe(404);
    const world = defaultWorld();
    const cluster = world.managedClusters[0];
    if (cluster) {
      cluster.nodes = cluster.nodes.slice(0, 1);
      cluster.kubernetesVersion = "1.32.1";
    }
    await k.emu.reset(world);
    const nodes = JSON.parse((await raw(k, "GET", "/api/v1/nodes")).body).items;
    expect(nodes).toHaveLength(1);
    expect(nodes[0].status.nodeInfo.kubeletVersion).toBe("v1.32.1");
    expect(JSON.parse((await raw(k, "GET", "/version")).body).gitVersion).toBe("v1.32.1");
  });
});
