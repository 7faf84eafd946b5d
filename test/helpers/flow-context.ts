/** A Context for calling a flow directly (no CLI), as `plsctl` would build it from this environment. */
import { type Clock, type Context, createContext, type TargetOptions } from "../../src/context.js";
import { readEnv } from "../../src/env.js";
import { makeColors } from "../../src/output/colors.js";
import { showProgress } from "../../src/output/progress.js";
import { createReporter } from "../../src/output/reporter.js";

export interface FlowContext {
  ctx: Context;
  /** Everything the flow reported on stderr. */
  stderr: () => string;
}

export function flowContext(
  env: Record<string, string | undefined>,
  o: { globals?: Partial<TargetOptions>; clock?: Clock; signal?: AbortSignal } = {},
): FlowContext {
  let err = "";
  const stderr = { write: (s: string) => (err += s) };
  const report = createReporter({
    stderr,
    colors: makeColors(0),
    quiet: false,
    verbose: false,
    interactive: false,
    redact: (s) => s,
  });
  const ctx = createContext({
    globals: { cloud: "AzureCloud", ...o.globals },
    env: readEnv({ HOME: "/nonexistent-plsctl-test-home", ...env }),
    report,
    progress: (event) => showProgress(report, event),
    signal: o.signal ?? new AbortController().signal,
    ...(o.clock ? { clock: o.clock } : {}),
  });
  return { ctx, stderr: () => err };
}
