/**
 * `plsctl sandbox` as a user runs it: `up` in the foreground (a real process), `env` in another
 * shell, kubectl and plsctl against it, `reset` while it runs, Ctrl-C to stop.
 * The kubectl cases are skipped, with that reason, where no kubectl is installed (the same look-up
 * as the kubectl conformance suite).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, type V1Service } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { guarded } from "../helpers/loopback-env.js";
import { runCli } from "../helpers/run-cli.js";
import { kubectlBinaries } from "../sandbox/helpers/kube.js";

/** The newest kubectl on the machine, if any. */
const KUBECTL = kubectlBinaries().at(-1)?.bin;
const NO_KUBECTL = "kubectl is not installed (not on PATH)";

const stateDir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-e2e-"));
let up: ChildProcess;
let upOut = "";
let upErr = "";

function waitFor(predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() > deadline)
        return reject(new Error(`timed out waiting for ${what}; stdout: ${upOut} stderr: ${upErr}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

async function envAs(identity: string): Promise<Record<string, string>> {
  const r = await runCli(["sandbox", "env", "--as", identity, "--state-dir", stateDir, "-o", "json"]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).env;
}

const kubectl = (env: Record<string, string>, ...args: string[]) =>
  execFileSync(KUBECTL ?? "kubectl", args, {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: stateDir, KUBECONFIG: env.KUBECONFIG },
  });

/** A client for the sandbox's Kubernetes API, from the kubeconfig `sandbox env` hands out. */
function coreApi(env: Record<string, string>): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBECONFIG ?? "");
  return kc.makeApiClient(CoreV1Api);
}

/** The walkthrough's Service (examples/sample-app.yaml) under another name. */
function sampleService(name: string): V1Service {
  const docs = parseAllDocuments(readFileSync("examples/sample-app.yaml", "utf8")).map((d) => d.toJS());
  const svc = docs.find((d) => d?.kind === "Service") as V1Service;
  return { ...svc, metadata: { ...svc.metadata, name } };
}

beforeAll(async () => {
  up = spawn(process.execPath, ["bin/plsctl.js", "sandbox", "up", "--state-dir", stateDir], {
    env: guarded({ PATH: process.env.PATH ?? "", HOME: stateDir, NO_COLOR: "1" }),
  });
  up.stdout?.on("data", (d) => (upOut += d));
  up.stderr?.on("data", (d) => (upErr += d));
  await waitFor(() => upOut.includes("plsctl sandbox is up"), "the sandbox to start");
});

afterAll(() => {
  if (up.exitCode === null) up.kill("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
});

describe("plsctl sandbox", () => {
  it("prints how to act as each identity", () => {
    expect(upOut).toMatch(/Azure Resource Manager +https:\/\/127\.0\.0\.1:\d+/);
    expect(upOut).toMatch(/Kubernetes API +https:\/\/127\.0\.0\.1:\d+/);
    expect(upOut).toMatch(/Partner network proxy +http:\/\/127\.0\.0\.1:\d+/);
    for (const id of ["provider", "ci", "partner"]) expect(upOut).toContain(`plsctl sandbox env --as ${id}`);
  });

  it("hands out one environment per identity", async () => {
    const provider = await envAs("provider");
    expect(Object.keys(provider).sort()).toEqual(
      [
        "AZURE_SUBSCRIPTION_ID",
        "AZURE_TENANT_ID",
        "KUBECONFIG",
        "PLSCTL_ACCESS_TOKEN",
        "PLSCTL_ARM_ENDPOINT",
        "PLSCTL_CA_FILE",
        "PLSCTL_SANDBOX_PROXY",
        "PLSCTL_SANDBOX_DIR",
      ].sort(),
    );
    expect(provider.PLSCTL_SANDBOX_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(provider.PLSCTL_ARM_ENDPOINT).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const partner = await envAs("partner");
    expect(partner.KUBECONFIG).toBeUndefined();
    expect(partner.AZURE_TENANT_ID).not.toBe(provider.AZURE_TENANT_ID);
    expect(partner.PLSCTL_SANDBOX_PROXY).toBe(
      provider.PLSCTL_SANDBOX_PROXY?.replace("http://", "http://spoke01@"),
    );
  });

  it("hands out an environment that kubectl and plsctl use as it is", async (ctx) => {
    ctx.skip(KUBECTL === undefined, NO_KUBECTL);
    const provider = await envAs("provider");
    expect(kubectl(provider, "apply", "-f", "examples/sample-app.yaml")).toMatch(
      /service\/sample-app created/,
    );
    const r = await runCli(["expose", "sample-app", "--pls-name", "pls-app", "-o", "json"], {
      env: provider,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).alias).toMatch(/^pls-app\./);
    expect(kubectl(provider, "get", "svc", "sample-app")).toMatch(
      /sample-app +LoadBalancer +\S+ +10\.224\.0\.\d+/,
    );
  });

  it("prints shell export lines", async () => {
    const r = await runCli(["sandbox", "env", "--as", "partner", "--state-dir", stateDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^export PLSCTL_ARM_ENDPOINT='https:\/\/127\.0\.0\.1:\d+'$/m);
    expect(r.stdout).toMatch(/^unset KUBECONFIG$/m);
  });

  it("refuses an unknown identity and a second sandbox on the same state", async () => {
    const unknown = await runCli(["sandbox", "env", "--as", "mallory", "--state-dir", stateDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no identity "mallory"[\s\S]*provider, ci, partner/);
    const second = await runCli(["sandbox", "up", "--state-dir", stateDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/A sandbox already runs from/);
  });

  it("resets the running sandbox to the default world", async () => {
    // Its own exposed Service first, so that the reset has something to throw away.
    const provider = await envAs("provider");
    const core = coreApi(provider);
    await core.createNamespacedService({ namespace: "default", body: sampleService("reset-me") });
    const exposed = await runCli(["expose", "reset-me", "--pls-name", "pls-reset-me"], { env: provider });
    expect(exposed.code).toBe(0);

    const r = await runCli(["sandbox", "reset", "--state-dir", stateDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/running sandbox was reset/);
    const names = (await core.listNamespacedService({ namespace: "default" })).items.map(
      (s) => s.metadata?.name,
    );
    expect(names).toEqual(["kubernetes"]);
    const status = await runCli(["status", "reset-me"], { env: provider });
    expect(status.code).toBe(3);
  });

  it("resets what kubectl sees", async (ctx) => {
    ctx.skip(KUBECTL === undefined, NO_KUBECTL);
    const provider = await envAs("provider");
    expect(kubectl(provider, "apply", "-f", "examples/sample-app.yaml")).toMatch(/service\/sample-app /);
    expect((await runCli(["sandbox", "reset", "--state-dir", stateDir])).code).toBe(0);
    expect(kubectl(provider, "get", "svc", "-o", "name")).toBe("service/kubernetes\n");
  });

  it("stops cleanly on Ctrl-C, keeps its state, and knows it stopped", async () => {
    up.kill("SIGINT");
    await waitFor(() => up.exitCode !== null, "the sandbox to stop");
    expect(up.exitCode).toBe(0);
    expect(upErr).toContain("Sandbox stopped; its state is kept.");
    const status = await runCli(["sandbox", "status", "--state-dir", stateDir, "-o", "json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, stateDir });
    const env = await runCli(["sandbox", "env", "--state-dir", stateDir]);
    expect(env.code).toBe(3);
    expect(env.stderr).toMatch(/No sandbox is running in/);
  });
});
