/**
 * The one object every command handler gets: output, lazily built Azure and Kubernetes adapters,
 * environment, clock and the abort signal wired to Ctrl-C. Tests build it through `main()`.
 */

import type { Azure } from "./azure/index.js";
import { CLOUDS, type CloudName } from "./domain/cloud.js";
import type { PlsctlEnv } from "./env.js";
import type { Kube } from "./kube/index.js";
import type { Colors } from "./output/colors.js";
import type { OutputFormat } from "./output/format.js";
import type { OutStream } from "./output/io.js";
import type { Reporter } from "./output/reporter.js";

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  subscription?: string;
  tenant?: string;
  cloud: CloudName;
  output: OutputFormat;
  color: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects with an AbortError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Context {
  globals: GlobalOptions;
  env: PlsctlEnv;
  report: Reporter;
  colors: Colors;
  stdout: OutStream;
  clock: Clock;
  signal: AbortSignal;
  /** True when a person can answer prompts (stdin/stderr TTY and not CI). */
  interactive: boolean;
  azure(): Promise<Azure>;
  kube(): Promise<Kube>;
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
  globals: GlobalOptions;
  env: PlsctlEnv;
  report: Reporter;
  colors: Colors;
  stdout: OutStream;
  signal: AbortSignal;
  interactive: boolean;
  clock?: Clock;
  /** Hides a secret found while working (the kubeconfig's bearer token) from all output. */
  addSecret?: (secret: string) => void;
}

/** Builds the context; the SDK-backed adapters are imported only when a handler asks for them. */
export function createContext(parts: ContextParts): Context {
  let azure: Promise<Azure> | undefined;
  let kube: Promise<Kube> | undefined;
  const ctx: Context = {
    ...parts,
    clock: parts.clock ?? systemClock,
    azure: () => {
      azure ??= import("./azure/index.js").then((m) =>
        m.createAzure({
          env: parts.env,
          cloud: CLOUDS[parts.globals.cloud],
          tenant: parts.globals.tenant ?? parts.env.tenantId,
          subscription: parts.globals.subscription ?? parts.env.subscriptionId,
          signal: parts.signal,
          debug: (m) => parts.report.debug(m),
        }),
      );
      return azure;
    },
    kube: () => {
      kube ??= import("./kube/index.js").then((m) =>
        m.createKube({
          env: parts.env,
          kubeconfig: parts.globals.kubeconfig,
          context: parts.globals.context,
          namespace: parts.globals.namespace,
          signal: parts.signal,
          debug: (m) => parts.report.debug(m),
          ...(parts.addSecret ? { addSecret: parts.addSecret } : {}),
        }),
      );
      return kube;
    },
  };
  return ctx;
}
