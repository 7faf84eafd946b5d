/**
 * `plsctl demo`: the whole walkthrough on its own throwaway sandbox, through the real flows. Each
 * step's result, the tutorial's command lines in order, and those lines replayed as printed against
 * the sandbox the demo left in --state-dir (as after `plsctl sandbox up` + `sandbox env --as …`).
 */
import { execFile } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { DemoResult } from "../../src/domain/demo.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { CURL } from "../helpers/curl.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp.js";
import { kubectlBinaries } from "../sandbox/helpers/kube.js";

const world = defaultWorld();
const partner = world.identities.find((i) => i.name === "partner");
const partnerSub = partner?.defaultSubscriptionId ?? "";
const nodeIps = world.managedClusters.flatMap((c) => c.nodes.map((n) => n.internalIp));
const TITLE = "Welcome to Azure Kubernetes Service (AKS)";

function inCidr(ip: string, cidr: string): boolean {
  const num = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const [base = "", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(num(ip) / size) === Math.floor(num(base) / size);
}

/** A POSIX shell line's words: plain words, '…' and "…" (enough for the lines the demo prints). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

describe("plsctl demo -o json", () => {
  let out: DemoResult;
  let stderr = "";
  beforeAll(async () => {
    const r = await runCli(["demo", "-o", "json"]);
    stderr = r.stderr;
    expect(r.code, r.stderr).toBe(0);
    out = JSON.parse(r.stdout);
  });

  it("deploys the sample app and exposes it, visible to the partner", () => {
    expect(out.deployed).toEqual([
      { kind: "Pod", name: "pls-app", created: true },
      { kind: "Service", name: "sample-app", created: true },
    ]);
    expect(out.expose).toMatchObject({ name: "pls-app", provisioningState: "Succeeded", changed: true });
    expect(out.expose.alias).toMatch(/^pls-app\..+\.westeurope\.azure\.privatelinkservice$/);
    expect(out.expose.visibility).toEqual([partnerSub]);
  });

  it("the partner's connect is Pending, the CI approves it, the same connect then shows it Approved", () => {
    expect(out.connect).toMatchObject({
      target: out.expose.alias,
      targetKind: "alias",
      manual: true,
      state: "Pending",
      changed: true,
      endpoint: { name: "pe-fabrikam", resourceGroup: "rg-partner", subscriptionId: partnerSub },
    });
    expect(out.connect.approveCommand).toContain(`--from-subscription ${partnerSub}`);
    expect(out.approve.summary).toBeDefined();
    expect(out.approve.results).toHaveLength(1);
    expect(out.approve.results[0]).toMatchObject({
      from: "Pending",
      to: "Approved",
      outcome: "approved",
      privateEndpointId: out.connect.endpoint.id,
    });
    expect(out.connected).toMatchObject({
      state: "Approved",
      changed: false,
      endpoint: out.connect.endpoint,
    });
  });

  it("the endpoint's IP lies in the partner's subnet and its DNS record names it", () => {
    const spoke = world.virtualNetworks.find((v) => v.subscriptionId === partnerSub);
    const subnet = spoke?.subnets.find((s) => out.connected.endpoint.subnetId.endsWith(`/subnets/${s.name}`));
    expect(subnet?.name).toBe("pe-subnet");
    expect(inCidr(out.connected.privateIp ?? "", subnet?.addressPrefix ?? "")).toBe(true);
    expect(out.connected.privateIp).toBe(out.connect.privateIp);
    expect(out.connected.fqdn).toBe("app.fabrikam.internal");
    expect(out.connected.dns).toMatchObject({ zone: "fabrikam.internal", record: "app", zoneGroup: false });
  });

  it("an HTTP request from the partner's VNet, by the DNS name, reaches the sample app", () => {
    expect(out.verify).toMatchObject({
      url: "http://app.fabrikam.internal/",
      reached: true,
      status: 200,
      cause: null,
      title: TITLE,
      pod: "pls-app",
    });
    expect(out.verify.proxy).toMatch(/^http:\/\/spoke01@127\.0\.0\.1:\d+$/);
    // externalTrafficPolicy Cluster (the sample app's default): the node that forwarded it.
    expect(out.verify.sourceKind).toBe("node-ip");
    expect(nodeIps).toContain(out.verify.sourceIp);
    expect([...out.expose.natIps, ...nodeIps]).toContain(out.verify.sourceIp);
  });

  it("lists the steps with who acts and the command lines, and reports progress on stderr", () => {
    expect(out.steps.map((s: { id: string; actor: string }) => `${s.id}:${s.actor}`)).toEqual([
      "sandbox:you",
      "deploy:cluster operator",
      "expose:cluster operator",
      "connect:partner",
      "approve:provider CI",
      "connected:partner",
      "verify:partner",
    ]);
    expect(stderr).toContain("Deploying examples/sample-app.yaml");
    expect(stderr).toContain(`As the partner: plsctl connect --pls ${out.expose.alias}`);
    expect(stderr).toContain(
      `As the provider CI: plsctl approve sample-app --from-subscription ${partnerSub}`,
    );
  });
});

describe("plsctl demo (table)", () => {
  it("reads as a tutorial: each command line, in order, with the step's output after it", async () => {
    const r = await runCli(["demo"]);
    expect(r.code, r.stderr).toBe(0);
    const alias = /Alias:\s+(\S+)/.exec(r.stdout)?.[1] ?? "";
    expect(alias).toMatch(/^pls-app\./);
    const connect = `$ plsctl connect --pls ${alias} --resource-group rg-partner --vnet spoke01 --subnet pe-subnet --name pe-fabrikam --request-message 'fabrikam ticket 42' --dns-zone fabrikam.internal --dns-name app`;
    const lines = [
      "$ plsctl sandbox up",
      '$ eval "$(plsctl sandbox env)"',
      "$ kubectl apply -f examples/sample-app.yaml",
      "service/sample-app created",
      `$ plsctl expose sample-app --pls-name pls-app --visibility ${partnerSub}`,
      `Alias:                ${alias}`,
      '$ eval "$(plsctl sandbox env --as partner)"',
      connect,
      "Pending",
      '$ eval "$(plsctl sandbox env --as ci)"',
      `$ plsctl approve sample-app --from-subscription ${partnerSub}`,
      "Pending → Approved",
      '$ eval "$(plsctl sandbox env --as partner)"',
      connect,
      "Approved",
      "DNS name:         app.fabrikam.internal → 10.0.0.",
      "$ plsctl verify --endpoint pe-fabrikam --resource-group rg-partner --address app.fabrikam.internal --http /",
      '$ curl -i --proxytunnel --proxy "$PLSCTL_SANDBOX_PROXY" http://app.fabrikam.internal/',
      "HTTP 200: reached",
      "X-Sandbox-Source-Ip: 10.224.0.",
      `<title>${TITLE}</title>`,
      "The sandbox and its temporary directory are gone",
    ];
    let at = 0;
    for (const line of lines) {
      const i = r.stdout.indexOf(line, at);
      expect(i, `"${line}" after offset ${at} in:\n${r.stdout}`).toBeGreaterThanOrEqual(at);
      at = i + line.length;
    }
    expect(r.stdout).not.toContain("→ Starting the sandbox");
  });
});

describe("the printed command lines, replayed", () => {
  it("run as printed against the sandbox the demo left in --state-dir (sandbox env --as …)", async () => {
    const dir = tempDir("plsctl-demo-state-");
    const demo = await runCli(["demo", "--state-dir", dir, "-o", "json"]);
    expect(demo.code, demo.stderr).toBe(0);
    const { steps, connected } = JSON.parse(demo.stdout);
    const sb = await startSandbox({ stateDir: dir });
    try {
      let env: Record<string, string> = {};
      const ran: string[] = [];
      for (const line of steps.flatMap((s: { commands: string[] }) => s.commands) as string[]) {
        const argv = words(line);
        if (line === `plsctl sandbox up --state-dir ${dir}` || argv[0] === "kubectl") continue; // this test holds the sandbox
        if (line.startsWith("eval ")) {
          // As printed: eval "$(plsctl sandbox env [--as X] --state-dir D)".
          const inner = words(/^eval "\$\((.*)\)"$/.exec(line)?.[1] ?? "");
          expect(inner.slice(0, 3)).toEqual(["plsctl", "sandbox", "env"]);
          expect(inner.slice(-2)).toEqual(["--state-dir", dir]);
          const as = /--as (\S+)/.exec(line)?.[1];
          const r = await runCli([...inner.slice(1), "-o", "json"]);
          expect(r.code, r.stderr).toBe(0);
          env = JSON.parse(r.stdout).env;
          ran.push(`env ${as ?? "provider"}`);
        } else if (argv[0] === "plsctl") {
          const r = await runCli([...argv.slice(1), "-o", "json"], { env });
          expect(r.code, `${line}\n${r.stderr}`).toBe(0);
          ran.push(argv[1] ?? "");
          if (argv[1] === "connect")
            expect(JSON.parse(r.stdout)).toMatchObject({ state: "Approved", changed: false });
          if (argv[1] === "expose") expect(JSON.parse(r.stdout)).toMatchObject({ changed: false });
          if (argv[1] === "verify")
            expect(JSON.parse(r.stdout)).toMatchObject({
              reached: true,
              via: "proxy",
              http: { status: 200 },
            });
        } else if (argv[0] === "curl" && CURL) {
          const args = argv
            .slice(1)
            .map((a) => (a === "$PLSCTL_SANDBOX_PROXY" ? (env.PLSCTL_SANDBOX_PROXY ?? "") : a));
          const r = await new Promise<{ out: string }>((resolve) =>
            execFile(
              CURL ?? "curl",
              ["-sS", "--max-time", "20", ...args],
              { env: { PATH: process.env.PATH ?? "" } },
              (_e, out) => resolve({ out }),
            ),
          );
          expect(r.out).toMatch(/HTTP\/1\.1 200 OK/);
          expect(r.out).toContain(`<title>${TITLE}</title>`);
          ran.push("curl");
        }
      }
      expect(ran.slice(0, 7)).toEqual([
        "env provider",
        "expose",
        "env partner",
        "connect",
        "env ci",
        "approve",
        "env partner",
      ]);
      expect(ran[7]).toBe("connect");
      expect(ran[8]).toBe("verify");
      expect(connected.state).toBe("Approved");
    } finally {
      await sb.close();
    }
  });
});

describe("plsctl demo --state-dir: the sample app as kubectl meets it again", () => {
  it.each(kubectlBinaries().filter((_k, i, all) => i === 0 || i === all.length - 1))(
    "kubectl $version apply -f of the same file reports unchanged, without warnings",
    async ({ bin }) => {
      const dir = tempDir("plsctl-demo-kubectl-");
      const demo = await runCli(["demo", "--state-dir", dir, "-o", "json"]);
      expect(demo.code, demo.stderr).toBe(0);
      const sb = await startSandbox({ stateDir: dir });
      try {
        // Asynchronously: the sandbox answers kubectl from this very process.
        const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(
            bin,
            ["--kubeconfig", sb.runtime.kube.kubeconfigPath, "apply", "-f", "examples/sample-app.yaml"],
            { env: { PATH: process.env.PATH ?? "", HOME: dir } },
            (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
          ),
        );
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("pod/pls-app unchanged\nservice/sample-app unchanged\n");
      } finally {
        await sb.close();
      }
    },
  );
});

describe("plsctl demo --state-dir and under npx: the lines say where and how", () => {
  it("names the kept state directory in every sandbox line, and not a throwaway sandbox", async () => {
    const dir = tempDir("plsctl-demo-named-");
    const r = await runCli(["demo", "--state-dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("throwaway");
    expect(r.stdout).toContain(`run on a sandbox kept in ${dir}:`);
    expect(r.stdout).toContain(`$ plsctl sandbox up --state-dir ${dir}\n`);
    expect(r.stdout).toContain(`$ eval "$(plsctl sandbox env --state-dir ${dir})"`);
    expect(r.stdout).toContain(`$ eval "$(plsctl sandbox env --as partner --state-dir ${dir})"`);
    expect(r.stdout).toContain(`$ eval "$(plsctl sandbox env --as ci --state-dir ${dir})"`);
    expect(r.stdout).not.toMatch(/sandbox env( --as \w+)?\)"/);
    expect(r.stdout).toContain(`The sandbox's state is kept in ${dir}`);
  });

  it("under npx every plsctl line reads npx plsctl, and the PATH note comes once", async () => {
    const r = await runCli(["demo", "-o", "json"], { env: { npm_command: "exec" } });
    expect(r.code, r.stderr).toBe(0);
    const lines: string[] = JSON.parse(r.stdout).steps.flatMap((s: { commands: string[] }) => s.commands);
    for (const line of lines.filter((l) => /plsctl/.test(l))) expect(line).toMatch(/(^|\$\()npx plsctl /);
    expect(r.stderr).toContain("As the partner: npx plsctl connect --pls");
    const table = await runCli(["demo"], { env: { npm_command: "exec" } });
    expect(table.stdout).toContain('$ eval "$(npx plsctl sandbox env)"');
    expect(table.stdout.match(/npm link/g)).toHaveLength(1);
  });
});
