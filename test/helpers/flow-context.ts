/** A Context for calling a flow directly (no CLI), as `plsctl` would build it from this environment. */
import { type Clock, type Context, createContext, type GlobalOptions } from "../../src/context.js";
import { readEnv } from "../../src/env.js";
import { makeColors } from "../../src/output/colors.js";
import { createReporter } from "../../src/output/reporter.js";

export interface FlowContext {
  ctx: Context;
  /** Everything the flow reported on stderr. */
  stderr: () => string;
}

export function flowContext(
  env: Record<string, string | undefined>,
  o: { globals?: Partial<GlobalOptions>; clock?: Clock; signal?: AbortSignal } = {},
): FlowContext {
  let err = "";
  const stderr = { write: (s: string) => (err += s) };
  const colors = makeColors(0);
  const ctx = createContext({
    globals: { cloud: "AzureCloud", output: "json", color: false, ...o.globals },
    env: readEnv({ HOME: "/nonexistent-plsctl-test-home", ...env }),
    report: createReporter({
      stderr,
      colors,
      quiet: false,
      verbose: false,
      interactive: false,
      redact: (s) => s,
    }),
    colors,
    stdout: { write: () => true },
    signal: o.signal ?? new AbortController().signal,
    interactive: false,
    ...(o.clock ? { clock: o.clock } : {}),
  });
  return { ctx, stderr: () => err };
}
