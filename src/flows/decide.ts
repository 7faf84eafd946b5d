/**
 * `plsctl approve` / `reject` / `remove`, one pass: list each PLS's connections once, decide
 * (src/domain/decide.ts), then one write per changed connection — concurrent under an adaptive
 * limit, each failure recorded on its own connection. `approve --watch` repeats the pass
 * (flows/support/watch-loop.ts).
 */
import { removeConnection, setConnectionState, throttledSoFar } from "../azure/connections.js";
import type { Context } from "../context.js";
import { DESCRIPTION_MAX, DESCRIPTION_TEXT_MAX } from "../domain/audit.js";
import {
  type DecideResult,
  type Decision,
  hasSelector,
  plan,
  type Selection,
  summarize,
  unknownNames,
  type Verb,
} from "../domain/decide.js";
import { ExitCode, type ExitCodeValue, isAbortError, PlsctlError, usageError } from "../domain/errors.js";
import { recordDecisionEvents } from "./support/decision-events.js";
import { recordDecisions } from "./support/inventory.js";
import { runAdaptive } from "./support/limiter.js";
import { findTargets, type Which } from "./support/targets.js";

export const DEFAULT_CONCURRENCY = 8;

const STOPPING = "not written: plsctl was stopping; the next pass (or replica) decides it.";

export interface DecideOptions extends Which {
  selection: Selection;
  description?: string | undefined;
  dryRun?: boolean | undefined;
  failIfNone?: boolean | undefined;
  concurrency?: number | undefined;
  /** `approve --watch` stopping (SIGTERM): writes in flight settle, no new one starts. */
  stopping?: AbortSignal | undefined;
}

function checkOptions(verb: Verb, o: DecideOptions): void {
  if (!hasSelector(o.selection)) {
    throw usageError(
      `Nothing selected: plsctl never ${verb === "remove" ? "removes" : `${verb}s`} connections implicitly.`,
      "Name the connections, or select them with --all-pending, --from-subscription <id>, --message-match <regex> or --policy <file>.",
    );
  }
  if (o.selection.enforce && (verb !== "approve" || !o.selection.policy))
    throw usageError("--enforce goes with approve --policy <file>.");
  if (o.selection.prune && !o.selection.enforce) throw usageError("--prune goes with --enforce.");
  if (o.description !== undefined && o.description.length > DESCRIPTION_TEXT_MAX)
    throw usageError(
      `--description is ${o.description.length} characters; at most ${DESCRIPTION_TEXT_MAX} fit beside the audit marker plsctl appends (rule and policy revision) in Azure's ${DESCRIPTION_MAX}.`,
      "Shorten it; the full story belongs in the ticket it names.",
    );
  const c = o.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(c) || c < 1 || c > 64)
    throw usageError("--concurrency must be an integer from 1 to 64.");
}

function exitCodeOf(results: Decision[], authFailed: boolean, failIfNone: boolean): ExitCodeValue {
  if (authFailed) return ExitCode.Auth;
  if (results.some((r) => r.outcome === "failed" || r.outcome === "refused")) return ExitCode.Failed;
  if (failIfNone && results.length === 0) return ExitCode.Failed;
  return ExitCode.Ok;
}

const countWrites = (ds: Decision[]) => ({
  approve: ds.filter((d) => d.action === "approve").length,
  reject: ds.filter((d) => d.action === "reject").length,
  remove: ds.filter((d) => d.action === "remove").length,
});

export async function runDecide(ctx: Context, verb: Verb, o: DecideOptions): Promise<DecideResult> {
  checkOptions(verb, o);
  const { azure, targets } = await findTargets(ctx, o);
  const missing = unknownNames(o.selection.names, targets);
  // remove: a named connection that is not there is what a re-run finds (already removed): done.
  // approve/reject: a typo must not pass silently.
  const absent = verb === "remove" ? missing : [];
  if (missing.length > 0 && verb !== "remove") {
    throw new PlsctlError(
      `No connection named ${missing.join(", ")} on ${targets.map((t) => t.pls.name).join(", ") || "any Private Link Service found"}.`,
      {
        exitCode: ExitCode.NotFound,
        code: "ConnectionNotFound",
        hint: "Names are the connections' names (or their private endpoint's); list them with `plsctl connections` and the same Service or --pls.",
      },
    );
  }
  const byId = new Map(targets.map((t) => [t.pls.id, t]));
  const planned = targets.flatMap((t) => plan(verb, o.selection, t, o.description));
  const writes = planned.filter((d) => d.action !== "none");
  if (o.dryRun) {
    return {
      verb,
      dryRun: true,
      ...(absent.length > 0 ? { absent } : {}),
      results: planned,
      summary: summarize(planned),
      exitCode: exitCodeOf(planned, false, Boolean(o.failIfNone)),
    };
  }
  ctx.progress({
    kind: "deciding",
    verb,
    count: writes.length,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
    writes: countWrites(writes),
  });
  let authFailed = false;
  const landed: Decision[] = [];
  const write = async (d: Decision): Promise<Decision> => {
    const t = byId.get(d.plsId);
    const c = t?.connections.find((x) => x.name === d.name);
    if (!t || !c) return d;
    if (o.stopping?.aborted) return { ...d, action: "none", to: null, outcome: "skipped", reason: STOPPING };
    try {
      if (d.action === "remove") await removeConnection(azure, t.pls, c.name);
      else
        await setConnectionState(
          azure,
          t.pls,
          c,
          d.action === "approve" ? "Approved" : "Rejected",
          d.description ?? "",
        );
      landed.push(d);
      return d;
    } catch (err) {
      if (isAbortError(err) || ctx.signal.aborted) throw err;
      if (!(err instanceof PlsctlError)) throw err;
      if (err.exitCode === ExitCode.Auth) authFailed = true;
      return {
        ...d,
        to: null,
        outcome: "failed",
        reason: err.hint ? `${err.message} ${err.hint}` : err.message,
      };
    }
  };
  const { results: written } = await runAdaptive(writes, o.concurrency ?? DEFAULT_CONCURRENCY, write, () =>
    throttledSoFar(azure),
  ).catch((err: unknown) => {
    // Interrupted: say how many writes landed, so the message names what was done.
    if (isAbortError(err) || ctx.signal.aborted)
      ctx.progress({
        kind: "decide-interrupted",
        done: landed.length,
        count: writes.length,
        writes: countWrites(landed),
        planned: countWrites(writes),
      });
    throw err;
  });
  if (o.service !== undefined) await recordDecisionEvents(ctx, o.service, landed);
  const done = new Map(written.map((d) => [`${d.plsId}|${d.name}`, d]));
  const results = planned.map((d) => done.get(`${d.plsId}|${d.name}`) ?? d);
  await recordDecisions(ctx, o, targets, results);
  return {
    verb,
    dryRun: false,
    ...(absent.length > 0 ? { absent } : {}),
    results,
    summary: summarize(results),
    exitCode: exitCodeOf(results, authFailed, Boolean(o.failIfNone)),
  };
}

/** One approval pass. */
export const runApprove = (ctx: Context, o: DecideOptions): Promise<DecideResult> =>
  runDecide(ctx, "approve", o);

export type { DecideResult } from "../domain/decide.js";
