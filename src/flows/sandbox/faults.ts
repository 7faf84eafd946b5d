/**
 * `plsctl sandbox faults`: add, list and clear the fault rules of the running sandbox — its Azure
 * Resource Manager's and its Kubernetes API's `/_sandbox/faults` admin endpoints, authorised with
 * the admin token from the state directory (never printed).
 */
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import {
  describeKind,
  describeMatch,
  type FaultApi,
  type FaultRow,
  type FaultRuleJson,
  type FaultSpec,
  type FaultsResult,
} from "../../domain/faults.js";
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

/** Adds one rule (after those in force) and returns all rules in force. */
export async function addFault(dir: StateDir, spec: FaultSpec): Promise<FaultsResult> {
  const call = await admin(dir);
  await call(spec.api, "POST", [spec.rule]);
  return listAll(call, dir);
}

export async function listFaults(dir: StateDir): Promise<FaultsResult> {
  return listAll(await admin(dir), dir);
}

/** Clears the rules of one API, or of both; returns what is left in force. */
export async function clearFaults(dir: StateDir, api: FaultApi | "all"): Promise<FaultsResult> {
  const call = await admin(dir);
  for (const a of ["arm", "kube"] as const) if (api === "all" || api === a) await call(a, "DELETE");
  return listAll(call, dir);
}
