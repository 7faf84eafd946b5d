/**
 * The one object every flow gets: the global options that choose the cluster and the Azure
 * identity, the environment, lazily built Azure and Kubernetes adapters, progress events, notes,
 * clock and the abort signal wired to Ctrl-C. The command layer builds it (commands/runtime.ts)
 * and adds what only commands use: the reporter, colours, stdout.
 */

import type { Azure } from "./azure/index.js";
import { CLOUDS, type CloudName } from "./domain/cloud.js";
import type { ProgressEvent } from "./domain/progress.js";
import { type EnvSource, type PlsctlEnv, readEnv } from "./env.js";
import type { Kube } from "./kube/index.js";

/** The global options the adapters are built from (the command layer declares them all). */
export interface TargetOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  subscription?: string | undefined;
  tenant?: string | undefined;
  cloud: CloudName;
}

export interface Clock {
  now(): number;
  /**
   * Resolves after `ms`; when `signal` aborts first it rejects with an AbortError (a test's clock
   * may resolve instead: check the signal after). `background`: a timer beside the work (a
   * deadline's backstop), not a wait of the work itself — a test clock moves time on to it only
   * while the work waits on the clock too.
   */
  sleep(ms: number, signal?: AbortSignal, options?: { background?: boolean }): Promise<void>;
}

/** What a flow may say besides progress: warnings (stderr, every output format) and --verbose lines. */
export interface Notes {
  warn(message: string, hint?: string): void;
  debug(message: string): void;
}

export interface Context {
  globals: TargetOptions;
  env: PlsctlEnv;
  report: Notes;
  /** Progress of the work, as typed events; src/output words them. */
  progress(event: ProgressEvent): void;
  clock: Clock;
  signal: AbortSignal;
  azure(): Promise<Azure>;
  kube(): Promise<Kube>;
  /**
   * Starts loading the code of adapters a flow is about to need, without creating them, so that
   * it loads while the flow waits on the network. Never fails: a loading error shows when the
   * flow asks for the adapter.
   */
  prefetch(...adapters: Array<"azure" | "kube">): void;
  /** The same context acting as someone else: other environment variables and global options. */
  actingAs(who: { env: EnvSource; globals: TargetOptions }): Context;
  /** The same context on another kubeconfig context (another cluster): `migrate --to-context`. */
  onKubeContext(name: string): Context;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export interface ContextParts {
  globals: TargetOptions;
  env: PlsctlEnv;
  report: Notes;
  progress(event: ProgressEvent): void;
  signal: AbortSignal;
  clock?: Clock;
  /** Hides a secret found while working (the kubeconfig's bearer token) from all output. */
  addSecret?: (secret: string) => void;
}

/** Builds the context; the SDK-backed adapters are imported only when a flow asks for them. */
export function createContext(parts: ContextParts): Context {
  let azure: Promise<Azure> | undefined;
  let kube: Promise<Kube> | undefined;
  let azureCode: Promise<typeof import("./azure/index.js")> | undefined;
  let kubeCode: Promise<typeof import("./kube/index.js")> | undefined;
  const loadAzure = () => (azureCode ??= import("./azure/index.js"));
  const loadKube = () => (kubeCode ??= import("./kube/index.js"));
  const { globals, env, report, signal } = parts;
  const clock = parts.clock ?? systemClock;
  return {
    globals,
    env,
    report,
    progress: parts.progress,
    signal,
    clock,
    azure: () => {
      azure ??= loadAzure().then((m) =>
        m.createAzure({
          env,
          cloud: CLOUDS[globals.cloud],
          tenant: globals.tenant ?? env.tenantId,
          subscription: globals.subscription ?? env.subscriptionId,
          signal,
          debug: (m) => report.debug(m),
          clock,
          onRetry: (n) => parts.progress({ kind: "arm-retry", ...n }),
          onAnswer: (a) => parts.progress({ kind: "arm-answer", ...a }),
        }),
      );
      return azure;
    },
    kube: () => {
      kube ??= loadKube().then((m) =>
        m.createKube({
          env,
          kubeconfig: globals.kubeconfig,
          context: globals.context,
          namespace: globals.namespace,
          signal,
          debug: (m) => report.debug(m),
          ...(parts.addSecret ? { addSecret: parts.addSecret } : {}),
        }),
      );
      return kube;
    },
    prefetch: (...adapters) => {
      for (const a of adapters) (a === "azure" ? loadAzure() : loadKube()).catch(() => {});
    },
    actingAs: (who) => createContext({ ...parts, env: readEnv(who.env), globals: who.globals }),
    onKubeContext: (name) => createContext({ ...parts, globals: { ...globals, context: name } }),
  };
}
