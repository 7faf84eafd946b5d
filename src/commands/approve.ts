/** `plsctl approve`: approve the selected Pending connections; `--watch` keeps doing it (in a Deployment). */
import { parseDuration } from "../domain/duration.js";
import { ExitCode, type ExitCodeValue, usageError } from "../domain/errors.js";
import { parseMetricsAddr } from "../domain/metrics-addr.js";
import {
  DECISION,
  DESCRIPTION_FLAG,
  decisionInput,
  decisionPass,
  declareDecision,
  SELECTION_NOTES,
} from "./decide-options.js";
import type { WatchInput, WatchSetup } from "./decide-watch.js";
import { defineCommand, type Parsed } from "./declare.js";

const declareApprove = (c: Parameters<typeof declareDecision>[0]) =>
  declareDecision(c)
    .option(...DESCRIPTION_FLAG)
    .option(
      "--enforce",
      "with --policy: also reject Pending connections no entry allows, and Approved ones no entry allows any more",
    )
    .option("--prune", "with --enforce: remove those Approved connections instead of rejecting them")
    .option(
      "--watch",
      "run again every --interval until stopped (SIGTERM, Ctrl-C: exit 0) or --for (-o json: one line per pass)",
    )
    .option("--interval <duration>", "with --watch: time between passes (each wait ± 10 %)", "30s")
    .option("--for <duration>", "with --watch: stop after this long")
    .option(
      "--leader-elect",
      "with --watch: act only while holding a coordination.k8s.io/v1 Lease (several replicas, one acts)",
    )
    .option("--lease-name <name>", "with --leader-elect: the Lease", "plsctl-approver")
    .option(
      "--lease-namespace <ns>",
      "with --leader-elect: its namespace (default: --namespace, in a pod its own)",
    )
    .option(
      "--metrics-addr <host:port>",
      "with --watch: serve /metrics (Prometheus), /healthz and /readyz there, e.g. 127.0.0.1:9464 (0.0.0.0:9464: every interface)",
    );

type ApproveCommand = ReturnType<typeof declareApprove>;

/** The --watch flags, checked before any I/O; without --watch, its flags are refused. */
function watchInput({ opts, command }: Parsed<[string[]], ReturnType<ApproveCommand["opts"]>>) {
  if (!opts.watch) {
    if (
      opts.for !== undefined ||
      opts.leaderElect ||
      opts.metricsAddr !== undefined ||
      command.getOptionValueSource("interval") === "cli"
    )
      throw usageError(
        "--interval, --for, --leader-elect and --metrics-addr go with --watch.",
        "Add --watch, or leave them out.",
      );
    return undefined;
  }
  const watch: WatchInput = {
    intervalMs: parseDuration(opts.interval, "--interval"),
    forMs: opts.for !== undefined ? parseDuration(opts.for, "--for") : undefined,
    metrics: opts.metricsAddr !== undefined ? parseMetricsAddr(opts.metricsAddr) : undefined,
    leader: opts.leaderElect
      ? { name: opts.leaseName, ...(opts.leaseNamespace ? { namespace: opts.leaseNamespace } : {}) }
      : undefined,
  };
  return watch;
}

/** Where approve's exit codes say more than the other verbs' (how --watch ends). */
const APPROVE_EXIT: Partial<Record<ExitCodeValue, string>> = {
  [ExitCode.Ok]:
    "nothing failed (a connection skipped is not a failure); --watch: stopped (SIGTERM, Ctrl-C), or --for ended with no pass failed",
  [ExitCode.Failed]:
    "a connection failed or was refused (each says why), or none was selected with --fail-if-none; --watch --for: a pass failed",
};

export const approve = defineCommand({
  name: "approve",
  summary: "approve the selected Pending connections (never re-approves)",
  declare: declareApprove,
  input: (parsed) => {
    const watch = watchInput(parsed);
    return { ...decisionInput("approve", parsed.args[0], parsed.opts), watch };
  },
  // --watch: its own context (requests end a grace period after a stop; metrics hear progress).
  context: async (input, runtime): Promise<WatchSetup | undefined> =>
    input.watch && (await import("./decide-watch.js")).prepareWatch(runtime, input.watch),
  async run(ctx, input, watch) {
    const pass = await decisionPass(ctx, input);
    if (!watch) return pass(ctx);
    // Each pass is printed as it ends: there is no result document after the loop.
    await watch.run(ctx, pass);
    return undefined;
  },
  render: DECISION.render,
  exitCode: DECISION.exitCode,
  notes: `${SELECTION_NOTES}

Approve acts on Pending connections: an Approved one is skipped (never written again), a Disconnected
one is skipped, a Rejected one is left out by the selectors (a scheduled run stays green after its
own rejections) and refused when named (exit 1: the partner must recreate its endpoint).
--watch prints each pass as it ends (-o json: one document per line) and exits 0 when stopped.`,
  exitCodes: DECISION.exitCodes.map(([code, when]) => [code, APPROVE_EXIT[code] ?? when] as const),
  json: `${DECISION.json}
(--watch -o json: one such document per line, one per pass)`,
  examples: [
    "plsctl approve sample-app --from-subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d --all-pending",
    'plsctl approve sample-app pe-fabrikam.3f2a1b0c --description "Fabrikam, ticket 42"',
    "plsctl approve --pls /subscriptions/…/privateLinkServices/pls-app --policy partners.yaml --enforce --dry-run -o json",
    "plsctl approve --all --policy partners.yaml --watch --leader-elect       # in a Deployment",
  ],
});
