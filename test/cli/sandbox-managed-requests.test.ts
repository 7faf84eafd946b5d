/**
 * Requesters that are not partner subscriptions: `plsctl sandbox request` makes Front Door, Fabric
 * and Data Factory connection requests on a running sandbox, and `approve --policy --enforce` with
 * entries of those kinds approves each by what it carries and rejects the rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { REQUESTER_KINDS_POLICY } from "../helpers/decide-fixtures.js";
import { runCli } from "../helpers/run-cli.js";
import { deploySampleApp, envAs as envAsIn } from "../helpers/sandbox-cli.js";

let sb: Sandbox;
let dir: string;
let plsId = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-managed-"));
  sb = await startSandbox({ stateDir: dir });
  const provider = await envAsIn(dir, "provider");
  await deploySampleApp(provider.KUBECONFIG ?? "");
  const exposed = await runCli(["expose", "sample-app", "--pls-name", "pls-app", "-o", "json"], {
    env: provider,
  });
  expect(exposed.code, exposed.stderr).toBe(0);
  plsId = JSON.parse(exposed.stdout).id as string;
}, 60_000);
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (...args: string[]) =>
  runCli(["sandbox", "request", "--state-dir", dir, "--pls", plsId, ...args, "-o", "json"]);

describe("sandbox request", () => {
  it("makes each kind's Pending connection as Azure shows it", async () => {
    const afd = await request(
      "--kind",
      "frontdoor",
      "--message",
      "contoso-edge origin app",
      "--name",
      "afd-1",
    );
    expect(afd.code, afd.stderr).toBe(0);
    expect(JSON.parse(afd.stdout)).toMatchObject({
      kind: "frontdoor",
      status: "Pending",
      description: "contoso-edge origin app",
      privateEndpointId: expect.stringMatching(
        /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/afd-1$/,
      ),
    });
    expect((await request("--kind", "fabric", "--message", "fabric ws-42", "--name", "fab-1")).code).toBe(0);
    const adf = await request("--kind", "datafactory", "--factory", "adf-contoso-prod", "--name", "orders");
    expect(JSON.parse(adf.stdout)).toMatchObject({
      description: "",
      name: expect.stringMatching(/^adf-contoso-prod\.orders\./),
    });
    expect((await request("--kind", "datafactory", "--factory", "adf-other", "--name", "x")).code).toBe(0);
    expect((await request("--kind", "frontdoor", "--message", "someone else", "--name", "afd-2")).code).toBe(
      0,
    );
  });

  it("bad input: a kind without its field is exit 2; an unknown PLS exit 3", async () => {
    const noMessage = await request("--kind", "fabric");
    expect([noMessage.code, noMessage.stderr]).toEqual([
      2,
      expect.stringMatching(/message is required for fabric/),
    ]);
    const adfMessage = await request("--kind", "datafactory", "--factory", "adf-a", "--message", "hi");
    expect(adfMessage.code).toBe(2);
    const gone = await runCli([
      "sandbox",
      "request",
      "--state-dir",
      dir,
      "--kind",
      "frontdoor",
      "--message",
      "m",
      "--pls",
      plsId.replace("pls-app", "pls-nope"),
    ]);
    expect(gone.code).toBe(3);
  });

  it("approve --policy --enforce: each kind's entry approves what it carries; the rest is rejected", async () => {
    const file = join(dir, "partners.yaml");
    writeFileSync(file, REQUESTER_KINDS_POLICY);
    const r = await runCli(["approve", "--pls", plsId, "--policy", file, "--enforce", "-o", "json"], {
      env: await envAsIn(dir, "ci"),
    });
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout).results.map(
      (d: { name: string; action: string; rule: string | null }) => [
        d.name.split(".").slice(0, -1).join("."),
        d.action,
        d.rule,
      ],
    );
    expect(got.sort()).toEqual(
      [
        ["adf-contoso-prod.orders", "approve", "pipelines"],
        ["adf-other.x", "reject", null],
        ["afd-1", "approve", "edge"],
        ["afd-2", "reject", null],
        ["fab-1", "approve", "lake"],
      ].sort(),
    );
    // Approved under the entry's marker, so the next --enforce pass keeps them.
    const again = await runCli(["approve", "--pls", plsId, "--policy", file, "--enforce", "-o", "json"], {
      env: await envAsIn(dir, "ci"),
    });
    expect(JSON.parse(again.stdout).summary).toMatchObject({ approved: 0, rejected: 0 });
  });
});
