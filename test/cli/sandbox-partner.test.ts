import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { CURL, curl, NO_CURL } from "../helpers/curl.js";
import { runCli } from "../helpers/run-cli.js";
import { deploySampleApp, envAs as envAsIn } from "../helpers/sandbox-cli.js";
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

const envAs = (identity: string) => envAsIn(dir, identity);

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

describe("the walkthrough, through the partner network", () => {
  it("reaches the sample app once the provider approves the partner's endpoint", async (ctx) => {
    ctx.skip(CURL === undefined, NO_CURL);
    const provider = await envAs("provider");
    await deploySampleApp(provider.KUBECONFIG ?? "");
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
