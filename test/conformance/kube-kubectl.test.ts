/**
 * The walkthrough of the seed article, run with every kubectl present (1.27 … 1.33) against the
 * Kubernetes emulator: apply, get svc (EXTERNAL-IP), get -o yaml, annotate (add, refuse without
 * --overwrite, overwrite, remove), describe with Events, get events, re-apply of a modified
 * manifest (3-way strategic merge), delete -f. One emulator for the file, versions in sequence.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubectlBinaries, startTestKube, type TestKube } from "../sandbox/helpers/kube.js";

const versions = kubectlBinaries();
const SAMPLE = join(import.meta.dirname, "../../examples/sample-app.yaml");

let k: TestKube;
let core: CoreV1Api;
let net: NetworkingV1Api;
let modified: string;
let modifiedAgain: string;
let policy: string;

beforeAll(async () => {
  k = await startTestKube();
  const kc = new KubeConfig();
  kc.loadFromFile(k.emu.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  net = kc.makeApiClient(NetworkingV1Api);
  const sample = readFileSync(SAMPLE, "utf8");
  // Second apply: the port moves to 8080 and the Service gets a label; third: the label goes away.
  const withLabel = sample
    .replace("      port: 80\n", "      port: 8080\n")
    .replace(
      "  name: sample-app\n  annotations:",
      "  name: sample-app\n  labels:\n    tier: web\n  annotations:",
    );
  modified = join(k.stateDir, "sample-app-v2.yaml");
  writeFileSync(modified, withLabel);
  modifiedAgain = join(k.stateDir, "sample-app-v3.yaml");
  writeFileSync(modifiedAgain, withLabel.replace("  labels:\n    tier: web\n", ""));
  policy = join(k.stateDir, "netpol.yaml");
  writeFileSync(
    policy,
    [
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata:",
      "  name: example-ipblock",
      "spec:",
      "  podSelector: {}",
      "  policyTypes:",
      "  - Egress",
      "  egress:",
      "  - to:",
      "    - ipBlock:",
      "        cidr: 10.221.1.0/24",
      "",
    ].join("\n"),
  );
});

afterEach(async () => {
  // A failed version must not leave its objects to the next one.
  const ns = "default";
  await core.deleteNamespacedPod({ name: "pls-app", namespace: ns, gracePeriodSeconds: 0 }).catch(() => {});
  await core.deleteNamespacedService({ name: "sample-app", namespace: ns }).catch(() => {});
  await core.deleteCollectionNamespacedEvent({ namespace: ns });
  await net.deleteNamespacedNetworkPolicy({ name: "example-ipblock", namespace: ns }).catch(() => {});
});

afterAll(async () => {
  expect(k.emu.counters().unrouted).toBe(0);
  await k.stop();
});

const rows = (table: string) =>
  table
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s{2,}/));

async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met");
}

async function event(uid: string, n: number, reason: string, message: string): Promise<void> {
  await core.createNamespacedEvent({
    namespace: "default",
    body: {
      metadata: { name: `sample-app.${uid.slice(0, 8)}${n}` },
      involvedObject: { kind: "Service", namespace: "default", name: "sample-app", uid, apiVersion: "v1" },
      reason,
      message,
      type: "Normal",
      source: { component: "service-controller" },
      firstTimestamp: new Date(),
      lastTimestamp: new Date(),
      count: 1,
    },
  });
}

describe.skipIf(versions.length === 0)("kubectl walkthrough", () => {
  it.each(versions)("kubectl $version", async ({ bin }) => {
    const run = async (...args: string[]) => {
      const r = await k.kubectl(bin, args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
      // No warnings either (OpenAPI fallbacks, unknown fields, deprecations).
      expect(r.stderr, `kubectl ${args.join(" ")}`).toBe("");
      return r.stdout;
    };

    expect(await run("apply", "-f", SAMPLE)).toBe("pod/pls-app created\nservice/sample-app created\n");

    const pending = rows(await run("get", "svc"));
    expect(pending[0]).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(pending[1]?.slice(0, 5)).toEqual(["kubernetes", "ClusterIP", "10.0.0.1", "<none>", "443/TCP"]);
    const row = pending[2] ?? [];
    expect(row[0]).toBe("sample-app");
    expect(row[1]).toBe("LoadBalancer");
    expect(row[2]).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(row[3]).toBe("<pending>");
    expect(row[4]).toMatch(/^80:3\d{4}\/TCP$/);

    // What the cloud controller does once the internal load balancer exists.
    await core.patchNamespacedServiceStatus(
      {
        name: "sample-app",
        namespace: "default",
        body: { status: { loadBalancer: { ingress: [{ ip: "10.224.0.7", ipMode: "VIP" }] } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const ready = rows(await run("get", "svc", "sample-app"));
    expect(ready[1]?.[3]).toBe("10.224.0.7");

    const yaml = parse(await run("get", "svc", "sample-app", "-o", "yaml"));
    expect(yaml.kind).toBe("Service");
    expect(yaml.metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"]).toBe("true");
    expect(yaml.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain(
      '"sample-app"',
    );
    expect(yaml.spec.type).toBe("LoadBalancer");
    expect(yaml.status.loadBalancer.ingress).toEqual([{ ip: "10.224.0.7", ipMode: "VIP" }]);
    const uid = String(yaml.metadata.uid);

    const key = "service.beta.kubernetes.io/azure-pls-create";
    // kubectl 1.27 prints "annotate", later versions "annotated".
    expect(await run("annotate", "svc", "sample-app", `${key}=true`)).toMatch(
      /^service\/sample-app annotated?\n$/,
    );
    const refused = await k.kubectl(bin, ["annotate", "svc", "sample-app", `${key}=false`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `--overwrite is false but found the following declared annotation(s): '${key}' already has a value (true)`,
    );
    await run("annotate", "svc", "sample-app", `${key}=false`, "--overwrite");
    let svc = await core.readNamespacedService({ name: "sample-app", namespace: "default" });
    expect(svc.metadata?.annotations?.[key]).toBe("false");
    await run("annotate", "svc", "sample-app", `${key}-`);
    await run("annotate", "svc", "sample-app", "team=payments");
    svc = await core.readNamespacedService({ name: "sample-app", namespace: "default" });
    expect(svc.metadata?.annotations?.[key]).toBeUndefined();

    await event(uid, 1, "EnsuringLoadBalancer", "Ensuring load balancer");
    await event(uid, 2, "EnsuredLoadBalancer", "Ensured load balancer");
    await until(
      async () =>
        (await core.readNamespacedPod({ name: "pls-app", namespace: "default" })).status?.phase === "Running",
    );
    const pods = rows(await run("get", "pods", "-o", "wide"));
    expect(pods[0]).toEqual([
      "NAME",
      "READY",
      "STATUS",
      "RESTARTS",
      "AGE",
      "IP",
      "NODE",
      "NOMINATED NODE",
      "READINESS GATES",
    ]);
    expect(pods[1]?.slice(0, 4)).toEqual(["pls-app", "1/1", "Running", "0"]);
    expect(pods[1]?.[5]).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(pods[1]?.[6]).toMatch(/^aks-nodepool1-11106896-vmss00000\d$/);
    const nodes = rows(await run("get", "nodes"));
    expect(nodes[0]).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    expect(nodes.slice(1).map((n) => [n[0], n[1], n[2], n[4]])).toEqual(
      [0, 1, 2].map((i) => [`aks-nodepool1-11106896-vmss00000${i}`, "Ready", "agent", "v1.31.5"]),
    );
    const describeOut = await run("describe", "svc", "sample-app");
    expect(describeOut).toMatch(/^Name:\s+sample-app$/m);
    expect(describeOut).toMatch(/^Type:\s+LoadBalancer$/m);
    expect(describeOut).toMatch(/^LoadBalancer Ingress:\s+10\.224\.0\.7/m);
    expect(describeOut).toMatch(/^Endpoints:\s+10\.244\.\d+\.\d+:80$/m);
    expect(describeOut).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
    expect(describeOut).toMatch(
      /Normal\s+EnsuringLoadBalancer\s+\S+\s+service-controller\s+Ensuring load balancer/,
    );
    expect(describeOut).toMatch(
      /Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+Ensured load balancer/,
    );

    const events = rows(await run("get", "events"));
    expect(events[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(events.slice(1).map((e) => e.slice(1))).toEqual([
      ["Normal", "EnsuringLoadBalancer", "service/sample-app", "Ensuring load balancer"],
      ["Normal", "EnsuredLoadBalancer", "service/sample-app", "Ensured load balancer"],
    ]);

    expect(await run("apply", "-f", modified)).toBe("pod/pls-app unchanged\nservice/sample-app configured\n");
    svc = await core.readNamespacedService({ name: "sample-app", namespace: "default" });
    expect(svc.spec?.ports?.map((p) => [p.port, p.targetPort])).toEqual([[8080, 80]]);
    expect(svc.metadata?.labels).toEqual({ tier: "web" });
    expect(svc.metadata?.annotations?.team).toBe("payments");
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toBe("10.224.0.7");
    await run("apply", "-f", modifiedAgain);
    svc = await core.readNamespacedService({ name: "sample-app", namespace: "default" });
    expect(svc.metadata?.labels).toBeUndefined();
    expect(svc.metadata?.annotations?.team).toBe("payments");

    // The article's network policy: egress only to the partner's CIDR.
    expect(await run("apply", "-f", policy)).toBe(
      "networkpolicy.networking.k8s.io/example-ipblock created\n",
    );
    const policies = rows(await run("get", "netpol"));
    expect(policies.map((p) => p.slice(0, 2))).toEqual([
      ["NAME", "POD-SELECTOR"],
      ["example-ipblock", "<none>"],
    ]);
    const describePolicy = await run("describe", "netpol", "example-ipblock");
    expect(describePolicy).toMatch(/Allowing egress traffic:[\s\S]*IPBlock:\s+CIDR: 10\.221\.1\.0\/24/);
    expect(describePolicy).toMatch(/Policy Types: Egress/);
    expect(await run("delete", "-f", policy)).toBe(
      'networkpolicy.networking.k8s.io "example-ipblock" deleted\n',
    );

    expect(await run("delete", "-f", SAMPLE)).toBe('pod "pls-app" deleted\nservice "sample-app" deleted\n');
    const left = await core.listNamespacedService({ namespace: "default" });
    expect(left.items.map((s) => s.metadata?.name)).toEqual(["kubernetes"]);
    expect((await core.listNamespacedPod({ namespace: "default" })).items).toEqual([]);
  });
});

/**
 * `--sort-by` makes kubectl ask for `includeObject=Object` and decode each row's embedded object;
 * without kind/apiVersion it cannot, and prints the rows empty.
 */
describe.skipIf(versions.length === 0)("kubectl get --sort-by", () => {
  const ns = "sorting";
  const names = ["zulu", "alpha", "mike"];

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: ns } } });
    for (const [i, name] of names.entries()) {
      await core.createNamespacedService({
        namespace: ns,
        body: { metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: name } } },
      });
      await core.createNamespacedPod({
        namespace: ns,
        body: { metadata: { name }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
      });
      // lastTimestamp order: mike, zulu, alpha (neither the name nor the creation order).
      const at = new Date(Date.UTC(2025, 0, 1, 12, [1, 2, 0][i] ?? 0));
      await core.createNamespacedEvent({
        namespace: ns,
        body: {
          metadata: { name: `${name}.ev` },
          involvedObject: { kind: "Service", namespace: ns, name, apiVersion: "v1" },
          reason: "Sorted",
          message: `event of ${name}`,
          type: "Normal",
          source: { component: "plsctl-test" },
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
        },
      });
    }
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it.each(versions)("kubectl $version prints the rows, sorted", async ({ bin }) => {
    const get = async (...args: string[]) => {
      const r = await k.kubectl(bin, ["get", "-n", ns, ...args]);
      expect(r.stderr, `kubectl get ${args.join(" ")}`).toBe("");
      expect(r.code).toBe(0);
      return rows(r.stdout);
    };
    const svc = await get("svc", "--sort-by=.metadata.name");
    expect(svc[0]?.slice(0, 2)).toEqual(["NAME", "TYPE"]);
    expect(svc.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ["alpha", "ClusterIP"],
      ["mike", "ClusterIP"],
      ["zulu", "ClusterIP"],
    ]);
    const pods = await get("pods", "--sort-by=.metadata.name", "-o", "wide");
    expect(pods[0]?.[0]).toBe("NAME");
    expect(pods.slice(1).map((r) => r[0])).toEqual(["alpha", "mike", "zulu"]);
    const events = await get("events", "--sort-by=.lastTimestamp");
    expect(events[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(events.slice(1).map((e) => e.slice(1))).toEqual(
      ["mike", "zulu", "alpha"].map((n) => ["Normal", "Sorted", `service/${n}`, `event of ${n}`]),
    );
  });
});
