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
import { kubeWrites, networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
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
const PARTNER_SUB = DEFAULT_IDS.partnerSubscriptionId;
const GOOD_ID = () => plsId;
const PE_SUBNET = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-app`;
const asPartner = () => sandboxEnv(t.sb, "partner");
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
  /**
   * Why this row's one write request is unavoidable and refused: ARM answers it with an error and
   * creates nothing (the partner's private endpoints are compared before and after instead).
   */
  refusedWrite?: string;
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
  "approve: --description too long to fit beside the audit marker": {
    argv: () => ["approve", "--pls", GOOD_ID(), "--all-pending", "--description", "d".repeat(65)],
    code: 2,
    message: /--description is 65 characters; at most 64/,
  },
  "approve: PLSCTL_POLICY_REVISION not a revision": {
    argv: () => [
      "approve",
      "--pls",
      GOOD_ID(),
      "--policy",
      file("rev.yaml", "partners:\n  - name: a\n    subscriptions: [9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d]\n"),
    ],
    env: (e) => ({ ...e, PLSCTL_POLICY_REVISION: "main; rm -rf" }),
    code: 2,
    message: /PLSCTL_POLICY_REVISION/,
  },
  "remove: --description (a removal writes none)": {
    argv: () => ["remove", "--pls", GOOD_ID(), "pe-1", "--description", "gone"],
    code: 2,
    message: /--description/,
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
  // connect, disconnect (the partner): targets, names, subnets, DNS, messages, subscriptions
  "connect: malformed alias": {
    argv: () => ["connect", "--pls", "pls-web.nope.westeurope.azure.privatelinkservice", ...PE_SUBNET],
    env: asPartner,
    code: 2,
    message: /--pls|alias/,
  },
  "connect: --pls id with a non-GUID subscription": {
    argv: () => [
      "connect",
      "--pls",
      "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p",
      ...PE_SUBNET,
    ],
    env: asPartner,
    code: 2,
    message: /--pls|subscription/,
  },
  "connect: --pls id of another resource type": {
    argv: () => [
      "connect",
      "--pls",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`,
      ...PE_SUBNET,
    ],
    env: asPartner,
    code: 2,
    message: /--pls/,
  },
  "connect: unknown --group-id": {
    argv: () => ["connect", "--pls", VAULT_ID, "--group-id", "teapot", ...PE_SUBNET],
    env: asPartner,
    code: 2,
    message: /--group-id "teapot"/,
  },
  "connect: --group-id with a Private Link Service": {
    argv: () => ["connect", "--pls", GOOD_ID(), "--group-id", "vault", ...PE_SUBNET],
    env: asPartner,
    code: 2,
    message: /no group ids/,
  },
  "connect: --group-id of another resource type": {
    argv: () => ["connect", "--pls", VAULT_ID, "--group-id", "blob", ...PE_SUBNET],
    env: asPartner,
    code: 2,
    message: /Microsoft\.Storage\/storageAccounts/,
  },
  "connect: request message over 140 characters": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--request-message", "m".repeat(141)],
    env: asPartner,
    code: 2,
    message: /141 characters long; Azure keeps at most 140/,
  },
  "connect: --subnet-id not a subnet's id": {
    argv: () => [
      "connect",
      "--pls",
      GOOD_ID(),
      "-g",
      "rg-partner",
      "--subnet-id",
      `/subscriptions/${PARTNER_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01`,
    ],
    env: asPartner,
    code: 2,
    message: /--subnet-id .* is not a subnet's resource id/,
  },
  "connect: --subnet-id with --vnet": {
    argv: () => [
      "connect",
      "--pls",
      GOOD_ID(),
      "-g",
      "rg-partner",
      "--vnet",
      "spoke01",
      "--subnet-id",
      `/subscriptions/${PARTNER_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`,
    ],
    env: asPartner,
    code: 2,
    message: /--subnet-id/,
  },
  "connect: no subnet": {
    argv: () => ["connect", "--pls", GOOD_ID(), "-g", "rg-partner"],
    env: asPartner,
    code: 2,
    message: /Which subnet/,
  },
  "connect: subnet that does not exist": {
    argv: () => ["connect", "--pls", GOOD_ID(), "-g", "rg-partner", "--vnet", "spoke01", "--subnet", "nope"],
    env: asPartner,
    code: 3,
    message: /nope/,
  },
  "connect: endpoint name over 64 characters": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--name", "p".repeat(65)],
    env: asPartner,
    code: 2,
    message: /not a valid private endpoint name/,
  },
  "connect: endpoint name of one character": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--name", "p"],
    env: asPartner,
    code: 2,
    message: /not a valid private endpoint name/,
  },
  "connect: endpoint name ending in '-'": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--name", "pe-web-"],
    env: asPartner,
    code: 2,
    message: /not a valid private endpoint name/,
  },
  "connect: endpoint name with a bad character": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--name", "pe web"],
    env: asPartner,
    code: 2,
    message: /not a valid private endpoint name/,
  },
  "connect: --dns-zone without a dot": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--dns-zone", "internal", "--dns-name", "app"],
    env: asPartner,
    code: 2,
    message: /--dns-zone "internal" is not a DNS zone name/,
  },
  "connect: --dns-name with a bad label": {
    argv: () => [
      "connect",
      "--pls",
      GOOD_ID(),
      ...PE_SUBNET,
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "-app",
    ],
    env: asPartner,
    code: 2,
    message: /--dns-name "-app"/,
  },
  "connect: --dns-name without --dns-zone": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--dns-name", "app"],
    env: asPartner,
    code: 2,
    message: /go together/,
  },
  "connect: --overwrite-dns alone": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--overwrite-dns"],
    env: asPartner,
    code: 2,
    message: /--overwrite-dns/,
  },
  "connect: --subscription not a GUID": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--subscription", "fabrikam"],
    env: asPartner,
    code: 2,
    message: /subscription/i,
  },
  "connect: --timeout without a unit": {
    argv: () => ["connect", "--pls", GOOD_ID(), ...PE_SUBNET, "--wait-approved", "--timeout", "30"],
    env: asPartner,
    code: 2,
    message: /--timeout "30" has no unit/,
  },
  "connect: a PLS that does not exist": {
    argv: () => ["connect", "--pls", MISSING_ID, ...PE_SUBNET],
    env: asPartner,
    code: 3,
    message: /pls-nowhere/,
    refusedWrite:
      "the partner cannot read a PLS of another tenant: only the endpoint PUT tells, and ARM refuses it " +
      "(ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible)",
  },
  "disconnect: --subscription not a GUID": {
    argv: () => ["disconnect", "--name", "pe-web", "-g", "rg-partner", "--subscription", "x"],
    env: asPartner,
    code: 2,
    message: /subscription/i,
  },
  "disconnect: endpoint name breaking Azure's rule": {
    argv: () => ["disconnect", "--name", "pe web!", "-g", "rg-partner"],
    env: asPartner,
    code: 2,
    message: /--name/,
  },
  "disconnect: resource group that does not exist": {
    argv: () => ["disconnect", "--name", "pe-web", "-g", "rg-nowhere"],
    env: asPartner,
    code: 3,
    message: /rg-nowhere/,
  },
  // netpol, doctor (the cluster operator)
  "netpol: --allow-cidr not a CIDR": {
    argv: () => ["netpol", "web", "--allow-cidr", "10.0.0.0/33"],
    code: 2,
    message: /--allow-cidr/,
  },
  "netpol: --allow-cidr with host bits set": {
    argv: () => ["netpol", "web", "--allow-cidr", "10.1.2.3/16"],
    code: 2,
    message: /--allow-cidr 10\.1\.2\.3\/16 has host bits set/,
  },
  "netpol: IPv6 --allow-cidr": {
    argv: () => ["netpol", "web", "--allow-cidr", "fd00::/8"],
    code: 2,
    message: /--allow-cidr/,
  },
  "netpol: --name breaking Kubernetes' rule": {
    argv: () => ["netpol", "web", "--name", "Web_Policy"],
    code: 2,
    message: /--name/,
  },
  "netpol: unknown --flavor": {
    argv: () => ["netpol", "web", "--flavor", "calico"],
    code: 2,
    message: /--flavor|calico/,
  },
  "netpol: unknown Service": { argv: () => ["netpol", "nosuch"], code: 3, message: /nosuch/ },
  "netpol --apply: IPv6 --allow-cidr": {
    argv: () => ["netpol", "web", "--apply", "--allow-cidr", "::/0"],
    code: 2,
    message: /--allow-cidr/,
  },
  "doctor: bad --nat-subnet": {
    argv: () => ["doctor", "web", "--nat-subnet", "-subnet"],
    code: 2,
    message: /--nat-subnet/,
  },
  "doctor: bad --pls-resource-group": {
    argv: () => ["doctor", "--pls-resource-group", "rg/x"],
    code: 2,
    message: /--pls-resource-group/,
  },
  "doctor: bad --cluster-resource-group": {
    argv: () => ["doctor", "--cluster", "aks-demo", "--cluster-resource-group", "rg?"],
    code: 2,
    message: /--cluster-resource-group/,
  },
  "connect: bad --resource-group": {
    argv: () => [
      "connect",
      "--pls",
      GOOD_ID(),
      "-g",
      "rg/partner",
      "--vnet",
      "spoke01",
      "--subnet",
      "pe-subnet",
    ],
    env: asPartner,
    code: 2,
    message: /--resource-group "rg\/partner"/,
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

async function partnerEndpointNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const pe of networkAs(t.sb, "partner").privateEndpoints.list("rg-partner"))
    names.push(`${pe.name}:${pe.provisioningState}`);
  return names.sort();
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
    const endpoints = await partnerEndpointNames();
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
    if (row.refusedWrite) {
      expect(armWriteTotal()).toBe(writes + 1);
      expect(await partnerEndpointNames()).toEqual(endpoints);
    } else expect(armWriteTotal()).toBe(writes);
    expect(kubeWrites(t.sb)).toBe(kube);
    expect(await serviceVersion()).toBe(rv);
  });

  it("doctor: an unknown Service is its FAIL check (doctor exits 0 or 1 by design), named, with the fix; nothing written", async () => {
    const writes = armWriteTotal();
    const kube = kubeWrites(t.sb);
    const r = await runCli(["doctor", "nosuch", "-o", "json"], { env: sandboxEnv(t.sb) });
    expect(r.code).toBe(1);
    const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === "service.exists");
    expect(check).toMatchObject({ status: "fail", detail: expect.stringMatching(/nosuch/) });
    expect(check.fix).toBeTruthy();
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(armWriteTotal()).toBe(writes);
    expect(kubeWrites(t.sb)).toBe(kube);
  });

  it("left no token in any file it or the sandbox wrote", () => {
    expect(fileLeaks(dir, tokens)).toEqual([]);
    expect(fileLeaks(t.sb.stateDir, tokens)).toEqual([]);
  });
});
