/**
 * The bundle scripts/build.mjs writes: a rebuild never takes a file from under a running plsctl,
 * old builds are pruned, and each command loads only the chunks it needs (the SDKs are bundled).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { coreApi, startTestSandbox, type TestSandbox } from "../sandbox/helpers/sandbox.js";
import { currentBuild, runTraced } from "./loaded-packages.js";
import { copyProject } from "./project-copy.js";
import { runNode } from "./run-node.js";

const exec = (args: string[], cwd: string) => runNode(args, { cwd, home: cwd });

describe("npm run build while plsctl runs", () => {
  // A copy of the project (sources, build scripts, the current build) whose version each rebuild
  // bumps, so that every build differs from the one before, as after an edit.
  let tree = "";
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  const setVersion = (v: string) =>
    writeFileSync(join(tree, "package.json"), JSON.stringify({ ...pkg, version: v }, null, 2));
  const builds = () => readdirSync(join(tree, "dist")).filter((n) => /^b-[0-9a-f]{12}$/.test(n));

  beforeAll(() => {
    tree = copyProject("plsctl-build-");
    setVersion(`${pkg.version}-build.0`);
    mkdirSync(join(tree, "dist"));
    cpSync("dist/cli.js", join(tree, "dist", "cli.js"));
    const current = currentBuild();
    cpSync(current, join(tree, "dist", basename(current)), { recursive: true });
  });
  afterAll(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it("never takes a file from under a running plsctl", async () => {
    let building = true;
    const rebuilds = (async () => {
      try {
        for (let i = 1; i <= 2; i++) {
          setVersion(`${pkg.version}-build.${i}`);
          const r = await exec(["scripts/build.mjs"], tree);
          if (r.code !== 0) throw new Error(`build ${i} failed: ${r.stderr}`);
        }
      } finally {
        building = false;
      }
    })();
    rebuilds.catch(() => {}); // awaited below, after the runs
    // `sandbox status` imports its flow, and the sandbox chunk, lazily: well after dist/cli.js.
    const runs: Array<{ code: number | null; stderr: string }> = [];
    while (building && runs.length < 200) {
      runs.push(
        await exec(
          ["bin/plsctl.js", "sandbox", "status", "--state-dir", join(tree, "none"), "-o", "json"],
          tree,
        ),
      );
    }
    await rebuilds;
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.code !== 0 || /ERR_MODULE_NOT_FOUND|Cannot find/.test(r.stderr))).toEqual([]);
    // The rebuilds really happened and dist/cli.js now points at the last one.
    const v = await exec(["bin/plsctl.js", "--version"], tree);
    expect(v.stdout.trim()).toBe(`${pkg.version}-build.2`);
    expect(builds()).toHaveLength(3);
  }, 300_000);

  it("removes old builds once replaced long ago, keeping the last few", async () => {
    const current = basename(currentBuild(tree));
    const previous = builds().filter((b) => b !== current);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const age = (name: string, m: number) =>
      utimesSync(join(tree, "dist", name), minutesAgo(m), minutesAgo(m));
    const fake = (name: string, m: number) => {
      mkdirSync(join(tree, "dist", name));
      age(name, m);
    };
    for (const [i, b] of previous.entries()) age(b, 60 + 10 * i); // replaced an hour ago and more
    fake("b-00000000000a", 80);
    fake("b-00000000000b", 90);
    fake("b-00000000000c", 5); // replaced five minutes ago: a plsctl may still run on it
    fake(".tmp-b-00000000000d-1", 120); // a build that died half-way
    const r = await exec(["scripts/build.mjs"], tree); // same sources: nothing new to write
    expect(r.code).toBe(0);
    expect(basename(currentBuild(tree))).toBe(current);
    expect(readdirSync(join(tree, "dist")).sort()).toEqual(
      [".npmignore", "cli.js", current, ...previous, "b-00000000000c"].sort(),
    );
  }, 300_000);
});

describe("what a command loads from the bundle", () => {
  let sb: TestSandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    sb = await startTestSandbox();
    env = sandboxEnv(sb);
    await coreApi(sb).createNamespacedService({
      namespace: "default",
      body: {
        metadata: {
          name: "web",
          annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
        },
        spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] },
      },
    });
    const exposed = await runCli(["expose", "web", "--pls-name", "pls-web"], { env });
    expect(exposed.code, exposed.stderr).toBe(0);
  });
  afterAll(async () => sb?.close());

  it("status: the Kubernetes client and the network client, nothing of the sandbox or other SDKs", async () => {
    const r = await runTraced(["status", "web", "-o", "json"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe("pls-web");
    expect(r.packages).toEqual(expect.arrayContaining(["@kubernetes/client-node", "@azure/arm-network"]));
    // node-forge is the sandbox's, yaml only for -o yaml and manifests; @azure/identity only
    // without PLSCTL_ACCESS_TOKEN; the AKS and DNS clients only with --cluster / for DNS records.
    for (const p of [
      "node-forge",
      "yaml",
      "@azure/identity",
      "@azure/msal-node",
      "@azure/arm-containerservice",
      "@azure/arm-privatedns",
      // client-node's `cp` streams, imported by its index (scripts/build.mjs, client-node-pure-imports)
      "tar-fs",
      "tar-stream",
      "stream-buffers",
    ])
      expect(r.packages).not.toContain(p);
  });

  it("status: of the Kubernetes client, its undici and the network client, only what plsctl uses", async () => {
    const r = await runTraced(["status", "web", "-o", "json"], env);
    expect(r.code, r.stderr).toBe(0);
    const code = r.files.map((f) => readFileSync(join(currentBuild(), f), "utf8")).join("\n");
    expect(code).toContain("/api/v1/namespaces/{namespace}/services/{name}"); // the text is real
    // A dynamic import of the package (its whole namespace) kept every group's client in the chunk.
    for (const group of ["/apis/apps/v1/", "/apis/batch/v1/", "/apis/rbac.authorization.k8s.io/v1/"])
      expect(code).not.toContain(group);
    // undici's index brings its mock agents (and cache stores, WebSocket, …); client-node uses
    // fetch, Agent and ProxyAgent (scripts/build.mjs, undici-entry).
    expect(code).toContain("undici.globalDispatcher"); // its fetch is there
    expect(code).not.toContain("MockNotMatchedError");
    // Of the network client, the operation groups src/azure/clients.ts lists (NETWORK_GROUPS).
    expect(code).toContain("/providers/Microsoft.Network/privateLinkServices/{serviceName}");
    for (const group of ["azureFirewalls", "expressRouteCircuits", "applicationGateways"])
      expect(code).not.toContain(`/providers/Microsoft.Network/${group}`);
  });

  it("approve --watch loads prom-client only with --metrics-addr", async () => {
    const watch = ["approve", "web", "--all-pending", "--watch", "--for", "1s"];
    const off = await runTraced(watch, env);
    expect(off.code, off.stderr).toBe(0);
    expect(off.packages).toContain("@azure/arm-network");
    expect(off.packages).not.toContain("prom-client");
    const on = await runTraced([...watch, "--metrics-addr", "127.0.0.1:0"], env);
    expect(on.code, on.stderr).toBe(0);
    expect(on.packages).toContain("prom-client");
  });

  it("connections --pls needs no Kubernetes and loads none of its client", async () => {
    const id = JSON.parse((await runCli(["status", "web", "-o", "json"], { env })).stdout).id as string;
    const { KUBECONFIG: _, ...noKube } = env;
    const r = await runTraced(["connections", "--pls", id, "-o", "json"], noKube);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toContain("@azure/arm-network");
    expect(r.packages).not.toContain("@kubernetes/client-node");
  });

  it("status prefetches the Azure adapter while it reads the Service, and fails as before when the Service is missing", async () => {
    const r = await runTraced(["status", "nosuch", "-o", "json"], env);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toMatch(/nosuch/);
    // Loaded, though unused: it was fetched while the Kubernetes request was in flight.
    expect(r.packages).toContain("@azure/arm-network");
  });

  it("status: none of Node's own modules that only lazy getters would load (its undici, BlockList)", async () => {
    const r = await runTraced(["status", "web", "-o", "json"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.builtins).toContain("tls"); // the list is real: status talks TLS
    // Node's undici behind http.WebSocket and the global FormData: client-node brings its own,
    // the Azure SDK does not need it. The others sit behind getters of net and dns.
    for (const m of ["internal/deps/undici/undici", "internal/blocklist", "internal/dns/promises"])
      expect(r.builtins).not.toContain(m);
  });
});
