/**
 * argv → input for every command, without running a flow (gh's `runF` seam): what each flag
 * becomes in the flow's input, and which bad flags are refused before anything is read.
 * Every declared command must have a row (the last test walks the program to check it).
 */
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli.js";
import { specOf } from "../../src/commands/execute.js";
import { PlsctlError } from "../../src/domain/errors.js";
import { commandPath } from "../../src/output/usage.js";
import { inputOf, quietRuntime } from "../helpers/argv-input.js";

interface Row {
  argv: string[];
  input: Record<string, unknown>;
}

const ROWS: Row[] = [
  {
    argv: ["status", "web"],
    input: { service: "web", cluster: undefined, clusterResourceGroup: undefined },
  },
  {
    argv: ["status", "web", "--cluster", "aks-1", "--cluster-resource-group", "rg-aks", "-n", "shop"],
    input: { service: "web", cluster: "aks-1", clusterResourceGroup: "rg-aks" },
  },
  {
    argv: ["doctor"],
    input: { service: undefined, natSubnet: undefined, plsResourceGroup: undefined },
  },
  {
    argv: [
      "doctor",
      "web",
      "--nat-subnet",
      "nat",
      "--pls-resource-group",
      "rg-pls",
      "--cluster-identity",
      "oid",
    ],
    input: { service: "web", natSubnet: "nat", plsResourceGroup: "rg-pls", clusterIdentity: "oid" },
  },
  {
    argv: ["verify", "--endpoint", "pe-app", "-g", "rg-partner", "--http", "/health", "--timeout", "5s"],
    input: { endpoint: "pe-app", resourceGroup: "rg-partner", port: 80, http: "/health", timeoutMs: 5000 },
  },
  {
    argv: ["verify", "--address", "10.0.0.4", "--port", "443"],
    input: { address: "10.0.0.4", port: 443, http: undefined, timeoutMs: 10_000 },
  },
  { argv: ["demo"], input: { realistic: false, stateDir: undefined, world: undefined } },
  {
    argv: ["demo", "--realistic", "--proxy-protocol", "--state-dir", "/tmp/d", "--world", "w.yaml"],
    input: { realistic: true, proxyProtocol: true, stateDir: "/tmp/d", world: "w.yaml" },
  },
  // ── connect, disconnect, netpol, sandbox (up, env, status, requests, request, reset, faults), completion
  {
    argv: [
      "connect",
      "--pls",
      "pls-app.1234.westeurope.azure.privatelinkservice",
      "-g",
      "rg-p",
      "--vnet",
      "spoke",
      "--subnet",
      "pe",
    ],
    input: {
      pls: "pls-app.1234.westeurope.azure.privatelinkservice",
      resourceGroup: "rg-p",
      vnet: "spoke",
      subnet: "pe",
      subnetId: undefined,
      groupId: undefined,
      name: undefined,
      waitApproved: false,
      timeoutMs: 600_000,
      dnsZone: undefined,
      noDns: false,
      overwriteDns: false,
      replace: false,
    },
  },
  {
    argv: [
      "connect",
      "--pls",
      "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateLinkServices/pls-app",
      "-g",
      "rg-p",
      "--subnet-id",
      "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/pe",
      "--name",
      "pe-app",
      "--location",
      "westeurope",
      "--request-message",
      "Fabrikam, ticket 42",
      "--wait-approved",
      "--timeout",
      "30m",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "app",
      "--overwrite-dns",
      "--replace",
    ],
    input: {
      subnetId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/pe",
      name: "pe-app",
      location: "westeurope",
      requestMessage: "Fabrikam, ticket 42",
      waitApproved: true,
      timeoutMs: 1_800_000,
      dnsZone: "fabrikam.internal",
      dnsName: "app",
      overwriteDns: true,
      replace: true,
      noDns: false,
    },
  },
  {
    argv: [
      "connect",
      "--pls",
      "/subscriptions/s/x/vaults/kv",
      "--group-id",
      "vault",
      "-g",
      "rg-p",
      "--subnet-id",
      "sn",
      "--no-dns",
    ],
    input: { pls: "/subscriptions/s/x/vaults/kv", groupId: "vault", noDns: true, dnsZoneId: undefined },
  },
  {
    argv: ["connect", "--pls", "a", "-g", "rg-p", "--subnet-id", "sn", "--dns-zone-id", "/subscriptions/h/z"],
    input: { dnsZoneId: "/subscriptions/h/z", noDns: false },
  },
  {
    argv: ["disconnect", "--name", "pe-app", "-g", "rg-p"],
    input: { name: "pe-app", resourceGroup: "rg-p" },
  },
  {
    argv: ["netpol", "web"],
    input: {
      service: "web",
      flavor: "kubernetes",
      name: undefined,
      allowCidrs: [],
      apply: false,
      force: false,
      cluster: undefined,
      clusterResourceGroup: undefined,
    },
  },
  {
    argv: [
      "netpol",
      "web",
      "-n",
      "shop",
      "--allow-cidr",
      "10.240.0.0/16",
      "--allow-cidr",
      "10.241.0.0/16",
      "--name",
      "web-pl",
      "--flavor",
      "cilium",
      "--apply",
      "--force",
      "--cluster",
      "aks-1",
      "--cluster-resource-group",
      "rg-aks",
    ],
    input: {
      service: "web",
      flavor: "cilium",
      name: "web-pl",
      allowCidrs: ["10.240.0.0/16", "10.241.0.0/16"],
      apply: true,
      force: true,
      cluster: "aks-1",
      clusterResourceGroup: "rg-aks",
    },
  },
  {
    argv: ["sandbox", "up"],
    input: {
      stateDir: undefined,
      world: undefined,
      armPort: undefined,
      kubePort: undefined,
      proxyPort: undefined,
      host: undefined,
      lroDelayMs: 0,
      provisioningDelayMs: 0,
    },
  },
  {
    argv: [
      "sandbox",
      "up",
      "--state-dir",
      "/tmp/sb",
      "--world",
      "w.yaml",
      "--arm-port",
      "8443",
      "--kube-port",
      "6443",
      "--proxy-port",
      "3128",
      "--host",
      "localhost",
      "--lro-delay",
      "5s",
      "--provisioning-delay",
      "30s",
    ],
    input: {
      stateDir: "/tmp/sb",
      world: "w.yaml",
      armPort: 8443,
      kubePort: 6443,
      proxyPort: 3128,
      host: "localhost",
      lroDelayMs: 5000,
      provisioningDelayMs: 30_000,
    },
  },
  { argv: ["sandbox", "env"], input: { stateDir: undefined, as: "provider" } },
  {
    argv: ["sandbox", "env", "--as", "partner", "--state-dir", "/tmp/sb"],
    input: { stateDir: "/tmp/sb", as: "partner" },
  },
  { argv: ["sandbox", "status"], input: { stateDir: undefined } },
  { argv: ["sandbox", "status", "--state-dir", "/tmp/sb"], input: { stateDir: "/tmp/sb" } },
  { argv: ["sandbox", "requests"], input: { stateDir: undefined, reset: false } },
  {
    argv: ["sandbox", "requests", "--reset", "--state-dir", "/tmp/sb"],
    input: { stateDir: "/tmp/sb", reset: true },
  },
  {
    argv: ["sandbox", "request", "--kind", "frontdoor", "--pls", "/subscriptions/s/pls", "--message", "edge"],
    input: {
      stateDir: undefined,
      request: { kind: "frontdoor", pls: "/subscriptions/s/pls", message: "edge" },
    },
  },
  {
    argv: [
      "sandbox",
      "request",
      "--kind",
      "datafactory",
      "--pls",
      "/subscriptions/s/pls",
      "--factory",
      "adf",
      "--name",
      "mpe",
    ],
    input: { request: { kind: "datafactory", pls: "/subscriptions/s/pls", factory: "adf", name: "mpe" } },
  },
  { argv: ["sandbox", "reset"], input: { stateDir: undefined, world: undefined } },
  {
    argv: ["sandbox", "reset", "--world", "w.yaml", "--state-dir", "/tmp/sb"],
    input: { stateDir: "/tmp/sb", world: "w.yaml" },
  },
  {
    argv: ["sandbox", "faults", "add", "--kind", "429", "--retry-after", "5s", "--times", "3"],
    input: {
      stateDir: undefined,
      fault: { api: "arm", rule: { kind: "429", retryAfterSeconds: 5, times: 3 } },
    },
  },
  {
    argv: [
      "sandbox",
      "faults",
      "add",
      "--api",
      "kube",
      "--kind",
      "closeWatch",
      "--after-events",
      "1",
      "--state-dir",
      "/tmp/sb",
    ],
    input: { stateDir: "/tmp/sb", fault: { api: "kube", rule: { kind: "closeWatch", afterEvents: 1 } } },
  },
  { argv: ["sandbox", "faults", "list"], input: { stateDir: undefined } },
  { argv: ["sandbox", "faults", "clear"], input: { stateDir: undefined, api: "all" } },
  {
    argv: ["sandbox", "faults", "clear", "--api", "KUBE", "--state-dir", "/tmp/sb"],
    input: { stateDir: "/tmp/sb", api: "kube" },
  },
  { argv: ["completion", "bash"], input: { shell: "bash", tree: { name: "plsctl" } } },
  { argv: ["completion", "fish"], input: { shell: "fish" } },
];

/** Refused while turning flags into input: exit 2, before any I/O. */
const REFUSED: Array<{ argv: string[]; message: RegExp }> = [
  { argv: ["verify", "--address", "10.0.0.4", "--port", "70000"], message: /port/i },
  { argv: ["verify", "--address", "10.0.0.4", "--timeout", "soon"], message: /--timeout/ },
  { argv: ["verify", "--address", "10.0.0.4", "--http", "health"], message: /--http/ },
  // ── connect, sandbox up, sandbox faults
  {
    argv: ["connect", "--pls", "a", "-g", "rg-p", "--subnet-id", "sn", "--timeout", "soon"],
    message: /--timeout/,
  },
  { argv: ["sandbox", "up", "--arm-port", "0"], message: /--arm-port "0" is not a port number/ },
  { argv: ["sandbox", "up", "--kube-port", "http"], message: /--kube-port "http" is not a port number/ },
  { argv: ["sandbox", "up", "--proxy-port", "70000"], message: /--proxy-port "70000" is not a port number/ },
  { argv: ["sandbox", "up", "--lro-delay", "soon"], message: /--lro-delay/ },
  { argv: ["sandbox", "up", "--provisioning-delay", "-1s"], message: /--provisioning-delay/ },
  { argv: ["sandbox", "faults", "add", "--kind", "teapot"], message: /--kind "teapot" is not one of/ },
  {
    argv: ["sandbox", "faults", "add", "--api", "kube", "--kind", "status"],
    message: /--kind status needs --status/,
  },
  {
    argv: ["sandbox", "faults", "add", "--kind", "500", "--method", "P*T"],
    message: /--method "P\*T" is not an HTTP method/,
  },
  {
    argv: ["sandbox", "faults", "clear", "--api", "azure"],
    message: /--api "azure" is not one of arm, kube/,
  },
];

describe("argv → input", () => {
  it.each(ROWS)("$argv", async ({ argv, input }) => {
    const parsed = await inputOf(argv);
    expect(parsed.input).toMatchObject(input);
  });

  it.each(REFUSED)("refuses $argv", async ({ argv, message }) => {
    const err = await inputOf(argv).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlsctlError);
    expect((err as PlsctlError).exitCode).toBe(2);
    expect((err as PlsctlError).message).toMatch(message);
  });

  it("has a row for every declared command", async () => {
    const program = buildProgram(quietRuntime());
    const declared: string[] = [];
    const walk = (c: (typeof program.commands)[number]) => {
      const spec = specOf(c);
      if (spec && !("commands" in spec)) declared.push(commandPath(c));
      for (const sub of c.commands) walk(sub);
    };
    for (const c of program.commands) walk(c);
    const covered = new Set<string>();
    for (const row of ROWS) covered.add((await inputOf(row.argv)).command);
    expect(declared.filter((d) => !covered.has(d))).toEqual([]);
    expect(declared.length).toBeGreaterThan(0);
  });
});
