/**
 * Bad input, one table over every command that exists today: malformed ids and aliases, non-GUID
 * subscriptions, names breaking Azure's rules, IPv6 for IPv4, counts out of range, durations
 * without a unit, invalid regexes, unreadable/empty/malformed kubeconfigs or one pointing at a closed
 * port, unknown namespaces/Services/contexts, policy files that are not YAML or break the schema,
 * expired and wrong-tenant tokens, an http:// ARM endpoint. Each row: the exit code from the
 * dictionary, a message with a hint line, no stack trace, no token in the output, and nothing
 * written — the sandbox's ARM write counters and the Service's resourceVersion unchanged.
 * Runs in-process against one shared sandbox, without sleeps.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { kubeWrites, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { fileLeaks, leaks, sandboxTokens } from "../helpers/token-scan.js";

const t = useSandbox();
const dir = tempDir("plsctl-bad-input-");
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
let plsId = "";
let closedPort = 0;
let tokens: string[] = [];
const SUB = DEFAULT_IDS.providerSubscriptionId;
const GOOD_ID = () => plsId;
const MISSING_ID = `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/privateLinkServices/pls-nowhere`;

/** A JWT-shaped token that expired an hour ago. */
function expiredToken(): string {
  const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) - 3600;
  return `${b({ typ: "JWT", alg: "RS256" })}.${b({ exp, tid: DEFAULT_IDS.providerTenantId })}.c2lnbmF0dXJlLW9mLWFuLWV4cGlyZWQtdG9rZW4`;
}

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
  await partnerEndpoint(t.sb, "pe-pending", plsId); // something approve/reject/remove could write to
  await t.sb.controller.idle();
  tokens = sandboxTokens(t.sb.stateDir, t.sb.kube.token);
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
});

type Env = Record<string, string | undefined>;
interface Row {
  argv: () => string[];
  env?: (base: Env) => Env;
  /** 2 invalid input, 3 not found, 4 not authorised; 1 (failed) only for the unreachable cluster. */
  code: 1 | 2 | 3 | 4;
  message: RegExp;
}

const kubeconfigAt = (server: string) =>
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`;

const long = "p".repeat(81);
const ROWS: Record<string, Row> = {
  // expose: names, addresses, counts, durations, subscriptions
  "expose: PLS name over 80 characters": {
    argv: () => ["expose", "web", "--pls-name", long],
    code: 2,
    message: /81 characters \(at most 80\)/,
  },
  "expose: PLS name with a bad character": {
    argv: () => ["expose", "web", "--pls-name", "pls web!"],
    code: 2,
    message: /--pls-name/,
  },
  "expose: PLS name with a bad first character": {
    argv: () => ["expose", "web", "--pls-name=_pls"],
    code: 2,
    message: /start with a letter or digit/,
  },
  "expose: PLS name with a bad last character": {
    argv: () => ["expose", "web", "--pls-name", "pls-"],
    code: 2,
    message: /--pls-name/,
  },
  "expose: IPv6 NAT IP": {
    argv: () => ["expose", "web", "--nat-ip", "fd00::4"],
    code: 2,
    message: /--nat-ip/,
  },
  "expose: NAT IP out of range": {
    argv: () => ["expose", "web", "--nat-ip", "300.1.1.1"],
    code: 2,
    message: /--nat-ip/,
  },
  "expose: --nat-ip-count 0": {
    argv: () => ["expose", "web", "--nat-ip-count", "0"],
    code: 2,
    message: /--nat-ip-count/,
  },
  "expose: --nat-ip-count 9": {
    argv: () => ["expose", "web", "--nat-ip-count", "9"],
    code: 2,
    message: /--nat-ip-count/,
  },
  "expose: --nat-ip-count x": {
    argv: () => ["expose", "web", "--nat-ip-count", "x"],
    code: 2,
    message: /--nat-ip-count/,
  },
  "expose: --timeout without a unit": {
    argv: () => ["expose", "web", "--timeout", "10"],
    code: 2,
    message: /--timeout "10" has no unit/,
  },
  "expose: --visibility not a GUID": {
    argv: () => ["expose", "web", "--visibility", "contoso"],
    code: 2,
    message: /--visibility/,
  },
  "expose: --auto-approve not a GUID": {
    argv: () => ["expose", "web", "--auto-approve", "123"],
    code: 2,
    message: /--auto-approve/,
  },
  "expose: --subscription not a GUID": {
    argv: () => ["expose", "web", "--subscription", "abc"],
    code: 2,
    message: /subscription/i,
  },
  "expose: bad subnet name": {
    argv: () => ["expose", "web", "--nat-subnet", "-subnet"],
    code: 2,
    message: /--nat-subnet/,
  },
  "expose: unknown Service": { argv: () => ["expose", "nosuch"], code: 3, message: /nosuch/ },
  "expose: unknown namespace": {
    argv: () => ["expose", "web", "-n", "nosuchns"],
    code: 3,
    message: /nosuchns/,
  },
  "expose: unknown context": {
    argv: () => ["expose", "web", "--context", "nosuchctx"],
    code: 2,
    message: /nosuchctx/,
  },
  "expose: unreadable kubeconfig": {
    argv: () => ["expose", "web", "--kubeconfig", join(dir, "missing.yaml")],
    code: 2,
    message: /missing\.yaml/,
  },
  "expose: empty kubeconfig": {
    argv: () => ["expose", "web", "--kubeconfig", file("empty.yaml", "")],
    code: 2,
    message: /empty\.yaml/,
  },
  "expose: malformed kubeconfig": {
    argv: () => ["expose", "web", "--kubeconfig", file("bad.yaml", "clusters: [oops\n")],
    code: 2,
    message: /bad\.yaml/,
  },
  // status, unexpose
  "status: unknown Service": { argv: () => ["status", "nosuch"], code: 3, message: /nosuch/ },
  "status: unknown namespace": {
    argv: () => ["status", "web", "-n", "nosuchns"],
    code: 3,
    message: /nosuchns/,
  },
  "status: --subscription not a GUID": {
    argv: () => ["status", "web", "--subscription", "abc"],
    code: 2,
    message: /subscription/i,
  },
  "status: expired token": {
    argv: () => ["status", "web"],
    env: (e) => ({ ...e, PLSCTL_ACCESS_TOKEN: expiredToken() }),
    code: 4,
    message: /expired|ExpiredAuthenticationToken/,
  },
  "status: token of another tenant": {
    argv: () => ["status", "web"],
    env: (e) => ({ ...e, PLSCTL_ACCESS_TOKEN: t.sb.arm.tokens.partner }),
    code: 4,
    message: /InvalidAuthenticationTokenTenant/,
  },
  "status: http:// ARM endpoint": {
    argv: () => ["status", "web"],
    env: (e) => ({ ...e, PLSCTL_ARM_ENDPOINT: t.sb.arm.url.replace("https:", "http:") }),
    code: 2,
    message: /must use https/,
  },
  "unexpose: unknown Service": { argv: () => ["unexpose", "nosuch"], code: 3, message: /nosuch/ },
  "unexpose: unknown namespace": {
    argv: () => ["unexpose", "web", "-n", "nosuchns"],
    code: 3,
    message: /nosuchns/,
  },
  "unexpose: http:// ARM endpoint": {
    argv: () => ["unexpose", "web"],
    env: (e) => ({ ...e, PLSCTL_ARM_ENDPOINT: "http://127.0.0.1:1" }),
    code: 2,
    message: /must use https/,
  },
  // approve, reject, remove, connections: --pls, selections, counts
  "approve: --pls neither id nor alias": {
    argv: () => ["approve", "--pls", "pls-web", "--all-pending"],
    code: 2,
    message: /--pls/,
  },
  "approve: --pls id with a non-GUID subscription": {
    argv: () => [
      "approve",
      "--pls",
      "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p",
      "--all-pending",
    ],
    code: 2,
    message: /--pls|subscription/,
  },
  "approve: --pls id of another resource type": {
    argv: () => [
      "approve",
      "--pls",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`,
      "--all-pending",
    ],
    code: 2,
    message: /--pls/,
  },
  "approve: --pls id with an invalid PLS name": {
    argv: () => [
      "approve",
      "--pls",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls-`,
      "--all-pending",
    ],
    code: 2,
    message: /not a valid Private Link Service name/,
  },
  "approve: malformed alias": {
    argv: () => ["approve", "--pls", "pls-web.nope.westeurope.azure.privatelinkservice", "--all-pending"],
    code: 2,
    message: /alias|--pls/,
  },
  "approve: unknown PLS": {
    argv: () => ["approve", "--pls", MISSING_ID, "--all-pending"],
    code: 3,
    message: /pls-nowhere/,
  },
  "approve: invalid --message-match regex": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--message-match", "(["],
    code: 2,
    message: /--message-match/,
  },
  "approve: --from-subscription not a GUID": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--from-subscription", "fabrikam"],
    code: 2,
    message: /--from-subscription/,
  },
  "approve: --concurrency 0": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending", "--concurrency", "0"],
    code: 2,
    message: /--concurrency/,
  },
  "approve: --concurrency x": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending", "--concurrency", "x"],
    code: 2,
    message: /--concurrency/,
  },
  "approve: --interval without a unit": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending", "--watch", "--interval", "30"],
    code: 2,
    message: /--interval "30" has no unit/,
  },
  "approve: policy file missing": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--policy", join(dir, "nope.yaml")],
    code: 3, // a file that is not there: not found, like a Service
    message: /nope\.yaml: no such file/,
  },
  "approve: policy file not YAML": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--policy", file("notyaml.yaml", "partners: [a\n  b: {")],
    code: 2,
    message: /notyaml\.yaml/,
  },
  "approve: policy file breaking the schema": {
    argv: () => [
      "approve",
      "--pls",
      GOOD_ID(),
      "--policy",
      file("schema.yaml", "partners:\n  - name: x\n    subscriptions: [not-a-guid]\n"),
    ],
    code: 2,
    message: /schema\.yaml|subscription/,
  },
  "approve: as the partner (another tenant)": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending"],
    env: (e) => ({ ...e, PLSCTL_ACCESS_TOKEN: t.sb.arm.tokens.partner }),
    code: 4,
    message: /InvalidAuthenticationTokenTenant/,
  },
  "approve: http:// ARM endpoint": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending"],
    env: (e) => ({ ...e, PLSCTL_ARM_ENDPOINT: t.sb.arm.url.replace("https:", "http:") }),
    code: 2,
    message: /must use https/,
  },
  "reject: invalid --message-match regex": {
    argv: () => ["reject", "--pls", GOOD_ID(), "--message-match", "a)"],
    code: 2,
    message: /--message-match/,
  },
  "reject: --pls malformed": {
    argv: () => ["reject", "--pls", "/subscriptions/", "--all-pending"],
    code: 2,
    message: /--pls/,
  },
  "remove: --from-subscription not a GUID": {
    argv: () => ["remove", "--pls", GOOD_ID(), "--from-subscription", "x"],
    code: 2,
    message: /--from-subscription/,
  },
  "remove: expired token": {
    argv: () => ["remove", "--pls", GOOD_ID(), "--all-pending"],
    env: (e) => ({ ...e, PLSCTL_ACCESS_TOKEN: expiredToken() }),
    code: 4,
    message: /expired|ExpiredAuthenticationToken/,
  },
  "connections: --pls malformed": {
    argv: () => ["connections", "--pls", "not/an/id"],
    code: 2,
    message: /--pls/,
  },
  "connections: unknown --state": {
    argv: () => ["connections", "--pls", GOOD_ID(), "--state", "Waiting"],
    code: 2,
    message: /--state/,
  },
  "connections: --subscription not a GUID": {
    argv: () => ["connections", "--all", "--subscription", "abc"],
    code: 2,
    message: /subscription/i,
  },
  // policy, completion, sandbox
  "policy check: not YAML": {
    argv: () => ["policy", "check", file("p1.yaml", "partners: [a\n  b: {")],
    code: 2,
    message: /p1\.yaml/,
  },
  "policy check: breaks the schema": {
    argv: () => ["policy", "check", file("p2.yaml", "partners: 42\n")],
    code: 2,
    message: /p2\.yaml|partners/,
  },
  "policy check: missing file": {
    argv: () => ["policy", "check", join(dir, "absent.yaml")],
    code: 3,
    message: /absent\.yaml: no such file/,
  },
  "completion: unknown shell": { argv: () => ["completion", "tcsh"], code: 2, message: /tcsh/ },
  "sandbox up: port out of range": {
    argv: () => ["sandbox", "up", "--arm-port", "70000", "--state-dir", join(dir, "sb-up")],
    code: 2,
    message: /--arm-port/,
  },
  "sandbox up: delay without a unit": {
    argv: () => ["sandbox", "up", "--lro-delay", "5", "--state-dir", join(dir, "sb-up")],
    code: 2,
    message: /--lro-delay "5" has no unit/,
  },
  "sandbox up: a non-loopback --host": {
    argv: () => ["sandbox", "up", "--host", "0.0.0.0", "--state-dir", join(dir, "sb-up")],
    code: 2,
    message: /loopback only/,
  },
  "sandbox reset: malformed world file": {
    argv: () => [
      "sandbox",
      "reset",
      "--world",
      file("world.yaml", "tenants: [x\n"),
      "--state-dir",
      join(dir, "sb-reset"),
    ],
    code: 2,
    message: /world\.yaml/,
  },
  "sandbox env: no sandbox running there": {
    argv: () => ["sandbox", "env", "--state-dir", join(dir, "sb-none")],
    code: 3,
    message: /No sandbox is running/,
  },
  "sandbox faults: unknown kind": {
    argv: () => ["sandbox", "faults", "add", "--kind", "teapot", "--state-dir", join(dir, "sb-none")],
    code: 2,
    message: /--kind "teapot"/,
  },
};

// The kubeconfig rows that need the closed port (allocated in beforeAll).
const LATE: Record<string, Row> = {
  "expose: kubeconfig at a closed port": {
    argv: () => [
      "expose",
      "web",
      "--kubeconfig",
      file("closed.yaml", kubeconfigAt(`https://127.0.0.1:${closedPort}`)),
    ],
    code: 1, // the dictionary's "Kubernetes or network error": the input is well-formed
    message: /refused|127\.0\.0\.1/,
  },
};

/** Writes ARM was asked to do, any identity (reads and polls apart). */
function armWriteTotal(): number {
  const c = t.sb.arm.counters();
  return Object.entries(c.byOperation)
    .filter(([op]) => c.operations[op]?.kind === "write")
    .reduce((n, [, v]) => n + v, 0);
}

async function serviceVersion(): Promise<string | undefined> {
  return (await t.core.readNamespacedService({ name: "web", namespace: "default" })).metadata
    ?.resourceVersion;
}

describe("bad input: exit code, one message with a hint, no stack, nothing written", () => {
  it.each(Object.entries({ ...ROWS, ...LATE }))("%s", async (_name, row) => {
    const base: Env = sandboxEnv(t.sb);
    const env = row.env ? row.env(base) : base;
    const writes = armWriteTotal();
    const kube = kubeWrites(t.sb);
    const rv = await serviceVersion();
    const r = await runCli(row.argv(), { env });
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: row.code });
    expect(r.stderr).toMatch(row.message);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "");
    // The hint: a line of its own, or — commander's usage errors — the allowed values and the
    // "See 'plsctl … --help'." pointer on the message's line.
    const pointer = /Allowed choices are .*See 'plsctl [a-z ]+--help'\.$/.test(r.stderr.trim());
    expect(lines.length >= 2 || pointer, `a message and a hint:\n${r.stderr}`).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(leaks(r.stdout + r.stderr, tokens)).toEqual([]);
    expect(armWriteTotal()).toBe(writes);
    expect(kubeWrites(t.sb)).toBe(kube);
    expect(await serviceVersion()).toBe(rv);
  });

  it("left no token in any file it or the sandbox wrote", () => {
    expect(fileLeaks(dir, tokens)).toEqual([]);
    expect(fileLeaks(t.sb.stateDir, tokens)).toEqual([]);
  });
});
