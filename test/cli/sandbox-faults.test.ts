/**
 * `plsctl sandbox faults add|list|clear` in-process against a sandbox running in this process:
 * ARM faults (429 with Retry-After, --times, --path as a regular expression), Kubernetes faults
 * (a status on a verb, a watch that closes — which `plsctl expose`'s wait survives), the admin
 * token never printed, and flag mistakes refused with exit 2 naming the flag, before any request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultsResult } from "../../src/domain/results.js";
import { identityEnv } from "../../src/flows/sandbox/index.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { runCli } from "../helpers/run-cli.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

let sb: Sandbox;
let dir: string;
let core: CoreV1Api;
const SUB = DEFAULT_IDS.providerSubscriptionId;
const VNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
let VNET = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-faults-"));
  sb = await startSandbox({ stateDir: dir, provisioningDelayMs: 300 });
  VNET = `${sb.arm.url}${VNET_ID}?api-version=2024-05-01`;
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kube.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await runCli(["sandbox", "faults", "clear", "--state-dir", dir]);
});

const faults = (...args: string[]) => runCli(["sandbox", "faults", ...args, "--state-dir", dir]);
const json = async (...args: string[]) => {
  const r = await faults(...args, "-o", "json");
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FaultsResult;
};

/** One HTTPS GET with the sandbox CA: status and Retry-After. */
function get(url: string, token: string): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: sb.arm.caCertPem, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(res.headers["retry-after"] ? { retryAfter: String(res.headers["retry-after"]) } : {}),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const vnets = () => get(`${VNET}`, sb.arm.tokens.provider ?? "");

describe("plsctl sandbox faults, ARM", () => {
  it("adds a 429 with Retry-After that fires --times times, lists it with its count, clears it", async () => {
    const added = await json(
      "add",
      "--kind",
      "429",
      "--retry-after",
      "7s",
      "--operation",
      "VirtualNetworks_Get",
      "--times",
      "2",
    );
    expect(added.faults).toEqual([
      expect.objectContaining({
        api: "arm",
        kind: "429",
        match: "operation=VirtualNetworks_Get",
        used: 0,
        times: 2,
      }),
    ]);
    expect(await vnets()).toEqual({ status: 429, retryAfter: "7" });
    expect((await vnets()).status).toBe(429);
    expect((await vnets()).status).toBe(200);
    expect((await json("list")).faults[0]).toMatchObject({ used: 2, times: 2 });
    const table = await faults("list");
    expect(table.stdout).toMatch(/arm\s+0\s+429\s+operation=VirtualNetworks_Get\s+2\/2\s+1/);
    expect((await json("clear")).faults).toEqual([]);
  });

  it("matches --path as a regular expression and --identity", async () => {
    await json(
      "add",
      "--status",
      "503",
      "--path",
      "virtualnetworks/aks-vnet$",
      "--identity",
      "ci",
      "--message",
      "busy",
    );
    expect((await vnets()).status).toBe(200); // provider: not matched
    const ci = await get(`${VNET}`, sb.arm.tokens.ci ?? "");
    expect(ci.status).toBe(503);
  });

  it("adds a 409 (refused as an unknown kind before, though the ARM emulator served it)", async () => {
    const added = await json("add", "--kind", "409", "--operation", "VirtualNetworks_Get", "--times", "1");
    expect(added.faults).toEqual([expect.objectContaining({ api: "arm", kind: "409", used: 0, times: 1 })]);
    expect((await vnets()).status).toBe(409);
    expect((await vnets()).status).toBe(200);
  });

  it("never prints the admin token", async () => {
    const r = await faults("add", "--kind", "500", "--verbose");
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`.toLowerCase()).not.toContain(sb.arm.adminToken.toLowerCase());
  });
});

describe("plsctl sandbox faults, Kubernetes", () => {
  it("answers a status on one verb, --times times", async () => {
    const r = await json(
      "add",
      "--api",
      "kube",
      "--kind",
      "503",
      "--verb",
      "list",
      "--path",
      "/services$",
      "--times",
      "1",
    );
    expect(r.faults).toEqual([
      expect.objectContaining({ api: "kube", kind: "status 503", match: "verb=list path=/services$" }),
    ]);
    await expect(core.listNamespacedService({ namespace: "default" })).rejects.toMatchObject({ code: 503 });
    await expect(core.listNamespacedService({ namespace: "default" })).resolves.toBeDefined();
    await expect(core.readNamespace({ name: "default" })).resolves.toBeDefined();
  });

  it("closes watches, and plsctl expose's wait survives them", async () => {
    await createService(core, "flaky-watch", INTERNAL);
    await json("add", "--api", "kube", "--kind", "closeWatch", "--after-events", "0", "--times", "4");
    const provider = sb.runtime.identities.find((i) => i.name === "provider");
    if (!provider) throw new Error("no provider identity");
    const env = identityEnv(sb.runtime, provider).env;
    const r = await runCli(["expose", "flaky-watch", "-o", "json"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provisioningState: "Succeeded" });
    const [rule] = (await json("list")).faults;
    expect(rule?.used).toBeGreaterThan(0);
  });
});

describe("plsctl sandbox faults, bad flags", () => {
  it.each([
    [["--kind", "418"], /--kind "418" is not one of 409, 429, 500, 503, drop, latency, lroFailed/],
    [["--kind", "429", "--status", "503"], /Give --kind or --status, not both/],
    [["--status", "200"], /--status "200" is not a whole number from 400 to 599/],
    [["--kind", "500", "--times", "0"], /--times "0" is not a whole number from 1/],
    [["--kind", "500", "--probability", "1.5"], /--probability "1.5" is not a number from 0 to 1/],
    [["--kind", "429", "--retry-after", "5"], /--retry-after "5" has no unit/],
    [["--kind", "latency", "--latency", "fast"], /--latency "fast" is not a duration/],
    [["--kind", "500", "--path", "(["], /--path "\(\[" is not a regular expression/],
    [["--api", "gcp", "--kind", "500"], /--api "gcp" is not one of arm, kube/],
    [
      ["--api", "kube", "--kind", "closeWatch", "--operation", "X"],
      /--operation does not apply to --api kube/,
    ],
    [
      ["--api", "kube", "--kind", "latency", "--after-events", "1"],
      /--after-events goes with --kind closeWatch/,
    ],
    [[], /Give --kind or --status/],
  ])("add %j → exit 2", async (args, message) => {
    const before = sb.arm.counters().total;
    const r = await faults("add", ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sb.arm.counters().total).toBe(before);
  });

  it("exits 3 when no sandbox runs in the state directory", async () => {
    const empty = mkdtempSync(join(tmpdir(), "plsctl-no-sandbox-"));
    try {
      const r = await runCli(["sandbox", "faults", "list", "--state-dir", empty]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/No sandbox is running/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
