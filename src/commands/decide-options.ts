/**
 * What approve, reject and remove share: their selection flags, the flags → input step, one pass of
 * the flow, the rendering and exit code of its result, and the docs of the selection.
 */
import type { Context } from "../context.js";
import type { DecideResult, Verb } from "../domain/decide.js";
import { ExitCode, type ExitCodeValue, usageError } from "../domain/errors.js";
import { parseSelection, type SelectionInput } from "../domain/selection.js";
import type { Bare, CommandDoc } from "./declare.js";
import { collect, plsTargetOf, withPlsTargetOptions } from "./options.js";

export function declareDecision(command: Bare) {
  return withPlsTargetOptions(
    command.argument(
      "[args...]",
      "the Service (in --namespace), then connection names; with --pls, -A or --all only connection names",
    ),
  )
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

type DecisionOpts = ReturnType<ReturnType<typeof declareDecision>["opts"]>;

/** `--description`: approve and reject write it; remove writes none, so it does not take the flag. */
export const DESCRIPTION_FLAG = [
  "--description <text>",
  "the description written with the decision",
] as const;

/** The flags approve adds to the selection (--enforce, --prune) and approve/reject's --description. */
interface ExtraSelection {
  description?: string | undefined;
  enforce?: true | undefined;
  prune?: true | undefined;
}

/** approve, reject or remove, as the flow takes it; the policy file is read when it runs. */
export interface DecisionInput {
  verb: Verb;
  service: string | undefined;
  pls: string | undefined;
  allServices: true | undefined;
  all: true | undefined;
  clusterName: string | undefined;
  subscriptions: string | undefined;
  cluster: string | undefined;
  clusterResourceGroup: string | undefined;
  selection: SelectionInput;
  description: string | undefined;
  dryRun: true | undefined;
  failIfNone: true | undefined;
  concurrency: number;
}

/** Pure: the parsed flags → the input (a bad regex or subscription id is refused here, exit 2). */
export function decisionInput(
  verb: Verb,
  args: string[],
  opts: DecisionOpts & ExtraSelection,
): DecisionInput {
  if (verb === "remove" && opts.description !== undefined)
    throw usageError(
      "--description does nothing for remove: a removal deletes the connection and writes no description.",
      "Leave --description out (approve and reject write it).",
    );
  const byPls = opts.pls !== undefined || opts.allServices || opts.all;
  return {
    verb,
    service: byPls ? undefined : args[0],
    ...plsTargetOf(opts),
    selection: parseSelection({
      names: byPls ? args : args.slice(1),
      allPending: Boolean(opts.allPending),
      fromSubscriptions: opts.fromSubscription,
      messageMatch: opts.messageMatch,
      policy: opts.policy,
      enforce: Boolean(opts.enforce),
      prune: Boolean(opts.prune),
    }),
    description: opts.description,
    dryRun: opts.dryRun,
    failIfNone: opts.failIfNone,
    concurrency: Number(opts.concurrency),
  };
}

/** One pass of the flow for `input`, with its policy file read (once, before the first pass). */
export type DecisionPass = (ctx: Context, stopping?: AbortSignal) => Promise<DecideResult>;

export async function decisionPass(ctx: Context, input: DecisionInput): Promise<DecisionPass> {
  const [{ runDecide }, { loadSelection }] = await Promise.all([
    import("../flows/decide.js"),
    import("../flows/support/selection.js"),
  ]);
  const { verb, selection, ...options } = input;
  const loaded = await loadSelection(selection, ctx.env.policyRevision);
  return (passCtx, stopping) => runDecide(passCtx, verb, { ...options, selection: loaded, stopping });
}

/** What approve, reject and remove declare alike: one pass, its rendering, its exit code, its docs. */
export const DECISION = {
  run: async (ctx: Context, input: DecisionInput) => (await decisionPass(ctx, input))(ctx),
  render: async () => (await import("../output/decisions.js")).renderDecisions,
  exitCode: (result: DecideResult): ExitCodeValue => result.exitCode,
  exitCodes: [
    [ExitCode.Ok, "nothing failed (a connection skipped is not a failure)"],
    [
      ExitCode.Failed,
      "a connection failed or was refused (each says why), or none was selected with --fail-if-none",
    ],
    [ExitCode.Usage, "bad input (nothing selected, a bad flag or policy file): nothing was written"],
    [ExitCode.NotFound, "the Service, the Private Link Service or a named connection does not exist"],
    [ExitCode.Auth, "a write was not authorised"],
  ],
  json: `{
  verb: "approve" | "reject" | "remove"; dryRun: boolean; absent?: string[]
  results: { pls, plsId, name: string; requester, privateEndpointId: string | null; from: string; to: string | null
    action: "approve" | "reject" | "remove" | "none"; outcome: "approved" | "rejected" | "removed" | "skipped" | "refused" | "failed"
    reason: string; rule, description: string | null }[]
  summary: { approved, rejected, removed, skipped, refused, failed: number }
  exitCode: 0 | 1 | 4
}`,
} satisfies Partial<CommandDoc> & Record<string, unknown>;

/** How the selection works, for each verb's notes. */
export const SELECTION_NOTES = `Selection: every selector given must hold (names AND --all-pending AND --from-subscription AND
--message-match AND --policy); with none, nothing happens (exit 2). --message-match takes Pending
connections only, and a policy entry's message is checked on Pending ones only (after a decision
the description is the provider's). --pls also takes a Key Vault, SQL server or Storage account id. One list per target,
one write per changed connection.`;
