/**
 * `plsctl sandbox requests`: what the running sandbox's Azure Resource Manager was asked, by
 * identity and operation, read through its admin endpoint — so a CI script's test can assert
 * "0 writes" or "one PUT per changed connection".
 */
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import type { IdentityTotals, RequestRow, RequestsResult } from "../../domain/results.js";
import type { RequestCounters } from "../../sandbox/arm/types.js";
import { running, type StateDir } from "./index.js";

const SPECIAL = new Set(["unrouted", "unauthenticated"]);

export function summarise(c: RequestCounters, stateDir: string, arm: string, reset: boolean): RequestsResult {
  const rows: RequestRow[] = [];
  const byIdentity: Record<string, IdentityTotals> = {};
  for (const [identity, bucket] of Object.entries(c.byIdentity)) {
    const t: IdentityTotals = { total: bucket.total, reads: 0, writes: 0 };
    byIdentity[identity] = t;
    for (const [operation, count] of Object.entries(bucket.byOperation)) {
      if (SPECIAL.has(operation)) continue;
      const info = c.operations?.[operation];
      const kind = info?.kind ?? "read";
      rows.push({ identity, operation, method: info?.method ?? "?", route: info?.route ?? "?", kind, count });
      t[kind === "read" ? "reads" : "writes"] += count;
    }
  }
  rows.sort(
    (a, b) =>
      a.identity.localeCompare(b.identity) ||
      (a.kind === b.kind ? 0 : a.kind === "write" ? -1 : 1) ||
      a.operation.localeCompare(b.operation),
  );
  const sum = (k: "reads" | "writes") => Object.values(byIdentity).reduce((n, t) => n + t[k], 0);
  return {
    stateDir,
    arm,
    total: c.total,
    reads: sum("reads"),
    writes: sum("writes"),
    unrouted: c.byOperation.unrouted ?? 0,
    unauthenticated: c.byOperation.unauthenticated ?? 0,
    byIdentity,
    requests: rows,
    unroutedRequests: c.unrouted,
    reset,
  };
}

/** Reads the counters of the sandbox running in `dir` (exit 3 when none runs); `reset` clears them after. */
export async function sandboxRequests(dir: StateDir, o: { reset: boolean }): Promise<RequestsResult> {
  const rt = await running(dir);
  const { adminRequest, AdminRequestError } = await import("../../sandbox/arm/admin-client.js");
  const target = { stateDir: dir.path, url: rt.arm.url, caFile: rt.arm.caFile };
  try {
    const counters = (await adminRequest(target, "GET", "counters")) as RequestCounters;
    if (o.reset) await adminRequest(target, "POST", "counters/reset");
    return summarise(counters, dir.path, rt.arm.url, o.reset);
  } catch (err) {
    if (!(err instanceof AdminRequestError)) throw err;
    throw new PlsctlError(`Cannot read the request counters of the sandbox in ${dir.path}: ${err.message}.`, {
      exitCode: ExitCode.Failed,
      code: "SandboxUnreachable",
      hint: `Check that it still runs (${dir.cli} sandbox status${dir.flag}); restart it if it hangs.`,
      cause: err,
    });
  }
}
