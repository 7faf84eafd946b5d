/** `plsctl sandbox requests`: the running sandbox's ARM request counters, by identity and operation. */
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

export function registerSandboxRequests(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("requests")
    .summary("count what Azure Resource Manager was asked, by identity and operation")
    .description(
      "The running sandbox's Azure Resource Manager request counters: one row per identity and operation (method and route), reads and writes totals, and the requests no route matched. Test a CI script against the sandbox and assert what it sent, e.g. that a re-run writes nothing. Exits 3 when no sandbox runs from the state directory.",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox requests
  plsctl sandbox requests --reset                     # start counting afresh (prints the counts so far)
  plsctl sandbox requests -o json | jq '.writes'      # 0 when nothing was written
  plsctl sandbox requests -o json | jq '.requests[] | select(.identity == "ci" and .kind == "write")'`,
    );
  withStateDir(declared)
    .option("--reset", "clear the counters after reading them")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxRequests }, { stateDirOf }, { writeResult }, { renderRequests }] = await Promise.all([
        import("../../flows/sandbox/requests.js"),
        import("../../flows/sandbox/index.js"),
        import("../../output/result.js"),
        import("../../output/sandbox-requests.js"),
      ]);
      const result = await sandboxRequests(stateDirOf(ctx, opts.stateDir), { reset: opts.reset === true });
      await writeResult(ctx, result, renderRequests);
    });
}
