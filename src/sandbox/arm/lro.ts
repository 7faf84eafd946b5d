/**
 * Long-running operations as Azure runs them: the initial 201/202 carries `Azure-AsyncOperation`
 * and/or `Location`; the status URL answers `{status: InProgress|Succeeded|Failed}` and the result
 * URL 202 until done. Resources stay `Updating` (or `Deleting`) until the operation's delay ends.
 * Time is the emulator's clock (`now`, injectable for tests).
 */
import { ArmError } from "./errors.js";
import type { Ctx, LroOptions, RouteDef } from "./router.js";
import type { ArmState, OperationRecord, Reply } from "./types.js";
import { guid, key, obj } from "./util.js";

export function newOperation(
  state: ArmState,
  now: number,
  delayMs: number,
  settle: string[],
  remove: string[],
  error?: { code: string; message: string },
): OperationRecord {
  const op: OperationRecord = {
    id: guid(),
    status: "InProgress",
    startTime: new Date(now).toISOString(),
    doneAt: now + delayMs,
    settle: settle.map(key),
    remove: remove.map(key),
    ...(error ? { error } : {}),
  };
  state.operations[op.id] = op;
  if (delayMs <= 0) finish(state, op);
  return op;
}

/** Another operation still running on resource `id` (a later PUT): that one settles it. */
function runningElsewhere(state: ArmState, op: OperationRecord, id: string): boolean {
  return Object.values(state.operations).some(
    (o) => o !== op && o.status === "InProgress" && o.settle.includes(id),
  );
}

function finish(state: ArmState, op: OperationRecord): void {
  op.status = op.error ? "Failed" : "Succeeded";
  for (const id of op.settle) {
    const r = state.resources[id];
    if (!r || runningElsewhere(state, op, id)) continue;
    const ps = op.error ? "Failed" : "Succeeded";
    r.properties.provisioningState = ps;
    for (const listKey of [
      "manualPrivateLinkServiceConnections",
      "privateLinkServiceConnections",
      "subnets",
    ]) {
      for (const c of Array.isArray(r.properties[listKey]) ? (r.properties[listKey] as unknown[]) : []) {
        const cp = obj(obj(c).properties);
        if (cp.provisioningState === "Updating") cp.provisioningState = ps;
      }
    }
  }
  for (const id of op.remove) delete state.resources[id];
}

/** Finishes every operation whose delay has passed; returns true when state changed. */
export function settleOperations(state: ArmState, now: number): boolean {
  let changed = false;
  const due = Object.values(state.operations).filter((op) => op.status === "InProgress" && op.doneAt <= now);
  // In the order they end, so a later operation on the same resource settles it last.
  for (const op of due.sort((a, b) => a.doneAt - b.doneAt)) {
    finish(state, op);
    changed = true;
  }
  // Forget finished operations after ten minutes (ARM keeps them a while; the state file stays small).
  for (const [id, op] of Object.entries(state.operations)) {
    if (op.status !== "InProgress" && now - op.doneAt > 600_000) {
      delete state.operations[id];
      changed = true;
    }
  }
  return changed;
}

export function lroHeaders(
  base: string,
  apiVersion: string,
  op: OperationRecord,
  o: LroOptions,
  now: number,
): Record<string, string> {
  const h: Record<string, string> = {};
  const prefix = o.dnsResourceGroup
    ? `${base}/subscriptions/${o.subscriptionId}/resourceGroups/${o.dnsResourceGroup}/providers/Microsoft.Network`
    : `${base}/subscriptions/${o.subscriptionId}/providers/Microsoft.Network/locations/${o.location}`;
  const [status, result] = o.dnsResourceGroup
    ? ["privateDnsOperationStatuses", "privateDnsOperationResults"]
    : ["operations", "operationResults"];
  if (o.azureAsyncOperation !== false)
    h["Azure-AsyncOperation"] = `${prefix}/${status}/${op.id}?api-version=${apiVersion}`;
  if (o.location_) h.Location = `${prefix}/${result}/${op.id}?api-version=${apiVersion}`;
  if (op.status === "InProgress") h["Retry-After"] = String(retryAfter(op, now));
  return h;
}

function retryAfter(op: OperationRecord, now: number): number {
  return Math.max(1, Math.ceil((op.doneAt - now) / 1000));
}

function findOp(c: Ctx): OperationRecord {
  const op = c.state.operations[c.p.opId ?? ""];
  if (!op) throw new ArmError(404, "NotFound", `Operation ${c.p.opId} not found.`);
  return op;
}

function statusReply(c: Ctx): Reply {
  const op = findOp(c);
  const body: Record<string, unknown> = {
    id: c.req.path,
    name: op.id,
    status: op.status,
    startTime: op.startTime,
  };
  if (op.status !== "InProgress") body.endTime = new Date(op.doneAt).toISOString();
  if (op.error) body.error = { ...op.error, details: [] };
  return {
    status: 200,
    body,
    headers: op.status === "InProgress" ? { "Retry-After": String(retryAfter(op, c.emu.now())) } : {},
  };
}

function resultReply(c: Ctx): Reply {
  const op = findOp(c);
  if (op.status === "InProgress") {
    return {
      status: 202,
      headers: {
        Location: `${c.base}${c.req.path}?api-version=${c.apiVersion}`,
        "Retry-After": String(retryAfter(op, c.emu.now())),
      },
    };
  }
  if (op.error) throw new ArmError(400, op.error.code, op.error.message);
  if (op.result !== undefined) return { status: 200, body: op.result };
  // A PUT's result is the resource; a DELETE's is empty.
  const r = op.settle[0] ? c.state.resources[op.settle[0]] : undefined;
  return r ? { status: 200, body: r } : { status: 204 };
}

const NET = "/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}";
const DNS = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network";

export const operationRoutes: RouteDef[] = [
  { method: "GET", path: `${NET}/operations/{opId}`, handler: statusReply },
  { method: "GET", path: `${NET}/operationResults/{opId}`, handler: resultReply },
  { method: "GET", path: `${DNS}/privateDnsOperationStatuses/{opId}`, handler: statusReply },
  { method: "GET", path: `${DNS}/privateDnsOperationResults/{opId}`, handler: resultReply },
].map((r) => ({ ...r, op: "Operations_Poll", api: "any", cls: "reads" }) as RouteDef);
