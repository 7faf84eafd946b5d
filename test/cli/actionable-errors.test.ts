/**
 * Errors a user can act on, against a sandbox: a rejected PLSCTL_ACCESS_TOKEN (garbage, expired),
 * a missing resource group behind a paged SDK call, a cluster that does not exist, a bad --nat-ip,
 * and a --subscription that is not a GUID (refused before any I/O).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { coreApi, startTestSandbox, type TestSandbox } from "../sandbox/helpers/sandbox.js";
import { A, createService, INTERNAL } from "../sandbox/helpers/services.js";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
  const core = coreApi(sb);
  await createService(core, "web", INTERNAL);
  await createService(core, "lost", { ...INTERNAL, [`${A}azure-pls-resource-group`]: "rg-missing" });
});
afterAll(async () => sb?.close());

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwt = (claims: object) =>
  `${b64url({ typ: "JWT", alg: "RS256" })}.${b64url(claims)}.${Buffer.from("not-a-real-signature").toString("base64url")}`;

/** One error line and one hint line, no stack. */
function errorAndHint(stderr: string): [string, string] {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[1]).toMatch(/^ {2}\S/);
  return [lines[0] as string, lines[1] as string];
}

describe("a rejected PLSCTL_ACCESS_TOKEN", () => {
  it("says the token in PLSCTL_ACCESS_TOKEN is not valid, not 'az login'", async () => {
    const r = await runCli(["status", "web"], { env: { ...sandboxEnv(sb), PLSCTL_ACCESS_TOKEN: "garbage" } });
    expect(r.code).toBe(4);
    const [error, hint] = errorAndHint(r.stderr);
    expect(error).toMatch(
      /Azure rejected the token in PLSCTL_ACCESS_TOKEN: it is not a valid access token \(InvalidAuthenticationToken/,
    );
    expect(hint).toMatch(/fresh ARM token/);
    expect(hint).not.toMatch(/^ *Sign in with `az login`/);
  });

  it("says when it expired, also in the -o json error document", async () => {
    const expired = jwt({ exp: 1_600_000_000, tid: sb.world.identities[0]?.tenantId });
    const r = await runCli(["status", "web", "-o", "json"], {
      env: { ...sandboxEnv(sb), PLSCTL_ACCESS_TOKEN: expired },
    });
    expect(r.code).toBe(4);
    const [error] = errorAndHint(r.stderr);
    expect(error).toMatch(
      /token in PLSCTL_ACCESS_TOKEN: it expired at 2020-09-13T12:26:40\.000Z \(ExpiredAuthenticationToken/,
    );
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "ExpiredAuthenticationToken", exitCode: 4 });
  });
});

describe("not found", () => {
  it("names a missing resource group behind a paged list, exit 3 with a hint", async () => {
    const r = await runCli(["status", "lost"], { env: sandboxEnv(sb) });
    expect(r.code).toBe(3);
    const [error, hint] = errorAndHint(r.stderr);
    expect(error).toContain(
      `resource group rg-missing does not exist in subscription ${sb.cluster.subscriptionId} (ResourceGroupNotFound).`,
    );
    expect(error).not.toMatch(/Pagination failed|statusCode/);
    expect(hint).toMatch(/az group list/);
  });

  it("gives --cluster nope a hint", async () => {
    const r = await runCli(["status", "web", "--cluster", "nope", "--cluster-resource-group", "rg-aks"], {
      env: sandboxEnv(sb),
    });
    expect(r.code).toBe(3);
    const [error, hint] = errorAndHint(r.stderr);
    expect(error).toMatch(/AKS cluster nope/);
    expect(hint).toMatch(/az aks list --resource-group rg-aks/);
  });
});

describe("invalid input", () => {
  it("gives --nat-ip 300.1.1.1 a hint, pointing at expose's help", async () => {
    const r = await runCli(["expose", "web", "--nat-ip", "300.1.1.1"], { env: sandboxEnv(sb) });
    expect(r.code).toBe(2);
    const [error, hint] = errorAndHint(r.stderr);
    expect(error).toBe('error: --nat-ip "300.1.1.1" is not an IPv4 address.');
    expect(hint).toMatch(/0-255 .*See 'plsctl expose --help'\.$/);
  });

  it.each([
    ["expose", "web"],
    ["status", "web"],
    ["unexpose", "web"],
    ["sandbox", "status"],
  ])("refuses --subscription abc for %s %s before any I/O (exit 2)", async (...command) => {
    // Nothing listens on either endpoint: reaching one would fail differently.
    const env = {
      ...sandboxEnv(sb),
      KUBECONFIG: "/nonexistent/kubeconfig",
      PLSCTL_ARM_ENDPOINT: "https://127.0.0.1:9",
    };
    const r = await runCli([...command, "--subscription", "abc", "-o", "json"], { env });
    expect(r.code).toBe(2);
    const [error] = errorAndHint(r.stderr);
    expect(error).toBe('error: --subscription "abc" is not a subscription id.');
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "InvalidInput", exitCode: 2 });
  });

  it("keeps a valid subscription that differs from the cluster's a warning", async () => {
    const partnerSub = sb.world.subscriptions.find((s) => s.id !== sb.cluster.subscriptionId)?.id as string;
    const r = await runCli(["status", "web", "--subscription", partnerSub], { env: sandboxEnv(sb) });
    expect(r.stderr).toMatch(new RegExp(`warning: --subscription ${partnerSub} differs from the cluster's`));
    expect(r.code).toBe(3); // web has no Private Link Service: the command went on
  });
});
