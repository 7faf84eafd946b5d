/** What approve, reject and remove share: their selection flags and how a run is reported. */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { Verb } from "../domain/decide.js";
import type { Outcome } from "./execute.js";
import { collect, plsTargetOf, withPlsTargetOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function declareDecision(program: RootCommand, verb: Verb, summary: string) {
  const declared = program
    .command(verb)
    .summary(summary)
    .argument(
      "[args...]",
      "the Service (in --namespace), then connection names; with --pls, -A or --all only connection names",
    );
  return withPlsTargetOptions(declared)
    .option("--all-pending", "every Pending connection")
    .option(
      "--from-subscription <id>",
      "connections from this subscription (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--message-match <regex>",
      "connections whose description (a Pending one's request message) matches",
    )
    .option("--policy <file>", "connections a partner entry of this policy file allows")
    .option("--dry-run", "print the plan, write nothing")
    .option("--fail-if-none", "exit 1 when the selection takes no connection")
    .option("--concurrency <n>", "writes at a time, at most (halved while Azure throttles)", "8");
}

type Declared = ReturnType<typeof declareDecision>;
type DecisionOpts = ReturnType<Declared["opts"]>;

/** `--description`: approve and reject write it; remove writes none, so it does not take the flag. */
export const DESCRIPTION_FLAG = [
  "--description <text>",
  "the description written with the decision",
] as const;

/** Extra fields of approve (--enforce, --prune, and the --watch loop) and of approve/reject (--description). */
export interface ExtraSelection {
  description?: string | undefined;
  enforce?: boolean | undefined;
  prune?: boolean | undefined;
  watch?: boolean | undefined;
  interval?: string | undefined;
  for?: string | undefined;
  leaderElect?: boolean | undefined;
  leaseName?: string | undefined;
  leaseNamespace?: string | undefined;
  metricsAddr?: string | undefined;
}

/** The action of approve/reject/remove: parse the selection, run one pass, print, set the exit code. */
export async function runDecision<C extends Command<[string[]], OptionValues, OptionValues>>(
  runtime: Runtime,
  verb: Verb,
  args: string[],
  opts: DecisionOpts & ExtraSelection,
  command: C,
  done: (outcome: Outcome) => void,
): Promise<void> {
  if (verb === "remove" && opts.description !== undefined) {
    const { usageError } = await import("../domain/errors.js");
    throw usageError(
      "--description does nothing for remove: a removal deletes the connection and writes no description.",
      "Leave --description out (approve and reject write it).",
    );
  }
  // --watch: its flags checked before any I/O, and its context (graceful stop, metrics).
  const watch = opts.watch ? (await import("./decide-watch.js")).prepareWatch(runtime, opts) : undefined;
  const ctx = await contextFor(runtime, command as never, watch?.contextOptions);
  const [{ runDecide }, { readSelection }, { renderDecisions }, { writeResult }] = await Promise.all([
    import("../flows/decide.js"),
    import("../flows/support/selection.js"),
    import("../output/decisions.js"),
    import("../output/result.js"),
  ]);
  const byPls = opts.pls !== undefined || opts.allServices || opts.all;
  const service = byPls ? undefined : args[0];
  const names = byPls ? args : args.slice(1);
  const selection = await readSelection({
    names,
    allPending: Boolean(opts.allPending),
    fromSubscriptions: opts.fromSubscription,
    messageMatch: opts.messageMatch,
    policy: opts.policy,
    enforce: Boolean(opts.enforce),
    prune: Boolean(opts.prune),
    policyRevision: ctx.env.policyRevision,
  });
  const options = {
    service,
    ...plsTargetOf(opts),
    selection,
    description: opts.description,
    dryRun: opts.dryRun,
    failIfNone: opts.failIfNone,
    concurrency: Number(opts.concurrency),
  };
  if (watch) {
    await watch.run(ctx, (passCtx, stopping) => runDecide(passCtx, verb, { ...options, stopping }));
    return;
  }
  if (
    opts.for !== undefined ||
    opts.leaderElect ||
    opts.metricsAddr !== undefined ||
    command.getOptionValueSource("interval") === "cli"
  ) {
    const { usageError } = await import("../domain/errors.js");
    throw usageError(
      "--interval, --for, --leader-elect and --metrics-addr go with --watch.",
      "Add --watch, or leave them out.",
    );
  }
  const result = await runDecide(ctx, verb, options);
  await writeResult(ctx, result, renderDecisions);
  done({ result, exitCode: result.exitCode });
}

export const SELECTION_HELP = `
Selection: every selector given must hold (names AND --all-pending AND --from-subscription AND
--message-match AND --policy); with none, nothing happens (exit 2). --message-match takes Pending
connections only, and a policy entry's message is checked on Pending ones only (after a decision
the description is the provider's). --pls also takes a Key Vault, SQL server or Storage account id. One list per target,
one write per changed connection. Exit 0 when nothing failed, 1 when a connection failed
or was refused, 2 on bad input, 4 when a write was not authorised.`;
