/**
 * The soak's sandbox: `plsctl sandbox up --world <file>` in a child process (so its work does not
 * share the soak's event loop), the environment of each identity from `plsctl sandbox env --as`,
 * the admin endpoints, and the 20 Services the soak exposes.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { adminRequest } from "../../src/sandbox/arm/admin-client.js";
import type { ArmState } from "../../src/sandbox/arm/types.js";
import type { WorldSpec } from "../../src/sandbox/world.js";

const run = promisify(execFile);
/** The built plsctl: bin/plsctl.js runs dist/cli.js (the current build). */
export const CLI = join("bin", "plsctl.js");

export type Env = Record<string, string>;

export interface SoakSandbox {
  stateDir: string;
  armUrl: string;
  caFile: string;
  kubeconfig: string;
  child: ChildProcess;
  /** The log of the sandbox process (its stdout and stderr). */
  log: string[];
}

interface RuntimeFile {
  pid: number;
  stoppedAt?: string;
  arm: { url: string; caFile: string };
  kube: { kubeconfigPath: string };
}

function readRuntime(stateDir: string): RuntimeFile | undefined {
  const path = join(stateDir, "sandbox.json");
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as RuntimeFile;
  } catch {
    return undefined; // being written
  }
}

export async function startSoakSandbox(stateDir: string, world: WorldSpec): Promise<SoakSandbox> {
  const worldFile = join(stateDir, "..", "soak-world.json");
  writeFileSync(worldFile, JSON.stringify(world, null, 2));
  const args = [CLI, "sandbox", "up", "--state-dir", stateDir, "--world", worldFile];
  // Delays give interrupts something to land in: Azure's operations take a moment, as on Azure.
  args.push("--lro-delay", "1s", "--provisioning-delay", "2s");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: baseEnv() });
  const log: string[] = [];
  const keep = (d: Buffer): void => {
    log.push(d.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`sandbox up exited ${child.exitCode}:\n${log.join("")}`);
    const rt = readRuntime(stateDir);
    if (rt && rt.pid === child.pid && !rt.stoppedAt) {
      return {
        stateDir,
        armUrl: rt.arm.url,
        caFile: rt.arm.caFile,
        kubeconfig: rt.kube.kubeconfigPath,
        child,
        log,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`sandbox up did not start within 30 s:\n${log.join("")}`);
}

export async function stopSoakSandbox(sb: SoakSandbox): Promise<void> {
  if (sb.child.exitCode !== null) return;
  const exited = new Promise((r) => sb.child.once("exit", r));
  sb.child.kill("SIGINT");
  await exited;
}

/** What every spawned plsctl starts from: no colours, no inherited Azure or Kubernetes settings. */
export function baseEnv(): Env {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1" };
}

/** The environment `eval "$(plsctl sandbox env --as <identity>)"` gives. */
export async function identityEnv(sb: SoakSandbox, identity: string): Promise<Env> {
  const { stdout } = await run(
    process.execPath,
    [CLI, "sandbox", "env", "--as", identity, "--state-dir", sb.stateDir],
    { env: baseEnv() },
  );
  const env = baseEnv();
  for (const line of stdout.split("\n")) {
    const m = /^export ([A-Z_][A-Z0-9_]*)='((?:[^']|'\\'')*)'$/.exec(line.trim());
    if (m) env[m[1] as string] = (m[2] as string).replace(/'\\''/g, "'");
  }
  if (!env.PLSCTL_ACCESS_TOKEN) throw new Error(`sandbox env --as ${identity} printed no token`);
  return env;
}

const target = (sb: SoakSandbox) => ({ stateDir: sb.stateDir, url: sb.armUrl, caFile: sb.caFile });

export const armState = (sb: SoakSandbox): Promise<ArmState> =>
  adminRequest(target(sb), "GET", "state") as Promise<ArmState>;

export const putFaults = (sb: SoakSandbox, rules: unknown[]): Promise<unknown> =>
  adminRequest(target(sb), "PUT", "faults", rules);

export const getFaults = (sb: SoakSandbox): Promise<unknown> => adminRequest(target(sb), "GET", "faults");

/** A `type: LoadBalancer` internal Service per name, as the cluster operator would apply it. */
export async function createServices(sb: SoakSandbox, names: readonly string[]): Promise<void> {
  const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  const api = kc.makeApiClient(CoreV1Api);
  for (const name of names) {
    await api.createNamespacedService({
      namespace: "default",
      body: {
        metadata: {
          name,
          annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
        },
        spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
  }
}

/** The Services' annotations, by name. */
export async function serviceAnnotations(sb: SoakSandbox): Promise<Map<string, Record<string, string>>> {
  const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace: "default" });
  return new Map(list.items.map((s) => [s.metadata?.name ?? "", s.metadata?.annotations ?? {}]));
}
