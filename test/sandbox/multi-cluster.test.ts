/**
 * A sandbox whose world has two managed clusters (examples/two-clusters.yaml): each its own
 * Kubernetes API and AKS controller, a kubeconfig context each; plsctl expose --context puts each
 * Service's PLS in its own cluster's node resource group; the partner network reaches the app
 * behind either PLS; kubectl --context reaches both; a restart and a reset keep both clusters.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig, NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sandboxStatus } from "../../src/flows/sandbox/index.js";
import { makeColors } from "../../src/output/colors.js";
import { renderStatus, renderUp } from "../../src/output/sandbox.js";
import { readRuntime, type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { loadWorldFile, WorldFileError } from "../../src/sandbox/world-file.js";
import { runCli } from "../helpers/run-cli.js";
import { partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { seedTls } from "../helpers/tls.js";
import { coreOf as clusterCore, deployHello as deployIn, identityEnvOf } from "./helpers/clusters.js";
import { kubectlBinaries } from "./helpers/kube.js";
import type { TestSandbox } from "./helpers/sandbox.js";
import { lbService } from "./helpers/services.js";

const WORLD = loadWorldFile("examples/two-clusters.yaml");
const GREEN_RG = "MC_rg-aks-green_aks-green_westeurope";
const DEMO_RG = "MC_rg-aks_aks-demo_westeurope";
const PART = WORLD.identities.find((i) => i.name === "partner")?.defaultSubscriptionId ?? "";
const kubectl = kubectlBinaries().at(-1)?.bin;

const dir = tempDir("plsctl-two-clusters-");
let sb: Sandbox;

const envOf = (as: string) => identityEnvOf(sb, as);

const coreOf = (context: string) => clusterCore(sb, context);
const deployHello = (context: string, svc: string) => deployIn(sb, context, svc);

function runKubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      kubectl ?? "kubectl",
      args,
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: join(dir, "home"),
          KUBECONFIG: sb.runtime.kube.kubeconfigPath,
          KUBECACHEDIR: join(dir, "home", "cache"),
          NO_COLOR: "1",
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const idle = () => Promise.all(sb.clusters.map((c) => c.controller.idle()));

beforeAll(async () => {
  seedTls(dir);
  sb = await startSandbox({ stateDir: dir, world: WORLD, dropDelayMs: 20 });
});

afterAll(async () => sb?.close());

describe("a sandbox of two clusters", () => {
  it("runs each cluster's API on its own port, one context each, the first current", () => {
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
    const [demo, green] = sb.clusters;
    expect(demo?.kube).toBe(sb.kube);
    expect(green?.kube.url).not.toBe(demo?.kube.url);
    expect(sb.runtime.kube.context).toBe("aks-demo");
    expect(sb.runtime.clusters?.map((c) => [c.name, c.url, c.context])).toEqual([
      ["aks-demo", demo?.kube.url, "aks-demo"],
      ["aks-green", green?.kube.url, "aks-green"],
    ]);
    const kc = parse(readFileSync(sb.runtime.kube.kubeconfigPath, "utf8"));
    expect(kc["current-context"]).toBe("aks-demo");
    expect(kc.contexts.map((c: { name: string }) => c.name)).toEqual(["aks-demo", "aks-green"]);
    const up = renderUp(sb.runtime, makeColors(0), { flag: "", cli: "plsctl" });
    expect(up).toContain(`${green?.kube.url}   (cluster aks-green: kubectl --context aks-green)`);
    // The clusters' own identities are not identities one acts as.
    expect(sb.runtime.identities.map((i) => i.name)).not.toContain("aks-green-controller");
  });

  it("sandbox status names every cluster", async () => {
    const st = await sandboxStatus(dir);
    expect(st.clusters.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
    expect(renderStatus(st, makeColors(0), { flag: "", cli: "plsctl" })).toMatch(
      /Clusters: +aks-demo \(https:.*\), aks-green \(https:/,
    );
  });

  it("each API holds its own objects: a Service applied in one is absent in the other", async () => {
    await coreOf("aks-green").createNamespacedService({
      namespace: "default",
      body: lbService("green-only", {}, { type: "ClusterIP" }),
    });
    const inGreen = await coreOf("aks-green").listNamespacedService({ namespace: "default" });
    const inDemo = await coreOf("aks-demo").listNamespacedService({ namespace: "default" });
    expect(inGreen.items.map((s) => s.metadata?.name)).toContain("green-only");
    expect(inDemo.items.map((s) => s.metadata?.name)).not.toContain("green-only");
    const nodes = await coreOf("aks-green").listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual([
      "aks-nodepool1-22207907-vmss000000",
      "aks-nodepool1-22207907-vmss000001",
      "aks-nodepool1-22207907-vmss000002",
    ]);
  });

  it("plsctl expose --context: each controller puts the PLS in its own node resource group", async () => {
    await deployHello("aks-demo", "app-blue");
    await deployHello("aks-green", "app-green");
    const env = envOf("provider");
    const blue = await runCli(["expose", "app-blue", "--visibility", PART, "-o", "json"], { env });
    expect(blue.code, blue.stderr).toBe(0);
    const green = await runCli(
      ["expose", "app-green", "--context", "aks-green", "--visibility", PART, "-o", "json"],
      { env },
    );
    expect(green.code, green.stderr).toBe(0);
    expect(JSON.parse(blue.stdout).id).toContain(`/resourceGroups/${DEMO_RG}/`);
    expect(JSON.parse(green.stdout).id).toContain(`/resourceGroups/${GREEN_RG}/`);
    // The load balancer is green's own, in its node resource group.
    const lbs = Object.values(sb.arm.state().resources).filter(
      (r) => r.type.toLowerCase() === "microsoft.network/loadbalancers",
    );
    expect(lbs.map((l) => l.id.split("/")[4]).sort()).toEqual([DEMO_RG, GREEN_RG].sort());
  });

  it("the partner network reaches the app through either PLS, in the cluster that holds it", async () => {
    for (const svc of ["app-blue", "app-green"]) {
      const ctxArgs = svc === "app-green" ? ["--context", "aks-green"] : [];
      const st = await runCli(["status", svc, ...ctxArgs, "-o", "json"], { env: envOf("provider") });
      expect(st.code, st.stderr).toBe(0);
      await partnerEndpoint(sb as unknown as TestSandbox, `pe-${svc}`, JSON.parse(st.stdout).id);
      const ok = await runCli(["approve", "--pls", JSON.parse(st.stdout).id, "--all-pending"], {
        env: envOf("ci"),
      });
      expect(ok.code, ok.stderr).toBe(0);
    }
    const partner = envOf("partner");
    for (const [svc, nodePrefix] of [
      ["app-blue", "aks-nodepool1-11106896-"],
      ["app-green", "aks-nodepool1-22207907-"],
    ] as const) {
      const r = await runCli(
        ["verify", "--endpoint", `pe-${svc}`, "-g", "rg-partner", "--http", "/", "-o", "json"],
        { env: partner },
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.http.headers["x-sandbox-pod"]).toBe(`${svc}-1`);
      expect(out.http.headers["x-sandbox-node"]).toMatch(new RegExp(`^${nodePrefix}`));
    }
  });

  it("each connection meets the NetworkPolicies of its own cluster", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sb.runtime.kube.kubeconfigPath);
    kc.setCurrentContext("aks-green");
    const policies = kc.makeApiClient(NetworkingV1Api);
    await policies.createNamespacedNetworkPolicy({
      namespace: "default",
      body: {
        metadata: { name: "deny-all" },
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
      },
    });
    try {
      const verify = (pe: string) =>
        runCli(["verify", "--endpoint", pe, "-g", "rg-partner", "--timeout", "5s", "-o", "json"], {
          env: envOf("partner"),
        });
      const green = JSON.parse((await verify("pe-app-green")).stdout);
      expect(green.reached).toBe(false);
      expect(green.cause.kind).toBe("timeout");
      expect(JSON.parse((await verify("pe-app-blue")).stdout).reached).toBe(true);
    } finally {
      await policies.deleteNamespacedNetworkPolicy({ name: "deny-all", namespace: "default" });
    }
  });

  it.skipIf(!kubectl)("kubectl --context reaches both clusters", async () => {
    const green = await runKubectl(["--context", "aks-green", "get", "svc", "-o", "name"]);
    expect(green.code, green.stderr).toBe(0);
    expect(green.stdout).toContain("service/app-green");
    expect(green.stdout).not.toContain("service/app-blue");
    const demo = await runKubectl(["--context", "aks-demo", "get", "nodes", "-o", "name"]);
    expect(demo.stdout).toContain("node/aks-nodepool1-11106896-vmss000000");
    const current = await runKubectl(["get", "svc", "-o", "name"]);
    expect(current.stdout).toContain("service/app-blue");
  });

  it("a restart keeps both clusters, their objects and their ports; a reset keeps both, emptied", async () => {
    await idle();
    const greenUrl = sb.clusters[1]?.kube.url;
    await sb.close();
    sb = await startSandbox({ stateDir: dir });
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
    expect(sb.clusters[1]?.kube.url).toBe(greenUrl);
    const svcs = await coreOf("aks-green").listNamespacedService({ namespace: "default" });
    expect(svcs.items.map((s) => s.metadata?.name)).toContain("app-green");

    await sb.reset();
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
    const after = await coreOf("aks-green").listNamespacedService({ namespace: "default" });
    expect(after.items.map((s) => s.metadata?.name)).not.toContain("app-green");
    expect((await coreOf("aks-green").listNode()).items).toHaveLength(3);
    expect(sb.runtime.clusters?.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
  });

  it("a reset to a world of one cluster stops the other; back to two starts it again", async () => {
    await sb.reset(defaultWorld());
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-demo"]);
    const contexts = () =>
      parse(readFileSync(sb.runtime.kube.kubeconfigPath, "utf8")).contexts.map(
        (c: { name: string }) => c.name,
      );
    expect(contexts()).toEqual(["aks-demo"]);
    await sb.reset(WORLD);
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-demo", "aks-green"]);
    expect(contexts()).toEqual(["aks-demo", "aks-green"]);
    expect((await coreOf("aks-green").listNode()).items).toHaveLength(3);
  });

  it("a reset to a world whose first cluster is another: the first API (its port) serves it", async () => {
    const url = sb.kube.url;
    const [demo, green] = WORLD.managedClusters;
    await sb.reset({ ...WORLD, managedClusters: [green, demo].flatMap((c) => (c ? [c] : [])) });
    expect(sb.clusters.map((c) => c.name)).toEqual(["aks-green", "aks-demo"]);
    expect(sb.kube.url).toBe(url);
    expect(sb.runtime.kube.context).toBe("aks-green");
    const kc = parse(readFileSync(sb.runtime.kube.kubeconfigPath, "utf8"));
    expect(kc["current-context"]).toBe("aks-green");
    const nodes = (await coreOf("aks-green").listNode()).items.map((n) => n.metadata?.name);
    expect(nodes[0]).toMatch(/^aks-nodepool1-22207907-/);
    expect((await coreOf("aks-demo").listNode()).items[0]?.metadata?.name).toMatch(
      /^aks-nodepool1-11106896-/,
    );
    await sb.reset(WORLD);
  });
});

describe("the world file", () => {
  it("refuses two managed clusters of the same name (each names a kubeconfig context)", () => {
    const file = join(dir, "twins.yaml");
    writeFileSync(
      file,
      readFileSync("examples/two-clusters.yaml", "utf8").replace(
        "    name: aks-green\n",
        "    name: AKS-demo\n",
      ),
    );
    let err: unknown;
    try {
      loadWorldFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorldFileError);
    expect((err as WorldFileError).problems).toContain(
      'managedClusters[1].name: "AKS-demo" is the name of another managed cluster',
    );
  });
});

describe("plsctl sandbox up --world examples/two-clusters.yaml", () => {
  it("starts both clusters, status and env show them, a restart keeps green's port", async () => {
    const state = tempDir("plsctl-two-clusters-cli-");
    const start = async (flags: string[]) => {
      const ac = new AbortController();
      const before = readRuntime(state)?.startedAt;
      const run = runCli(["sandbox", "up", "--state-dir", state, ...flags], { signal: ac.signal });
      for (;;) {
        const rt = readRuntime(state);
        if (rt && !rt.stoppedAt && rt.startedAt !== before) {
          const stop = () => {
            ac.abort();
            return run;
          };
          return { rt, stop };
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const first = await start(["--world", "examples/two-clusters.yaml"]);
    const st = await runCli(["sandbox", "status", "--state-dir", state, "-o", "json"]);
    expect(JSON.parse(st.stdout).clusters.map((c: { name: string }) => c.name)).toEqual([
      "aks-demo",
      "aks-green",
    ]);
    const env = await runCli(["sandbox", "env", "--state-dir", state, "--as", "provider"]);
    const kubeconfig = /export KUBECONFIG='?([^'\n]+)'?/.exec(env.stdout)?.[1] ?? "";
    const kc = parse(readFileSync(kubeconfig, "utf8"));
    expect(kc.contexts.map((c: { name: string }) => c.name)).toEqual(["aks-demo", "aks-green"]);
    const green = first.rt.clusters?.[1]?.url;
    expect((await first.stop()).code).toBe(0);
    const again = await start([]);
    expect(again.rt.clusters?.map((c) => c.url)).toEqual(first.rt.clusters?.map((c) => c.url));
    expect(again.rt.clusters?.[1]?.url).toBe(green);
    expect((await again.stop()).code).toBe(0);
  });
});
