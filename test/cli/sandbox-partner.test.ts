/**
 * The partner network as `startSandbox` runs it, and as the CLI hands it out: `sandbox env --as
 * partner` exports PLSCTL_SANDBOX_PROXY (with the partner's VNet as the user part; never
 * HTTPS_PROXY/ALL_PROXY), `sandbox status` shows it, and the README's walkthrough — sample app,
 * `plsctl expose`, the partner's endpoint, `plsctl approve` — ends with curl through that proxy.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, type V1Pod, type V1Service } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/run-cli.js";
import { partnerEndpoint } from "../helpers/sandbox-sdk.js";
import type { TestSandbox } from "../sandbox/helpers/sandbox.js";

let sb: Sandbox;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-partner-"));
  sb = await startSandbox({ stateDir: dir });
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function envAs(identity: string): Promise<Record<string, string>> {
  const r = await runCli(["sandbox", "env", "--as", identity, "--state-dir", dir, "-o", "json"]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).env;
}

describe("sandbox env and status", () => {
  it("exports the proxy with the partner's VNet as user, under a plsctl variable only", async () => {
    const partner = await envAs("partner");
    expect(sb.runtime.proxy?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(partner.PLSCTL_SANDBOX_PROXY).toBe(sb.runtime.proxy?.url.replace("http://", "http://spoke01@"));
    for (const k of ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"])
      expect(partner[k]).toBeUndefined();
    // The provider has no VNet of its own but the cluster's: the bare proxy.
    expect((await envAs("provider")).PLSCTL_SANDBOX_PROXY).toBe(sb.runtime.proxy?.url);
    const shell = await runCli(["sandbox", "env", "--as", "partner", "--state-dir", dir]);
    expect(shell.stdout).toMatch(/^export PLSCTL_SANDBOX_PROXY='http:\/\/spoke01@127\.0\.0\.1:\d+'$/m);
  });

  it("shows the proxy in sandbox status (table and JSON)", async () => {
    const json = await runCli(["sandbox", "status", "--state-dir", dir, "-o", "json"]);
    expect(JSON.parse(json.stdout).proxy).toBe(sb.runtime.proxy?.url);
    const table = await runCli(["sandbox", "status", "--state-dir", dir]);
    expect(table.stdout).toMatch(/Partner network proxy: +http:\/\/127\.0\.0\.1:\d+/);
  });
});

const CURL = (() => {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return "curl";
  } catch {
    return undefined;
  }
})();

function curl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      CURL ?? "curl",
      ["-sS", "-i", "--max-time", "20", ...args],
      { env: { PATH: process.env.PATH ?? "" } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the walkthrough, through the partner network", () => {
  it("reaches the sample app once the provider approves the partner's endpoint", async (ctx) => {
    ctx.skip(CURL === undefined, "curl is not installed (not on PATH)");
    const provider = await envAs("provider");
    const kc = new KubeConfig();
    kc.loadFromFile(provider.KUBECONFIG ?? "");
    const core = kc.makeApiClient(CoreV1Api);
    const docs = parseAllDocuments(readFileSync("examples/sample-app.yaml", "utf8")).map((d) => d.toJS());
    await core.createNamespacedPod({
      namespace: "default",
      body: docs.find((d) => d?.kind === "Pod") as V1Pod,
    });
    await core.createNamespacedService({
      namespace: "default",
      body: docs.find((d) => d?.kind === "Service") as V1Service,
    });
    const partnerSub = (await envAs("partner")).AZURE_SUBSCRIPTION_ID ?? "";
    const exposed = await runCli(
      ["expose", "sample-app", "--pls-name", "pls-app", "--visibility", partnerSub, "-o", "json"],
      { env: provider },
    );
    expect(exposed.code).toBe(0);
    const plsId = JSON.parse(exposed.stdout).id as string;
    await partnerEndpoint(sb as unknown as TestSandbox, "pe-app", plsId);
    const proxy = (await envAs("partner")).PLSCTL_SANDBOX_PROXY ?? "";
    const ip = Object.values(sb.arm.state().resources)
      .filter((r) => r.type === "Microsoft.Network/networkInterfaces" && r.name.startsWith("pe-app."))
      .map(
        (r) =>
          (r.properties.ipConfigurations as Array<{ properties: { privateIPAddress: string } }>)[0]
            ?.properties.privateIPAddress,
      )[0];
    expect(ip).toMatch(/^10\.0\.0\.\d+$/);

    const before = await curl("--proxy", proxy, `http://${ip}/`);
    expect(before.stdout).toMatch(/^HTTP\/1\.1 502 Bad Gateway/);
    expect(before.stdout).toMatch(/connection is Pending/);

    const approved = await runCli(
      ["approve", "sample-app", "--from-subscription", partnerSub, "--all-pending"],
      {
        env: provider,
      },
    );
    expect(approved.code).toBe(0);
    const after = await curl("--proxy", proxy, `http://${ip}/`);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(after.stdout).toMatch(/^X-Sandbox-Pod: pls-app\r?$/im);
    expect(after.stdout).toContain("Welcome to Azure Kubernetes Service (AKS)");
  });
});
