/**
 * A whole sandbox for tests: the ARM emulator, the Kubernetes emulator and the simulated AKS cloud
 * controller, in a fresh temp state directory, on 127.0.0.1 ports chosen by the OS. Delays are zero
 * and the controller's backoff is short unless the caller says otherwise. Reused by the plsctl
 * flow suites: `const sb = await startTestSandbox(); … await sb.controller.idle(); … await sb.close();`
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { type ArmEmulator, startArmEmulator } from "../../../src/sandbox/arm/index.js";
import type { SandboxClock } from "../../../src/sandbox/clock.js";
import { type ArmClient, createArmClient } from "../../../src/sandbox/controller/arm-client.js";
import { type CloudController, startCloudController } from "../../../src/sandbox/controller/index.js";
import { startKubeEmulator } from "../../../src/sandbox/kube/index.js";
import { defaultWorld, type ManagedClusterSpec, type WorldSpec } from "../../../src/sandbox/world.js";
import { seedTls } from "../../helpers/tls.js";

export type KubeEmulator = Awaited<ReturnType<typeof startKubeEmulator>>;

export interface TestSandboxOptions {
  world?: WorldSpec;
  /** ARM long-running operation delay (default 0). */
  lroDelayMs?: number;
  /** How long ARM PUTs of load balancers and PLSs take, which the controller waits for (default 0). */
  provisioningDelayMs?: number;
  /** When ARM's long-running operations end and how the controller waits for them (default: real time). */
  clock?: SandboxClock;
  /** Controller backoff (default 20 ms doubling to 200 ms). */
  retry?: { baseMs: number; maxMs: number };
  /** Start without the controller (e.g. to test plsctl against a cluster whose controller is down). */
  controller?: boolean;
  /** Receives the emulators' and the controller's log lines (default: dropped; stderr if PLSCTL_TEST_LOG is set). */
  log?: (line: string) => void;
}

export interface TestSandbox {
  arm: ArmEmulator;
  kube: KubeEmulator;
  /** Undefined when started with `controller: false`. */
  controller: CloudController;
  cluster: ManagedClusterSpec;
  world: WorldSpec;
  stateDir: string;
  close(): Promise<void>;
}

export async function startTestSandbox(opts: TestSandboxOptions = {}): Promise<TestSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-test-"));
  seedTls(stateDir);
  const world = opts.world ?? defaultWorld();
  const cluster = world.managedClusters[0];
  if (!cluster) throw new Error("startTestSandbox: the world has no managed cluster");
  const log =
    opts.log ??
    (process.env.PLSCTL_TEST_LOG ? (line: string) => void process.stderr.write(`${line}\n`) : undefined);
  const arm = await startArmEmulator({
    stateDir,
    world,
    lroDelayMs: opts.lroDelayMs ?? 0,
    provisioningDelayMs: opts.provisioningDelayMs ?? 0,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(log ? { log } : {}),
  });
  let kube: KubeEmulator | undefined;
  let controller: CloudController | undefined;
  try {
    kube = await startKubeEmulator({
      stateDir,
      world,
      adminToken: () => arm.adminToken,
      ...(log ? { log } : {}),
    });
    const controllerToken = arm.tokens[cluster.controllerIdentity];
    if (!controllerToken) throw new Error(`no ARM token for identity ${cluster.controllerIdentity}`);
    if (opts.controller !== false) {
      controller = await startCloudController({
        kube: { url: kube.url, token: kube.token, caCertPem: kube.caCertPem },
        arm: { url: arm.url, token: controllerToken, caCertPem: arm.caCertPem },
        cluster,
        pollIntervalMs: 10,
        ...(opts.clock ? { clock: opts.clock } : {}),
        retry: opts.retry ?? { baseMs: 20, maxMs: 200 },
        ...(log ? { log } : {}),
      });
    }
  } catch (err) {
    await kube?.close();
    await arm.close();
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  const k = kube;
  const noController: CloudController = { idle: async () => {}, stop: async () => {} };
  return {
    arm,
    kube: k,
    controller: controller ?? noController,
    cluster,
    world,
    stateDir,
    async close() {
      await controller?.stop();
      await k.close();
      await arm.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A client-node KubeConfig for the sandbox (bearer token + sandbox CA, built in code). */
export function kubeConfigOf(sb: TestSandbox): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: "sandbox", server: sb.kube.url, caData: Buffer.from(sb.kube.caCertPem).toString("base64") },
    ],
    users: [{ name: "sandbox", token: sb.kube.token }],
    contexts: [{ name: "sandbox", cluster: "sandbox", user: "sandbox", namespace: "default" }],
    currentContext: "sandbox",
  });
  return kc;
}

/** client-node's CoreV1Api against the sandbox. */
export function coreApi(sb: TestSandbox): CoreV1Api {
  return kubeConfigOf(sb).makeApiClient(CoreV1Api);
}

/** A small ARM JSON client acting as `identity` (default: the provider operator). */
export function armAs(sb: TestSandbox, identity = "provider"): ArmClient {
  const token = sb.arm.tokens[identity];
  if (!token) throw new Error(`no ARM token for identity ${identity}`);
  return createArmClient({ url: sb.arm.url, token, caCertPem: sb.arm.caCertPem, pollIntervalMs: 10 });
}
