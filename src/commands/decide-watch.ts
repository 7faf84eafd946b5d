/**
 * `approve --watch`: the same pass again every --interval (± 10 %) until Ctrl-C or --for, with
 * --leader-elect only while this replica holds the Lease. Each pass is printed as it ends: the
 * table, or with -o json one compact document per line (JSON Lines, as `kubectl get -w -o json`
 * streams), so a consumer reads one document per pass.
 */
import type { Context } from "../context.js";
import type { DecideResult } from "../domain/decide.js";
import { parseDuration } from "../domain/duration.js";
import { PlsctlError } from "../domain/errors.js";
import { countsOf, renderDecisions } from "../output/decisions.js";
import { writeResult } from "../output/result.js";
import type { CommandContext } from "./runtime.js";

export interface WatchFlags {
  interval?: string | undefined;
  for?: string | undefined;
  leaderElect?: boolean | undefined;
  leaseName?: string | undefined;
  leaseNamespace?: string | undefined;
}

/** One line per connection refused or failed in a pass. */
export const problemLines = (r: DecideResult): string[] =>
  r.results
    .filter((d) => d.outcome === "refused" || d.outcome === "failed")
    .map((d) => `${d.outcome}: connection ${d.name} of ${d.pls}: ${d.reason}`);

export async function watchDecisions(
  ctx: CommandContext,
  flags: WatchFlags,
  pass: (ctx: Context) => Promise<DecideResult>,
): Promise<void> {
  const intervalMs = parseDuration(flags.interval ?? "30s", "--interval");
  const forMs = flags.for !== undefined ? parseDuration(flags.for, "--for") : undefined;
  const { runWatchLoop } = await import("../flows/watch-loop.js");
  const summary = await runWatchLoop(
    ctx,
    {
      intervalMs,
      ...(forMs !== undefined ? { forMs } : {}),
      ...(flags.leaderElect
        ? {
            leader: {
              name: flags.leaseName ?? "plsctl-approver",
              ...(flags.leaseNamespace ? { namespace: flags.leaseNamespace } : {}),
            },
          }
        : {}),
      summarize: (r) => countsOf(r.summary) || "nothing selected",
    },
    pass,
    (r) => {
      if (ctx.globals.output === "json") ctx.stdout.write(`${JSON.stringify(r)}\n`);
      else void writeResult(ctx, r, renderDecisions);
      // The loop goes on, so its exit code cannot say it: each refusal or failure on stderr.
      for (const line of problemLines(r)) ctx.report.warn(line);
    },
  );
  if (summary.stoppedBy === "interrupted") throw ctx.signal.reason;
  if (summary.failures > 0) {
    throw new PlsctlError(`${summary.failures} of ${summary.passes} passes failed.`, {
      hint: "The warnings above say why; each later pass tried again.",
    });
  }
}
