/**
 * `plsctl sandbox requests` in-process against a sandbox running in this process: the request
 * counters by identity and operation (table and JSON), reads vs writes, unrouted requests, --reset,
 * and exit 3 when no sandbox runs in the state directory.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestsResult } from "../../src/domain/results.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { runCli } from "../helpers/run-cli.js";

let sb: Sandbox;
let dir: string;
const dirs: string[] = [];
const SUB = DEFAULT_IDS.providerSubscriptionId;
const RG = `/subscriptions/${SUB}/resourceGroups/rg-aks`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-requests-"));
  dirs.push(dir);
  sb = await startSandbox({ stateDir: dir });
});
afterAll(async () => {
  await sb.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One ARM request as `identity`, with the sandbox's CA: the status code. */
function arm(method: string, path: string, identity: string, body?: unknown): Promise<number> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${sb.arm.url}${path}`,
      {
        method,
        ca: sb.arm.caCertPem,
        headers: {
          authorization: `Bearer ${sb.arm.tokens[identity]}`,
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const requests = async (...flags: string[]) => {
  const r = await runCli(["sandbox", "requests", "--state-dir", dir, ...flags]);
  return {
    ...r,
    json: flags.includes("json") && r.code === 0 ? (JSON.parse(r.stdout) as RequestsResult) : undefined,
  };
};

describe("plsctl sandbox requests", () => {
  it("counts reads and writes by identity and operation, with method and route, and lists unrouted requests", async () => {
    await sb.controller.idle();
    expect((await requests("--reset", "-o", "json")).code).toBe(0);
    expect(
      await arm(
        "GET",
        `${RG}/providers/Microsoft.Network/virtualNetworks/aks-vnet?api-version=2024-05-01`,
        "ci",
      ),
    ).toBe(200);
    expect(
      await arm(
        "PUT",
        `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg1?api-version=2024-05-01`,
        "provider",
        {
          location: "westeurope",
          properties: {},
        },
      ),
    ).toBe(201);
    expect(
      await arm("GET", `${RG}/providers/Microsoft.Network/frobnicators/x?api-version=2024-05-01`, "provider"),
    ).toBe(404);

    const { code, json } = await requests("-o", "json");
    expect(code).toBe(0);
    expect(json).toMatchObject({ stateDir: dir, arm: sb.arm.url, writes: 1, unrouted: 1, reset: false });
    expect(json?.byIdentity.ci).toEqual({ total: 1, reads: 1, writes: 0 });
    expect(json?.byIdentity.provider).toEqual({ total: 2, reads: 0, writes: 1 });
    expect(json?.requests).toContainEqual({
      identity: "provider",
      operation: "NetworkSecurityGroups_CreateOrUpdate",
      method: "PUT",
      route:
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}",
      kind: "write",
      count: 1,
    });
    expect(json?.requests).toContainEqual(
      expect.objectContaining({
        identity: "ci",
        operation: "VirtualNetworks_Get",
        method: "GET",
        kind: "read",
        count: 1,
      }),
    );
    expect(json?.unroutedRequests).toEqual([`GET ${RG}/providers/Microsoft.Network/frobnicators/x`]);
    expect(json?.total).toBe(
      (json?.reads ?? 0) + (json?.writes ?? 0) + (json?.unrouted ?? 0) + (json?.unauthenticated ?? 0),
    );

    const table = await requests();
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^IDENTITY +KIND +OPERATION +REQUEST +COUNT\n/);
    expect(table.stdout).toMatch(
      /provider +write +NetworkSecurityGroups_CreateOrUpdate +PUT \/subscriptions\/\{sub\}\/resourceGroups\/\{rg\}\/providers\/Microsoft\.Network\/networkSecurityGroups\/\{name\} +1\n/,
    );
    expect(table.stdout).toMatch(
      /\nReads: \d+ {3}Writes: 1 {3}Total: \d+\nUnrouted: 1\n {2}GET .*frobnicators\/x\n$/,
    );
  });

  it("--reset clears the counters after reading them, so a re-run that only reads shows 0 writes", async () => {
    await arm(
      "PUT",
      `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg2?api-version=2024-05-01`,
      "provider",
      {
        location: "westeurope",
        properties: {},
      },
    );
    const before = await requests("--reset", "-o", "json");
    expect(before.json?.writes).toBeGreaterThanOrEqual(1);
    expect(before.json?.reset).toBe(true);
    await arm(
      "GET",
      `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg2?api-version=2024-05-01`,
      "ci",
    );
    const after = await requests("-o", "json");
    expect(after.json?.writes).toBe(0);
    expect(after.json?.byIdentity.ci?.reads).toBe(1);
    expect(after.json?.byIdentity.provider).toBeUndefined();
  });

  it("exits 3 with what to run when no sandbox runs in the state directory", async () => {
    const none = mkdtempSync(join(tmpdir(), "plsctl-sandbox-requests-none-"));
    dirs.push(none);
    const r = await runCli(["sandbox", "requests", "--state-dir", none]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`No sandbox is running in ${none}.`);
    expect(r.stderr).toContain(`plsctl sandbox up --state-dir ${none}`);
    const json = await runCli(["sandbox", "requests", "--state-dir", none, "-o", "json"]);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: "SandboxNotRunning", exitCode: 3 });
  });
});

describe("the state directory travels with sandbox env (PLSCTL_SANDBOX_DIR)", () => {
  it("exports it, and faults and requests in that shell find the sandbox without --state-dir", async () => {
    const env = await runCli(["sandbox", "env", "--state-dir", dir]);
    expect(env.code, env.stderr).toBe(0);
    // What the user's shell gets from eval "$(plsctl sandbox env --state-dir D)".
    const exported = execFileSync(
      "sh",
      ["-c", 'eval "$1"; printf %s "$PLSCTL_SANDBOX_DIR"', "_", env.stdout],
      {
        env: { PATH: process.env.PATH ?? "" },
      },
    ).toString();
    expect(exported).toBe(dir);
    const shell = { PLSCTL_SANDBOX_DIR: exported };
    const faults = await runCli(["sandbox", "faults", "list", "-o", "json"], { env: shell });
    expect(faults.code, faults.stderr).toBe(0);
    const counted = await runCli(["sandbox", "requests", "-o", "json"], { env: shell });
    expect(counted.code, counted.stderr).toBe(0);
    expect(JSON.parse(counted.stdout).stateDir).toBe(dir);
    const status = await runCli(["sandbox", "status", "-o", "json"], { env: shell });
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, stateDir: dir });
  });

  it("exports an absolute path for a relative --state-dir", async () => {
    const rel = relative(process.cwd(), dir);
    const env = await runCli(["sandbox", "env", "--state-dir", rel, "-o", "json"]);
    expect(env.code, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout).env.PLSCTL_SANDBOX_DIR).toBe(dir);
  });

  it("in the default directory with no sandbox, the hint names --state-dir and PLSCTL_SANDBOX_DIR", async () => {
    const r = await runCli(["sandbox", "faults", "list"], { env: { HOME: dir } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`No sandbox is running in ${join(dir, ".cache", "plsctl", "sandbox")}.`);
    expect(r.stderr).toMatch(
      /plsctl sandbox up\. If yours runs from another state directory, pass --state-dir <dir>/,
    );
    expect(r.stderr).toContain(
      `eval "$(plsctl sandbox env --state-dir <dir>)", which exports PLSCTL_SANDBOX_DIR`,
    );
  });
});
