/**
 * `plsctl sandbox`: run the local ARM + Kubernetes emulators and the simulated AKS controller, and
 * hand out the environment that points plsctl and kubectl at them, per identity.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Context } from "../../context.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import type { EnvResult, SandboxEndpoints, SandboxStatus } from "../../domain/results.js";
import { shellArg } from "../../domain/shell.js";
import type { IdentityEnv, SandboxRuntime } from "../../sandbox/index.js";
import { done, notYet, pollUntil } from "../support/poll.js";

export function defaultStateDir(ctx: Context): string {
  return ctx.env.sandboxDir ?? builtInStateDir(ctx);
}

/** The state directory without PLSCTL_SANDBOX_DIR: $XDG_CACHE_HOME/plsctl/sandbox. */
function builtInStateDir(ctx: Context): string {
  const cache = ctx.env.raw.XDG_CACHE_HOME ?? join(ctx.env.raw.HOME ?? homedir(), ".cache");
  return join(cache, "plsctl", "sandbox");
}

/** A state directory, and how a printed command names it so that it works as is. */
export interface StateDir {
  path: string;
  /**
   * ` --state-dir <path>` (shell-quoted) when the user gave one, with the flag or through
   * PLSCTL_SANDBOX_DIR (another terminal may not have it); empty for the built-in default.
   */
  flag: string;
  /** How printed commands start: `plsctl`, or `npx plsctl` when plsctl runs under npx. */
  cli: string;
}

export function stateDirOf(ctx: Context, given: string | undefined): StateDir {
  const cli = ctx.env.cli;
  const builtIn = builtInStateDir(ctx);
  // PLSCTL_SANDBOX_DIR as exported by `sandbox env` for the built-in directory needs no flag.
  const named = given ?? (ctx.env.sandboxDir === builtIn ? undefined : ctx.env.sandboxDir);
  return named === undefined
    ? { path: defaultStateDir(ctx), flag: "", cli }
    : { path: named, flag: ` --state-dir ${shellArg(named)}`, cli };
}

/** The hint for a state directory where no sandbox runs: start one, or name the right directory. */
export function startHint(dir: StateDir): string {
  const start = `Start one (it runs in the foreground, so in another terminal): ${dir.cli} sandbox up${dir.flag}`;
  if (dir.flag) return start;
  return `${start}. If yours runs from another state directory, pass --state-dir <dir> (or run eval "$(${dir.cli} sandbox env --state-dir <dir>)", which exports PLSCTL_SANDBOX_DIR).`;
}

/** The world of `--world <file>` (a usage error naming every problem in it), else undefined. */
export async function loadWorld(path: string | undefined) {
  if (!path) return undefined;
  const { loadWorldFile, WorldFileError } = await import("../../sandbox/world-file.js");
  try {
    return loadWorldFile(path);
  } catch (err) {
    if (err instanceof WorldFileError) throw usageError(err.message, err.hint);
    throw usageError(
      `Cannot load the world file ${path}: ${(err as Error).message}`,
      "See examples/world.yaml for the format.",
    );
  }
}

export interface UpOptions {
  stateDir: StateDir;
  world?: string | undefined;
  armPort?: number | undefined;
  kubePort?: number | undefined;
  /** Loopback address to listen on (`--host`): 127.0.0.1 (default) or localhost. */
  host?: string | undefined;
  proxyPort?: number | undefined;
  lroDelayMs: number;
  provisioningDelayMs: number;
  /** Called once everything listens. */
  onReady: (endpoints: SandboxEndpoints) => void;
  /** This process: a sandbox recorded with its pid is this one, not another that runs. */
  pid: number;
  /** Calls `handler` on SIGHUP until the returned function is called (the process is the command layer's). */
  onHangup: (handler: () => void) => () => void;
}

/** Runs until the context's signal aborts (Ctrl-C); SIGHUP resets to the saved world. */
export async function sandboxUp(ctx: Context, o: UpOptions): Promise<{ stopped: true; stateDir: string }> {
  const sandbox = await import("../../sandbox/index.js");
  const { path: dir, flag } = o.stateDir;
  const { loopbackHost, BindAddressError } = await import("../../sandbox/bind.js");
  try {
    loopbackHost(o.host);
  } catch (err) {
    if (!(err instanceof BindAddressError)) throw err;
    throw usageError(
      `Cannot start the sandbox on --host ${o.host}: ${err.message}.`,
      "Leave --host out (127.0.0.1); to reach the sandbox from another machine, forward its ports over SSH.",
    );
  }
  const live = sandbox.liveRuntime(dir);
  if (live && live.pid !== o.pid) {
    throw new PlsctlError(`A sandbox already runs from ${dir} (pid ${live.pid}).`, {
      exitCode: ExitCode.Failed,
      code: "SandboxRunning",
      hint: `Use it (eval "$(${o.stateDir.cli} sandbox env${flag})"), stop it with Ctrl-C in its terminal, or pass another --state-dir.`,
    });
  }
  const world = await loadWorld(o.world);
  if (world && sandbox.hasState(dir)) {
    ctx.report.warn(
      `${dir} already holds a sandbox; --world applies to a new one only.`,
      `Run: ${o.stateDir.cli} sandbox reset --world ${shellArg(o.world ?? "")}${flag}`,
    );
  }
  const sb = await startOnPorts(ctx, o, (ports) =>
    sandbox.startSandbox({
      stateDir: dir,
      ...(world ? { world } : {}),
      ...ports,
      ...(o.host ? { host: o.host } : {}),
      lroDelayMs: o.lroDelayMs,
      provisioningDelayMs: o.provisioningDelayMs,
      log: (line) => ctx.report.debug(line),
    }),
  );
  o.onReady(sb.runtime);
  const stopHangup = o.onHangup(() => {
    ctx.progress({ kind: "sandbox-resetting" });
    sb.reset().then(
      () => ctx.progress({ kind: "sandbox-reset" }),
      (err) => ctx.report.warn(`Reset failed: ${(err as Error).message}`),
    );
  });
  try {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    stopHangup();
    await sb.close();
  }
  ctx.progress({ kind: "sandbox-stopped" });
  return { stopped: true, stateDir: dir };
}

interface Ports {
  armPort?: number;
  kubePort?: number;
  proxyPort?: number;
}

const PORT_OF = {
  armPort: { name: "Azure Resource Manager", flag: "--arm-port" },
  kubePort: { name: "Kubernetes API", flag: "--kube-port" },
  proxyPort: { name: "partner network proxy", flag: "--proxy-port" },
} as const;

function portOf(url: string | undefined): number | undefined {
  const port = url ? Number(new URL(url).port) : Number.NaN;
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Starts on the ports asked for, else on those of the last run from this state directory (kept in
 * sandbox.json, so environments exported then keep working), else on free ones. A port asked for
 * that another program holds is an error; a recorded one is given up for a free one, with a warning
 * that the environments exported before must be evaluated again.
 */
async function startOnPorts<T extends { runtime: SandboxRuntime }>(
  ctx: Context,
  o: UpOptions,
  start: (ports: Ports) => Promise<T>,
): Promise<T> {
  const { readRuntime } = await import("../../sandbox/index.js");
  const last = readRuntime(o.stateDir.path);
  const ports: Ports = {};
  const armPort = o.armPort ?? portOf(last?.arm.url);
  const kubePort = o.kubePort ?? portOf(last?.kube.url);
  if (armPort) ports.armPort = armPort;
  if (kubePort) ports.kubePort = kubePort;
  const proxyPort = o.proxyPort ?? portOf(last?.proxy?.url);
  if (proxyPort) ports.proxyPort = proxyPort;
  const lost: Array<[keyof Ports, number]> = [];
  for (;;) {
    try {
      const sb = await start({ ...ports });
      for (const [which, port] of lost) {
        const url = {
          armPort: sb.runtime.arm.url,
          kubePort: sb.runtime.kube.url,
          proxyPort: sb.runtime.proxy?.url,
        }[which];
        ctx.report.warn(
          `Port ${port}, where the last run of this sandbox served its ${PORT_OF[which].name}, is taken by another program; it now listens on ${url}.`,
          `Shells that ran eval "$(${o.stateDir.cli} sandbox env${o.stateDir.flag})" before must run it again.`,
        );
      }
      return sb;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { port?: number };
      const which = (["armPort", "kubePort", "proxyPort"] as const).find(
        (k) => ports[k] !== undefined && ports[k] === e.port,
      );
      if (e.code !== "EADDRINUSE" || !which || e.port === undefined) throw err;
      const { name, flag } = PORT_OF[which];
      if (o[which] !== undefined) {
        throw new PlsctlError(
          `Cannot start the sandbox's ${name} on port ${e.port}: another program listens there.`,
          {
            exitCode: ExitCode.Usage,
            code: "PortInUse",
            hint: `Choose another ${flag}, or leave it out to reuse the last run's port (else a free one).`,
          },
        );
      }
      lost.push([which, e.port]);
      delete ports[which];
    }
  }
}

export async function running(dir: StateDir): Promise<SandboxRuntime> {
  const { liveRuntime } = await import("../../sandbox/index.js");
  const live = liveRuntime(dir.path);
  if (!live) {
    throw new PlsctlError(`No sandbox is running in ${dir.path}.`, {
      exitCode: ExitCode.NotFound,
      code: "SandboxNotRunning",
      hint: startHint(dir),
    });
  }
  return live;
}

/** The proxy URL with the identity's VNet as its user part (`http://spoke01@127.0.0.1:P`). */
export function proxyUrl(url: string, vnet: string | undefined): string {
  return vnet ? url.replace(/^http:\/\//, `http://${vnet}@`) : url;
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
  // Not HTTPS_PROXY/ALL_PROXY: ARM and Kubernetes calls must not go through the partner network.
  if (rt.proxy) env.PLSCTL_SANDBOX_PROXY = proxyUrl(rt.proxy.url, id.vnet);
  return { identity: id.name, displayName: id.displayName, env, unset: id.kubeconfig ? [] : ["KUBECONFIG"] };
}

export async function sandboxEnv(stateDir: StateDir, as: string): Promise<EnvResult> {
  const rt = await running(stateDir);
  const id = rt.identities.find((i) => i.name === as);
  if (!id) {
    throw usageError(
      `The sandbox has no identity "${as}".`,
      `Choose one of: ${rt.identities.map((i) => i.name).join(", ")}.`,
    );
  }
  const r = identityEnv(rt, id);
  // Later sandbox commands in the same shell (faults, requests, status) find this sandbox too.
  return { ...r, env: { ...r.env, PLSCTL_SANDBOX_DIR: resolve(stateDir.path) } };
}

/** The sandbox's clusters; a sandbox.json of an older plsctl knows only the one of `kube`. */
function clustersOf(rt: SandboxRuntime): Array<{ name: string; url: string; context: string }> {
  return rt.clusters ?? [{ name: rt.kube.context, url: rt.kube.url, context: rt.kube.context }];
}

export async function sandboxStatus(stateDir: string): Promise<SandboxStatus> {
  const { liveRuntime } = await import("../../sandbox/index.js");
  const rt = liveRuntime(stateDir);
  const up = rt !== undefined;
  return {
    running: up,
    stateDir,
    pid: up ? rt.pid : null,
    startedAt: up ? rt.startedAt : null,
    arm: up ? rt.arm.url : null,
    kube: up ? rt.kube.url : null,
    proxy: up ? (rt.proxy?.url ?? null) : null,
    kubeconfig: up ? rt.kube.kubeconfigPath : null,
    identities: up ? rt.identities.map((i) => i.name) : [],
    clusters: up ? clustersOf(rt) : [],
  };
}

const RESET_TIMEOUT_MS = 15_000;

export interface ResetOptions {
  stateDir: string;
  world?: string | undefined;
  /** Sends SIGHUP to the running sandbox's process (the process is the command layer's). */
  hangUp: (pid: number) => void;
}

/** Back to the (default or given) world: through the running sandbox (SIGHUP), else on disk. */
export async function sandboxReset(
  ctx: Context,
  o: ResetOptions,
): Promise<{ reset: true; running: boolean }> {
  const { stateDir } = o;
  const sandbox = await import("../../sandbox/index.js");
  const world = await loadWorld(o.world);
  const rt = sandbox.liveRuntime(stateDir);
  if (!rt) {
    sandbox.clearState(stateDir, world);
    return { reset: true, running: false };
  }
  sandbox.clearState(stateDir, world);
  const before = rt.resetAt;
  o.hangUp(rt.pid);
  // The running sandbox records the reset in sandbox.json once it has reloaded its world.
  return pollUntil({
    check: async () =>
      sandbox.readRuntime(stateDir)?.resetAt !== before
        ? done({ reset: true as const, running: true })
        : notYet,
    backoff: [100],
    signal: ctx.signal,
    clock: ctx.clock,
    timeoutMs: RESET_TIMEOUT_MS,
    onTimeout: () =>
      new PlsctlError(`The sandbox (pid ${rt.pid}) did not confirm the reset within 15 s.`, {
        exitCode: ExitCode.Timeout,
        hint: "Look at its terminal; restart it if it hangs.",
      }),
  });
}
