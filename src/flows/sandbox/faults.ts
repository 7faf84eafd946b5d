/**
 * `plsctl sandbox faults`: add, list and clear the fault rules of the running sandbox — its Azure
 * Resource Manager's and its Kubernetes API's `/_sandbox/faults` admin endpoints, authorised with
 * the admin token from the state directory (never printed).
 */
import { parseDuration } from "../../domain/duration.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import type { FaultRow, FaultsResult } from "../../domain/results.js";
import { FaultFlagError, type FaultFlags, faultApiOf, parseFaultFlags } from "../../sandbox/faults-flags.js";
import {
  describeKind,
  describeMatch,
  FAULT_APIS,
  type FaultApi,
  type FaultRuleJson,
  type FaultSpec,
} from "../../sandbox/faults-spec.js";
import type { SandboxRuntime } from "../../sandbox/index.js";
import { running, type StateDir } from "./index.js";

type Call = (api: FaultApi, method: string, body?: unknown) => Promise<unknown>;

async function admin(dir: StateDir): Promise<Call> {
  const rt: SandboxRuntime = await running(dir);
  const { adminRequest, AdminRequestError } = await import("../../sandbox/arm/admin-client.js");
  return async (api, method, body) => {
    const url = api === "arm" ? rt.arm.url : rt.kube.url;
    try {
      return await adminRequest({ stateDir: dir.path, url, caFile: rt.arm.caFile }, method, "faults", body);
    } catch (err) {
      if (!(err instanceof AdminRequestError)) throw err;
      throw new PlsctlError(
        `The sandbox in ${dir.path} refused or did not answer the fault request (${api}): ${err.message}.`,
        {
          exitCode: ExitCode.Failed,
          code: "SandboxUnreachable",
          hint: `Check that it still runs (${dir.cli} sandbox status${dir.flag}); a sandbox started by an older plsctl has no Kubernetes faults: restart it.`,
          cause: err,
        },
      );
    }
  };
}

function rows(api: FaultApi, list: unknown): FaultRow[] {
  const rules = Array.isArray(list) ? (list as Array<FaultRuleJson & { used?: number }>) : [];
  return rules.map(({ used, ...rule }, index) => ({
    api,
    index,
    kind: describeKind(rule),
    match: describeMatch(api, rule),
    used: typeof used === "number" ? used : 0,
    times: typeof rule.times === "number" ? rule.times : null,
    probability: typeof rule.probability === "number" ? rule.probability : 1,
    rule,
  }));
}

async function listAll(call: Call, dir: StateDir): Promise<FaultsResult> {
  const [arm, kube] = await Promise.all([call("arm", "GET"), call("kube", "GET")]);
  return { stateDir: dir.path, faults: [...rows("arm", arm), ...rows("kube", kube)] };
}

/** The sandbox's rule for `plsctl sandbox faults add`'s flags; a mistake is a usage error (exit 2). */
export function faultSpecOf(flags: FaultFlags): FaultSpec {
  try {
    return parseFaultFlags(flags, parseDuration);
  } catch (e) {
    if (e instanceof FaultFlagError) throw usageError(e.message, e.hint);
    throw e;
  }
}

/** Adds one rule (after those in force) and returns all rules in force. */
export async function addFault(dir: StateDir, flags: FaultFlags): Promise<FaultsResult> {
  const spec = faultSpecOf(flags);
  const call = await admin(dir);
  await call(spec.api, "POST", [spec.rule]);
  return listAll(call, dir);
}

export async function listFaults(dir: StateDir): Promise<FaultsResult> {
  return listAll(await admin(dir), dir);
}

/** Which API `clear --api` names: both when left out. */
export function clearedApi(raw: string | undefined): FaultApi | "all" {
  if (raw === undefined) return "all";
  try {
    return faultApiOf(raw);
  } catch {
    throw usageError(
      `--api ${JSON.stringify(raw)} is not one of ${FAULT_APIS.join(", ")}.`,
      "Leave it out to clear both.",
    );
  }
}

/** Clears the rules of one API (`--api`), or of both; returns what is left in force. */
export async function clearFaults(dir: StateDir, apiFlag: string | undefined): Promise<FaultsResult> {
  const api = clearedApi(apiFlag);
  const call = await admin(dir);
  for (const a of ["arm", "kube"] as const) if (api === "all" || api === a) await call(a, "DELETE");
  return listAll(call, dir);
}
