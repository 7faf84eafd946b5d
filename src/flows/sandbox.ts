/**
 * `plsctl sandbox`: run the local ARM + Kubernetes emulators and the simulated AKS controller, and
 * hand out the environment that points plsctl and kubectl at them, per identity.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Context } from "../context.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import type { IdentityEnv, SandboxRuntime } from "../sandbox/index.js";

export function defaultStateDir(ctx: Context): string {
  if (ctx.env.sandboxDir) return ctx.env.sandboxDir;
  const cache = ctx.env.raw.XDG_CACHE_HOME ?? join(ctx.env.raw.HOME ?? homedir(), ".cache");
  return join(cache, "plsctl", "sandbox");
}

async function loadWorld(path: string | undefined) {
  if (!path) return undefined;
  const { loadWorldFile } = await import("../sandbox/world-file.js");
  try {
    return loadWorldFile(path);
  } catch (err) {
    throw usageError(
      `Cannot load the world file ${path}: ${(err as Error).message}`,
      "See examples/world.yaml for the format.",
    );
  }
}

export interface UpOptions {
  stateDir: string;
  world?: string | undefined;
  armPort?: number | undefined;
  kubePort?: number | undefined;
  lroDelayMs: number;
  provisioningDelayMs: number;
  /** Called once everything listens. */
  onReady: (runtime: SandboxRuntime) => void;
}

/** Runs until the context's signal aborts (Ctrl-C); SIGHUP resets to the saved world. */
export async function sandboxUp(ctx: Context, o: UpOptions): Promise<{ stopped: true; stateDir: string }> {
  const sandbox = await import("../sandbox/index.js");
  const live = sandbox.liveRuntime(o.stateDir);
  if (live && live.pid !== process.pid) {
    throw new PlsctlError(`A sandbox already runs from ${o.stateDir} (pid ${live.pid}).`, {
      exitCode: ExitCode.Failed,
      code: "SandboxRunning",
      hint: 'Use it (eval "$(plsctl sandbox env)"), stop it with Ctrl-C in its terminal, or pass another --state-dir.',
    });
  }
  const world = await loadWorld(o.world);
  if (world && sandbox.hasState(o.stateDir)) {
    ctx.report.warn(
      `${o.stateDir} already holds a sandbox; --world applies to a new one only.`,
      `Run: plsctl sandbox reset --world ${o.world} --state-dir ${o.stateDir}`,
    );
  }
  const previous = live
    ? { arm: Number(new URL(live.arm.url).port), kube: Number(new URL(live.kube.url).port) }
    : undefined;
  const start = (armPort?: number, kubePort?: number) =>
    sandbox.startSandbox({
      stateDir: o.stateDir,
      ...(world ? { world } : {}),
      ...(armPort ? { armPort } : {}),
      ...(kubePort ? { kubePort } : {}),
      lroDelayMs: o.lroDelayMs,
      provisioningDelayMs: o.provisioningDelayMs,
      log: (line) => ctx.report.debug(line),
    });
  let sb: Awaited<ReturnType<typeof start>>;
  try {
    // Reuse the ports of the previous run so exported environments keep working.
    sb = await start(o.armPort ?? previous?.arm, o.kubePort ?? previous?.kube);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    if (o.armPort || o.kubePort)
      throw usageError(`Port in use: ${(err as Error).message}.`, "Pick other --arm-port/--kube-port.");
    sb = await start();
  }
  o.onReady(sb.runtime);
  const onHup = () => {
    ctx.report.info("Resetting the sandbox to its world (SIGHUP)…");
    sb.reset().then(
      () => ctx.report.info("Sandbox reset."),
      (err) => ctx.report.warn(`Reset failed: ${(err as Error).message}`),
    );
  };
  process.on("SIGHUP", onHup);
  try {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    process.off("SIGHUP", onHup);
    await sb.close();
  }
  ctx.report.info("Sandbox stopped; its state is kept.");
  return { stopped: true, stateDir: o.stateDir };
}

async function running(stateDir: string): Promise<SandboxRuntime> {
  const { liveRuntime } = await import("../sandbox/index.js");
  const live = liveRuntime(stateDir);
  if (!live) {
    throw new PlsctlError(`No sandbox is running from ${stateDir}.`, {
      exitCode: ExitCode.Failed,
      code: "SandboxNotRunning",
      hint: `Start one in another terminal: plsctl sandbox up${stateDir ? ` --state-dir ${stateDir}` : ""}`,
    });
  }
  return live;
}

export interface EnvResult {
  identity: string;
  displayName: string;
  env: Record<string, string>;
  unset: string[];
}

export function identityEnv(rt: SandboxRuntime, id: IdentityEnv): EnvResult {
  const env: Record<string, string> = {
    PLSCTL_ARM_ENDPOINT: rt.arm.url,
    PLSCTL_CA_FILE: rt.arm.caFile,
    PLSCTL_ACCESS_TOKEN: id.token,
    AZURE_SUBSCRIPTION_ID: id.subscriptionId,
    AZURE_TENANT_ID: id.tenantId,
  };
  if (id.kubeconfig) env.KUBECONFIG = id.kubeconfig;
  return { identity: id.name, displayName: id.displayName, env, unset: id.kubeconfig ? [] : ["KUBECONFIG"] };
}

export async function sandboxEnv(stateDir: string, as: string): Promise<EnvResult> {
  const rt = await running(stateDir);
  const id = rt.identities.find((i) => i.name === as);
  if (!id) {
    throw usageError(
      `The sandbox has no identity "${as}".`,
      `Choose one of: ${rt.identities.map((i) => i.name).join(", ")}.`,
    );
  }
  return identityEnv(rt, id);
}

export interface StatusResult {
  running: boolean;
  stateDir: string;
  pid: number | null;
  startedAt: string | null;
  arm: string | null;
  kube: string | null;
  kubeconfig: string | null;
  identities: string[];
}

export async function sandboxStatus(stateDir: string): Promise<StatusResult> {
  const { liveRuntime } = await import("../sandbox/index.js");
  const rt = liveRuntime(stateDir);
  const up = rt !== undefined;
  return {
    running: up,
    stateDir,
    pid: up ? rt.pid : null,
    startedAt: up ? rt.startedAt : null,
    arm: up ? rt.arm.url : null,
    kube: up ? rt.kube.url : null,
    kubeconfig: up ? rt.kube.kubeconfigPath : null,
    identities: up ? rt.identities.map((i) => i.name) : [],
  };
}

/** Back to the (default or given) world: through the running sandbox (SIGHUP), else on disk. */
export async function sandboxReset(
  ctx: Context,
  stateDir: string,
  worldPath?: string,
): Promise<{ reset: true; running: boolean }> {
  const sandbox = await import("../sandbox/index.js");
  const world = await loadWorld(worldPath);
  const rt = sandbox.liveRuntime(stateDir);
  if (!rt) {
    sandbox.clearState(stateDir, world);
    return { reset: true, running: false };
  }
  sandbox.clearState(stateDir, world);
  const before = rt.resetAt;
  process.kill(rt.pid, "SIGHUP");
  const deadline = ctx.clock.now() + 15_000;
  while (ctx.clock.now() < deadline) {
    await ctx.clock.sleep(100, ctx.signal);
    if (sandbox.readRuntime(stateDir)?.resetAt !== before) return { reset: true, running: true };
  }
  throw new PlsctlError(`The sandbox (pid ${rt.pid}) did not confirm the reset within 15 s.`, {
    exitCode: ExitCode.Timeout,
    hint: "Look at its terminal; restart it if it hangs.",
  });
}
