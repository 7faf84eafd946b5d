/** `plsctl sandbox requests`: the running sandbox's ARM request counters, by identity and operation. */
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

export const requests = defineCommand({
  name: "requests",
  summary: "count what Azure Resource Manager was asked, by identity and operation",
  description:
    "The running sandbox's Azure Resource Manager request counters: one row per identity and operation (method and route), reads and writes totals, and the requests no route matched. Test a CI script against the sandbox and assert what it sent, e.g. that a re-run writes nothing. Exits 3 when no sandbox runs from the state directory.",
  declare: (c) => withStateDir(c).option("--reset", "clear the counters after reading them"),
  input: ({ opts }) => ({ stateDir: opts.stateDir, reset: opts.reset === true }),
  async run(ctx, input) {
    const { sandboxRequests } = await import("../../flows/sandbox/requests.js");
    return sandboxRequests(await stateDirIn(ctx, input.stateDir), { reset: input.reset });
  },
  render: async () => (await import("../../output/sandbox-requests.js")).renderRequests,
  exitCodes: [
    [ExitCode.Ok, "the counters were printed (and with --reset, cleared)"],
    [ExitCode.NotFound, "no sandbox runs from the state directory"],
  ],
  json: `{
  stateDir: string; arm: string;
  total, reads, writes, unrouted, unauthenticated: number;   // writes: 0 when nothing was written
  byIdentity: Record<string, { total, reads, writes: number }>;
  requests: Array<{ identity, operation, method, route: string; kind: "read" | "write"; count: number }>;
  unroutedRequests: string[];
  reset: boolean;   // the counters were cleared after this read
}`,
  examples: [
    "plsctl sandbox requests",
    "plsctl sandbox requests --reset                     # start counting afresh (prints the counts so far)",
    "plsctl sandbox requests -o json | jq '.writes'      # 0 when nothing was written",
    'plsctl sandbox requests -o json | jq \'.requests[] | select(.identity == "ci" and .kind == "write")\'',
  ],
});
