/**
 * plsctl migrate on examples/two-clusters.yaml: the same Service exposed on aks-green with the
 * source's Private Link settings, the partner put on the new PLS's visibility and auto-approval,
 * the cut-over per partner, --finish refused while the partner is on the old PLS only and done
 * once it moved; bad input refused with nothing written on either cluster.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { loadWorldFile } from "../../src/sandbox/world-file.js";
import { runCli } from "../helpers/run-cli.js";
import { networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { seedTls } from "../helpers/tls.js";
import { coreOf as clusterCore, deployHello, identityEnvOf } from "./helpers/clusters.js";
import type { TestSandbox } from "./helpers/sandbox.js";
import { A } from "./helpers/services.js";

const WORLD = loadWorldFile("examples/two-clusters.yaml");
const PART = WORLD.identities.find((i) => i.name === "partner")?.defaultSubscriptionId ?? "";
const dir = tempDir("plsctl-migrate-");
let sb: Sandbox;

const env = (as = "provider") => identityEnvOf(sb, as);
const cli = (args: string[], e = env()) => runCli(args, { env: e });
const test = () => sb as unknown as TestSandbox;

const coreOf = (context: string) => clusterCore(sb, context);
const deploy = (context: string, svc: string) => deployHello(sb, context, svc);

const idle = () => Promise.all(sb.clusters.map((c) => c.controller.idle()));

/** Every write either cluster's API and ARM received (once both controllers are idle). */
async function writes() {
  await idle();
  const kube = sb.clusters.map((c) => {
    const v = c.kube.counters().byVerb;
    return (v.create ?? 0) + (v.update ?? 0) + (v.patch ?? 0) + (v.delete ?? 0);
  });
  const arm = Object.entries(sb.arm.counters().byIdentity).map(([who, c]) => [
    who,
    Object.entries(c.byOperation ?? {})
      .filter(
        ([op]) =>
          !/_(Get|List\w*|CheckExistence|CheckPrivateLinkServiceVisibility\w*)$|^Operations_Poll$/.test(op),
      )
      .reduce((s, [, n]) => s + n, 0),
  ]);
  return { kube, arm };
}

/** A copy of the sandbox kubeconfig with one more context. */
function kubeconfigWith(name: string, server: string | undefined): string {
  const kc = parse(readFileSync(sb.runtime.kube.kubeconfigPath, "utf8"));
  const demo = kc.clusters.find((c: { name: string }) => c.name === kc.contexts[0].context.cluster);
  kc.clusters.push({ name, cluster: { ...demo.cluster, ...(server ? { server } : {}) } });
  kc.contexts.push({ name, context: { ...kc.contexts[0].context, cluster: name } });
  const file = join(dir, `kubeconfig-${name}`);
  writeFileSync(file, stringify(kc));
  return file;
}

let oldAlias = "";

beforeAll(async () => {
  seedTls(dir);
  sb = await startSandbox({ stateDir: dir, world: WORLD, dropDelayMs: 20 });
  await deploy("aks-demo", "app");
  await deploy("aks-green", "app");
  await deploy("aks-demo", "lonely");
  const r = await cli(["expose", "app", "--visibility", PART, "--fqdn", "app.contoso.example", "-o", "json"]);
  expect(r.code, r.stderr).toBe(0);
  oldAlias = JSON.parse(r.stdout).alias;
  await partnerEndpoint(test(), "pe-app", oldAlias);
  const ok = await cli(["approve", "app", "--all-pending"]);
  expect(ok.code, ok.stderr).toBe(0);
  expect((await cli(["expose", "lonely", "-o", "json"])).code).toBe(0);
}, 60_000);

afterAll(async () => sb?.close());

describe("plsctl migrate: bad input, nothing written on either side", () => {
  it.each([
    ["a context that does not exist", () => ["app", "--to-context", "nope"], 2, /nope/],
    ["the context already in use", () => ["app", "--to-context", "aks-demo"], 2, /already works in/],
    [
      "--force without --finish",
      () => ["app", "--to-context", "aks-green", "--force"],
      2,
      /--force goes with --finish/,
    ],
    [
      "a Service the target cluster lacks",
      () => ["lonely", "--to-context", "aks-green"],
      3,
      /does not exist in context aks-green/,
    ],
  ])("%s", async (_, args, code, message) => {
    const before = await writes();
    const r = await cli(["migrate", ...args()]);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await writes()).toEqual(before);
  });

  it.each([
    ["another context of the same cluster", undefined, 2, /reach the same cluster/],
    ["a context that reaches no cluster", "https://127.0.0.1:1", 2, /reaches no cluster/],
  ])("%s", async (_, server, code, message) => {
    const kubeconfig = kubeconfigWith(server ? "dead" : "demo-again", server);
    const before = await writes();
    const r = await cli(["migrate", "app", "--to-context", server ? "dead" : "demo-again"], {
      ...env(),
      KUBECONFIG: kubeconfig,
    });
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(await writes()).toEqual(before);
  });
});

describe("plsctl migrate app --to-context aks-green", () => {
  let newAlias = "";

  it("exposes app on aks-green with the same settings, restores the partner, reports the cut-over", async () => {
    const r = await cli(["migrate", "app", "--to-context", "aks-green", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    newAlias = out.to.alias;
    expect(out.from).toMatchObject({ context: "aks-demo", alias: oldAlias });
    expect(newAlias).toBeTruthy();
    expect(newAlias).not.toBe(oldAlias);
    expect(out.to.plsId).toContain("/resourceGroups/MC_rg-aks-green_aks-green_westeurope/");
    expect(out.partners).toEqual([{ subscription: PART, endpoints: ["pe-app"], on: "old" }]);
    expect(out.restored).toEqual([PART]);
    expect(out.messages[0].message).toContain(
      `--pls ${newAlias} --name pe-app --resource-group rg-partner --replace`,
    );
    const green = await coreOf("aks-green").readNamespacedService({ name: "app", namespace: "default" });
    expect(green.metadata?.annotations).toMatchObject({
      [`${A}azure-pls-fqdns`]: "app.contoso.example",
      [`${A}azure-pls-visibility`]: PART,
      [`${A}azure-pls-auto-approval`]: PART,
    });
    // The inventory now lives on aks-green too, holding the partner of aks-demo's PLS.
    const cm = await coreOf("aks-green").readNamespacedConfigMap({
      name: "plsctl-partners-app",
      namespace: "default",
    });
    expect(JSON.parse(cm.data?.["partners.json"] ?? "{}").partners).toContainEqual(
      expect.objectContaining({ alias: oldAlias, requesterSubscription: PART, state: "Approved" }),
    );
  });

  it("--finish is refused while the partner is on the old PLS only, nothing written", async () => {
    const before = await writes();
    const r = await cli(["migrate", "app", "--to-context", "aks-green", "--finish"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`Not finishing: 1 partner\\(s\\) .*${PART} \\(pe-app, old only\\)`));
    expect(r.stderr).toMatch(/--force/);
    expect(await writes()).toEqual(before);
  });

  it("the partner connects to the new alias (approved at once); a re-run reports both", async () => {
    await partnerEndpoint(test(), "pe-app-green", newAlias);
    const pe = await networkAs(test(), "partner").privateEndpoints.get("rg-partner", "pe-app-green");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Approved",
    );
    const r = await cli(["migrate", "app", "--to-context", "aks-green", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).partners).toEqual([
      { subscription: PART, endpoints: ["pe-app", "pe-app-green"], on: "both" },
    ]);
    // Already on the new one: no message to send any more.
    expect(JSON.parse(r.stdout).messages).toEqual([]);
  });

  it("--finish removes the old exposure; a re-run is done already", async () => {
    const r = await cli(["migrate", "app", "--to-context", "aks-green", "--finish"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Finished: the old exposure on aks-demo is removed/);
    expect(r.stdout).toMatch(new RegExp(`${PART} +pe-app, pe-app-green +new only`));
    expect((await cli(["status", "app"])).code).toBe(3);
    const st = JSON.parse((await cli(["status", "app", "--context", "aks-green", "-o", "json"])).stdout);
    expect(st.alias).toBe(newAlias);
    const again = await cli(["migrate", "app", "--to-context", "aks-green", "--finish", "-o", "json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      finished: true,
      partners: [expect.objectContaining({ on: "new" })],
    });
  });
});
