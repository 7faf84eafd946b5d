/**
 * `plsctl sandbox faults add|list|clear`: inject faults into the running sandbox's Azure Resource
 * Manager (429 with Retry-After, 500, 503, dropped connections, latency, long-running operations
 * that end Failed) and Kubernetes API (watches that close, error statuses, latency), to test a
 * pipeline against them.
 */
import { ExitCode, type ExitCodeValue } from "../../domain/errors.js";
import { defineCommand, defineGroup } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

const flows = () => import("../../flows/sandbox/faults.js");

/**
 * What every faults command shares: it prints the rules in force afterwards, and needs a running
 * sandbox. `ok` and `usage` say when it exits 0 and 2.
 */
function printsRules(ok: string, usage?: string) {
  const codes: Array<readonly [ExitCodeValue, string]> = [[ExitCode.Ok, ok]];
  if (usage) codes.push([ExitCode.Usage, usage]);
  codes.push([ExitCode.NotFound, "no sandbox runs from the state directory"]);
  return {
    render: async () => (await import("../../output/sandbox-faults.js")).renderFaults,
    exitCodes: codes,
    json: `{
  stateDir: string;
  faults: Array<{
    api: "arm" | "kube"; index: number; kind: string;
    match: string;                        // the filters, in words
    used: number; times: number | null;   // how often it fired, and at most how often (null: no limit)
    probability: number;
    rule: object;                         // the rule as the emulator holds it
  }>;
}`,
  };
}

const add = defineCommand({
  name: "add",
  summary: "inject a fault into the sandbox's Azure Resource Manager or Kubernetes API",
  description:
    "Adds one fault rule to the running sandbox, after those in force; it fires for the requests it matches (all given filters), --times times at most, each with --probability. ARM (--api arm, the default): --kind 409|429|500|503|drop|latency|lroFailed, or --status N. Kubernetes (--api kube): --kind closeWatch|status|latency|429|500|503. Prints the rules in force.",
  declare: (c) =>
    withStateDir(c)
      .option("--api <api>", "arm (default) or kube")
      .option(
        "--kind <kind>",
        "arm: 409|429|500|503|drop|latency|lroFailed; kube: closeWatch|status|latency|429|500|503",
      )
      .option("--status <n>", "answer with this HTTP status (400-599) instead of a --kind")
      .option("--operation <id>", "arm: only this ARM operation id (as `plsctl sandbox requests` lists them)")
      .option("--identity <name>", "arm: only requests of this sandbox identity (provider, ci, partner, ...)")
      .option("--path <regex>", "only request paths matching this regular expression (case-insensitive)")
      .option("--method <method>", "only this HTTP method (GET, PUT, PATCH, DELETE, ...)")
      .option(
        "--verb <verb>",
        "kube: only this verb (get, list, watch, create, update, patch, delete, deletecollection, discovery)",
      )
      .option("--times <n>", "fire at most this many times (default: always)")
      .option("--probability <p>", "fire for each matching request with this probability, 0 to 1 (default 1)")
      .option("--retry-after <duration>", "429/503/status: the Retry-After it sends, whole seconds (e.g. 5s)")
      .option("--latency <duration>", "--kind latency: how long each request waits (default 1s)")
      .option("--after-events <n>", "kube --kind closeWatch: events sent before the watch closes (default 0)")
      .option("--message <text>", "the error message (--status, 409, 429, 500, 503, lroFailed)"),
  // The flags are the sandbox's fault format: the flow checks them with the sandbox's own parser
  // (src/sandbox/faults-flags.ts) before any request — commands do not import the sandbox.
  input: ({ opts: { stateDir, ...flags } }) => ({ stateDir, flags }),
  run: async (ctx, input) => (await flows()).addFault(await stateDirIn(ctx, input.stateDir), input.flags),
  ...printsRules(
    "the rule was added (the rules in force are printed)",
    "bad flags: a kind, filter or value the API does not take (named)",
  ),
  examples: [
    "plsctl sandbox faults add --kind 429 --retry-after 5s --operation PrivateLinkServices_UpdatePrivateEndpointConnection --times 3",
    "plsctl sandbox faults add --kind lroFailed --method PUT --path 'privateEndpoints/' --message 'Quota exceeded'",
    "plsctl sandbox faults add --api kube --kind closeWatch --after-events 1 --path /services --times 5",
    "plsctl sandbox faults add --kind drop --identity ci --probability 0.1",
  ],
});

const list = defineCommand({
  name: "list",
  summary: "list the fault rules in force, with how often each fired",
  declare: (c) => withStateDir(c),
  input: ({ opts }) => ({ stateDir: opts.stateDir }),
  run: async (ctx, input) => (await flows()).listFaults(await stateDirIn(ctx, input.stateDir)),
  ...printsRules("the rules in force were printed"),
  examples: [
    "plsctl sandbox faults list",
    "plsctl sandbox faults list -o json | jq '.faults[] | select(.used > 0)'",
  ],
});

const clear = defineCommand({
  name: "clear",
  summary: "remove the fault rules in force (both APIs, or --api)",
  declare: (c) => withStateDir(c).option("--api <api>", "arm or kube (default: both)"),
  input: ({ opts }) => ({ stateDir: opts.stateDir, api: opts.api }),
  run: async (ctx, input) => (await flows()).clearFaults(await stateDirIn(ctx, input.stateDir), input.api),
  ...printsRules("the rules were removed (the rules left are printed)", "an --api other than arm or kube"),
  examples: ["plsctl sandbox faults clear", "plsctl sandbox faults clear --api kube"],
});

export const faults = defineGroup({
  name: "faults",
  summary: "inject faults into the running sandbox, to test a pipeline against them",
  description:
    "Fault injection in the running sandbox: throttling (429 with Retry-After), 500/503, dropped connections, latency and long-running operations that end Failed in Azure Resource Manager; watches that close, error statuses and latency in the Kubernetes API.",
  examples: [
    "plsctl sandbox faults add --kind 503 --times 2",
    "plsctl sandbox faults list",
    "plsctl sandbox faults clear",
  ],
  commands: [add, list, clear],
});
