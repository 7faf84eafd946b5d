/**
 * argv → input for every command, without running a flow (gh's `runF` seam): what each flag
 * becomes in the flow's input, and which bad flags are refused before anything is read.
 * Every declared command must have a row (the last test walks the program to check it).
 */
import { describe, expect, it } from "vitest";
import { declaredProgram } from "../../src/cli.js";
import { specOf } from "../../src/commands/execute.js";
import { PlsctlError } from "../../src/domain/errors.js";
import { commandPath } from "../../src/output/usage.js";
import { inputOf } from "../helpers/argv-input.js";

interface Row {
  argv: string[];
  input: Record<string, unknown>;
}

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const PLS_ID = `/subscriptions/${SUB}/resourceGroups/mc_rg/providers/Microsoft.Network/privateLinkServices/pls-app`;
const ALIAS = "pls-app.3f2a1b0c-1111-2222-3333-444455556666.westeurope.azure.privatelinkservice";

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
    input: { stateDir: undefined, flags: { kind: "429", retryAfter: "5s", times: "3" } },
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
    input: { stateDir: "/tmp/sb", flags: { api: "kube", kind: "closeWatch", afterEvents: "1" } },
  },
  { argv: ["sandbox", "faults", "list"], input: { stateDir: undefined } },
  { argv: ["sandbox", "faults", "clear"], input: { stateDir: undefined, api: undefined } },
  {
    argv: ["sandbox", "faults", "clear", "--api", "KUBE", "--state-dir", "/tmp/sb"],
    input: { stateDir: "/tmp/sb", api: "KUBE" },
  },
  { argv: ["completion", "bash"], input: { shell: "bash", tree: { name: "plsctl" } } },
  { argv: ["completion", "fish"], input: { shell: "fish" } },
  // expose, unexpose, migrate, connections, approve, reject, remove, policy schema, policy check
  {
    argv: ["expose", "web"],
    input: {
      service: "web",
      flags: { plsName: undefined, natIp: undefined, fqdn: undefined, visibility: undefined },
      cluster: undefined,
      wait: true,
      timeoutMs: 600_000,
      record: true,
      recreatePls: false,
      restorePartners: false,
    },
  },
  {
    argv: [
      ...["expose", "web", "--pls-name", "pls-app", "--pls-resource-group", "rg-pls"],
      ...["--nat-subnet", "nat", "--nat-ip-count", "2", "--nat-ip", "10.0.0.4", "--nat-ip", "10.0.0.5"],
      ...["--fqdn", "app.example", "--visibility", "*", "--auto-approve", SUB, "--proxy-protocol"],
      ...["--internal-subnet", "lb", "--make-internal", "--cluster", "aks-1", "--no-wait", "--timeout", "2m"],
      ...["--no-record", "--recreate-pls", "--restore-partners"],
    ],
    input: {
      service: "web",
      flags: {
        plsName: "pls-app",
        plsResourceGroup: "rg-pls",
        natSubnet: "nat",
        natIpCount: "2",
        natIp: ["10.0.0.4", "10.0.0.5"],
        fqdn: ["app.example"],
        proxyProtocol: true,
        visibility: ["*"],
        autoApprove: [SUB],
        internalSubnet: "lb",
        makeInternal: true,
      },
      cluster: "aks-1",
      wait: false,
      timeoutMs: 120_000,
      record: false,
      recreatePls: true,
      restorePartners: true,
    },
  },
  {
    // each --no-… empties its list; a value after it starts the list anew
    argv: ["expose", "web", "--no-nat-ip", "--no-fqdns", "--no-proxy-protocol", "--no-auto-approve"],
    input: { flags: { natIp: false, fqdn: false, proxyProtocol: false, autoApprove: false } },
  },
  {
    argv: ["expose", "web", "--no-visibility", "--visibility", SUB],
    input: { flags: { visibility: [SUB] } },
  },
  { argv: ["unexpose", "web"], input: { service: "web", force: false, cluster: undefined } },
  {
    argv: ["unexpose", "web", "--force", "--cluster", "aks-1", "--cluster-resource-group", "rg-aks"],
    input: { service: "web", force: true, cluster: "aks-1", clusterResourceGroup: "rg-aks" },
  },
  {
    argv: ["migrate", "web", "--to-context", "aks-green"],
    input: { service: "web", toContext: "aks-green", finish: false, force: false, timeoutMs: 600_000 },
  },
  {
    argv: ["migrate", "web", "--to-context", "aks-green", "--finish", "--force", "--timeout", "90s"],
    input: { service: "web", toContext: "aks-green", finish: true, force: true, timeoutMs: 90_000 },
  },
  {
    argv: ["connections", "web"],
    input: { service: "web", pls: undefined, all: undefined, state: undefined },
  },
  {
    argv: ["connections", "--pls", PLS_ID, "--state", "pending", "--link-id", "0536870917"],
    input: { pls: PLS_ID, state: "pending", linkId: "536870917" },
  },
  {
    argv: ["connections", "--all", "--cluster-name", "kubernetes", "--subscriptions", "all"],
    input: { all: true, clusterName: "kubernetes", subscriptions: "all" },
  },
  {
    argv: ["approve", "web", "pe-a", "pe-b"],
    input: {
      verb: "approve",
      service: "web",
      pls: undefined,
      selection: { names: ["pe-a", "pe-b"], allPending: false, fromSubscriptions: [], policyFile: undefined },
      description: undefined,
      dryRun: undefined,
      concurrency: 8,
      watch: undefined,
    },
  },
  {
    argv: [
      ...["approve", "--pls", PLS_ID, "pe-a", "--all-pending", "--from-subscription", SUB.toUpperCase()],
      ...["--message-match", "^fab", "--policy", "partners.yaml", "--enforce", "--prune", "--dry-run"],
      ...["--fail-if-none", "--concurrency", "4", "--description", "ticket 42"],
    ],
    input: {
      verb: "approve",
      service: undefined,
      pls: PLS_ID,
      selection: {
        names: ["pe-a"],
        allPending: true,
        fromSubscriptions: [SUB],
        messageMatch: /^fab/,
        policyFile: "partners.yaml",
        enforce: true,
        prune: true,
      },
      description: "ticket 42",
      dryRun: true,
      failIfNone: true,
      concurrency: 4,
    },
  },
  {
    argv: ["approve", "-A", "--all-pending", "--watch"],
    input: {
      allServices: true,
      watch: { intervalMs: 30_000, forMs: undefined, metrics: undefined, leader: undefined },
    },
  },
  {
    argv: [
      ...["approve", "--all", "--policy", "p.yaml", "--watch", "--interval", "1m", "--for", "1h"],
      ...["--leader-elect", "--lease-namespace", "ops", "--metrics-addr", "0.0.0.0:9464"],
    ],
    input: {
      all: true,
      watch: {
        intervalMs: 60_000,
        forMs: 3_600_000,
        metrics: { host: "0.0.0.0", port: 9464, exposed: true },
        leader: { name: "plsctl-approver", namespace: "ops" },
      },
    },
  },
  {
    argv: ["reject", "web", "--all-pending", "--message-match", "^test"],
    input: {
      verb: "reject",
      service: "web",
      selection: { names: [], allPending: true, messageMatch: /^test/ },
    },
  },
  {
    argv: ["reject", "--pls", ALIAS, "pe-old.1a2b", "--description", "gone", "--dry-run"],
    input: {
      verb: "reject",
      service: undefined,
      pls: ALIAS,
      selection: { names: ["pe-old.1a2b"] },
      description: "gone",
      dryRun: true,
    },
  },
  {
    argv: ["remove", "web", "pe-a", "--from-subscription", SUB, "--concurrency", "2"],
    input: {
      verb: "remove",
      service: "web",
      selection: { names: ["pe-a"], fromSubscriptions: [SUB] },
      description: undefined,
      concurrency: 2,
    },
  },
  { argv: ["policy", "schema"], input: {} },
  { argv: ["policy", "check", "partners.yaml"], input: { file: "partners.yaml" } },
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
  // expose, unexpose, migrate, connections, approve, reject, remove
  { argv: ["expose", "web", "--timeout", "soon"], message: /--timeout/ },
  { argv: ["migrate", "web", "--to-context", "aks-green", "--force"], message: /--force goes with --finish/ },
  { argv: ["migrate", "web", "--to-context", "aks-green", "--timeout", "1"], message: /--timeout/ },
  {
    argv: ["connections", "web", "--link-id", "4294967296"],
    message: /--link-id "4294967296" is not a link id/,
  },
  { argv: ["approve", "web", "--all-pending", "--for", "1h"], message: /go with --watch/ },
  { argv: ["approve", "web", "--all-pending", "--interval", "1m"], message: /go with --watch/ },
  { argv: ["approve", "web", "--all-pending", "--leader-elect"], message: /go with --watch/ },
  { argv: ["approve", "web", "--all-pending", "--watch", "--interval", "30"], message: /--interval/ },
  {
    argv: ["approve", "web", "--all-pending", "--watch", "--metrics-addr", ":9464"],
    message: /names no host/,
  },
  { argv: ["approve", "web", "--message-match", "(["], message: /not a valid regular expression/ },
  { argv: ["reject", "web", "--from-subscription", "fabrikam"], message: /not a subscription id/ },
  { argv: ["remove", "web", "pe-a", "--description", "x"], message: /--description does nothing for remove/ },
];

/**
 * The fault flags are the sandbox's format: `sandbox faults` hands them to its flow, which checks
 * them with the sandbox's own parser before any request (commands do not import the sandbox).
 */
const FAULT_REFUSED: Array<{ argv: string[]; message: RegExp }> = [
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

  it.each(FAULT_REFUSED)("refuses $argv in the flow, before any request", async ({ argv, message }) => {
    const { clearedApi, faultSpecOf } = await import("../../src/flows/sandbox/faults.js");
    const { input } = (await inputOf(argv)) as { input: { flags?: object; api?: string } };
    let err: unknown;
    try {
      if (input.flags) faultSpecOf(input.flags);
      else clearedApi(input.api);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlsctlError);
    expect((err as PlsctlError).exitCode).toBe(2);
    expect((err as PlsctlError).message).toMatch(message);
  });

  it("has a row for every declared command", async () => {
    const program = declaredProgram();
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
