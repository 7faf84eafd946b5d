import { DESCRIPTION_FLAG, declareDecision, runDecision, SELECTION_HELP } from "./decide-options.js";
import type { Outcome } from "./execute.js";
import type { RootCommand } from "./program.js";
import type { Runtime } from "./runtime.js";

export function registerApprove(
  program: RootCommand,
  runtime: Runtime,
  done: (outcome: Outcome) => void,
): void {
  declareDecision(program, "approve", "approve the selected Pending connections (never re-approves)")
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
    )
    .addHelpText(
      "after",
      `${SELECTION_HELP}
Approve acts on Pending connections: an Approved one is skipped (never written again), a Disconnected
one is skipped, a Rejected one is left out by the selectors (a scheduled run stays green after its
own rejections) and refused when named (exit 1: the partner must recreate its endpoint).

Examples:
  plsctl approve sample-app --from-subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d --all-pending
  plsctl approve sample-app pe-fabrikam.3f2a1b0c --description "Fabrikam, ticket 42"
  plsctl approve --pls /subscriptions/…/privateLinkServices/pls-app --policy partners.yaml --enforce --dry-run -o json
  plsctl approve --all --policy partners.yaml --watch --leader-elect       # in a Deployment`,
    )
    .action(async (args, opts, command) => runDecision(runtime, "approve", args, opts, command, done));
}
