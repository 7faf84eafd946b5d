/**
 * `plsctl sandbox faults add|list|clear`: inject faults into the running sandbox's Azure Resource
 * Manager (429 with Retry-After, 500, 503, dropped connections, latency, long-running operations
 * that end Failed) and Kubernetes API (watches that close, error statuses, latency), to test a
 * pipeline against them.
 */
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

async function deps() {
  const [flows, { stateDirOf }, { writeResult }, { renderFaults }] = await Promise.all([
    import("../../flows/sandbox/faults.js"),
    import("../../flows/sandbox/index.js"),
    import("../../output/result.js"),
    import("../../output/sandbox-faults.js"),
  ]);
  return { flows, stateDirOf, writeResult, renderFaults };
}

function registerAdd(faults: SandboxCommand, runtime: Runtime): void {
  const declared = faults
    .command("add")
    .summary("inject a fault into the sandbox's Azure Resource Manager or Kubernetes API")
    .description(
      "Adds one fault rule to the running sandbox, after those in force; it fires for the requests it matches (all given filters), --times times at most, each with --probability. ARM (--api arm, the default): --kind 429|500|503|drop|latency|lroFailed, or --status N. Kubernetes (--api kube): --kind closeWatch|status|latency|429|500|503. Prints the rules in force.",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox faults add --kind 429 --retry-after 5s --operation PrivateLinkServices_UpdatePrivateEndpointConnection --times 3
  plsctl sandbox faults add --kind lroFailed --method PUT --path 'privateEndpoints/' --message 'Quota exceeded'
  plsctl sandbox faults add --api kube --kind closeWatch --after-events 1 --path /services --times 5
  plsctl sandbox faults add --kind drop --identity ci --probability 0.1`,
    );
  withStateDir(declared)
    .option("--api <api>", "arm (default) or kube")
    .option(
      "--kind <kind>",
      "arm: 429|500|503|drop|latency|lroFailed; kube: closeWatch|status|latency|429|500|503",
    )
    .option("--status <n>", "answer with this HTTP status (400-599) instead of a --kind")
    .option("--operation <id>", "arm: only this ARM operation id (as `plsctl sandbox requests` lists them)")
    .option("--identity <name>", "arm: only requests of this sandbox identity (provider, ci, partner, ...)")
    .option("--path <regex>", "only request paths matching this regular expression (case-insensitive)")
    .option("--method <method>", "only this HTTP method (GET, PUT, PATCH, DELETE, ...)")
    .option("--verb <verb>", "kube: only this verb (get, list, watch, create, update, patch, delete)")
    .option("--times <n>", "fire at most this many times (default: always)")
    .option("--probability <p>", "fire for each matching request with this probability, 0 to 1 (default 1)")
    .option("--retry-after <duration>", "429/503/status: the Retry-After it sends, whole seconds (e.g. 5s)")
    .option("--latency <duration>", "--kind latency: how long each request waits (default 1s)")
    .option("--after-events <n>", "kube --kind closeWatch: events sent before the watch closes (default 0)")
    .option("--message <text>", "the error message (--status, 429, 500, 503, lroFailed)")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const d = await deps();
      const result = await d.flows.addFault(d.stateDirOf(ctx, opts.stateDir), opts);
      await d.writeResult(ctx, result, d.renderFaults);
    });
}

function registerList(faults: SandboxCommand, runtime: Runtime): void {
  const declared = faults
    .command("list")
    .summary("list the fault rules in force, with how often each fired")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox faults list
  plsctl sandbox faults list -o json | jq '.faults[] | select(.used > 0)'`,
    );
  withStateDir(declared).action(async (opts, command) => {
    const ctx = await contextFor(runtime, command);
    const d = await deps();
    await d.writeResult(ctx, await d.flows.listFaults(d.stateDirOf(ctx, opts.stateDir)), d.renderFaults);
  });
}

function registerClear(faults: SandboxCommand, runtime: Runtime): void {
  const declared = faults
    .command("clear")
    .summary("remove the fault rules in force (both APIs, or --api)")
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox faults clear
  plsctl sandbox faults clear --api kube`,
    );
  withStateDir(declared)
    .option("--api <api>", "arm or kube (default: both)")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const d = await deps();
      await d.writeResult(
        ctx,
        await d.flows.clearFaults(d.stateDirOf(ctx, opts.stateDir), opts.api),
        d.renderFaults,
      );
    });
}

export function registerSandboxFaults(sandbox: SandboxCommand, runtime: Runtime): void {
  const faults = sandbox
    .command("faults")
    .summary("inject faults into the running sandbox, to test a pipeline against them")
    .description(
      "Fault injection in the running sandbox: throttling (429 with Retry-After), 500/503, dropped connections, latency and long-running operations that end Failed in Azure Resource Manager; watches that close, error statuses and latency in the Kubernetes API.",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox faults add --kind 503 --times 2
  plsctl sandbox faults list
  plsctl sandbox faults clear`,
    );
  registerAdd(faults, runtime);
  registerList(faults, runtime);
  registerClear(faults, runtime);
}
