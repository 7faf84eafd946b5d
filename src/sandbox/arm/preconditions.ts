/** ETag preconditions (If-Match / If-None-Match) on writes, with ARM's 412. */
import { ArmError } from "./errors.js";
import type { ArmRequest, ArmState, Json } from "./types.js";
import { arr, key, obj, str } from "./util.js";

/** The current etag of the resource (or embedded child) at `path`, or undefined if it does not exist. */
export function currentEtag(state: ArmState, path: string): { exists: boolean; etag?: string } {
  const r = state.resources[key(path)];
  if (r) return { exists: true, etag: r.etag ?? str(r.eTag) };
  const m = /^(.*)\/(subnets|privateEndpointConnections|frontendIPConfigurations)\/([^/]+)$/i.exec(path);
  if (m) {
    const parent = state.resources[key(m[1] ?? "")];
    const child = arr(parent?.properties[childList(m[2] ?? "")]).find(
      (c) => str(obj(c).name)?.toLowerCase() === m[3]?.toLowerCase(),
    ) as Json | undefined;
    if (child) return { exists: true, etag: str(child.etag) };
  }
  return { exists: false };
}

function childList(seg: string): string {
  const s = seg.toLowerCase();
  return s === "subnets"
    ? "subnets"
    : s === "frontendipconfigurations"
      ? "frontendIPConfigurations"
      : "privateEndpointConnections";
}

const norm = (e: string) => e.trim().replace(/^W\//, "").replace(/^"|"$/g, "");

function failed(): ArmError {
  return new ArmError(
    412,
    "PreconditionFailed",
    "The condition specified using HTTP conditional header(s) is not met.",
  );
}

export function checkPreconditions(state: ArmState, req: ArmRequest): void {
  const ifMatch = req.headers["if-match"];
  const ifNone = req.headers["if-none-match"];
  if (!ifMatch && !ifNone) return;
  const cur = currentEtag(state, req.path);
  if (typeof ifMatch === "string") {
    if (!cur.exists) throw failed();
    const wanted = ifMatch.split(",").map(norm);
    if (!wanted.includes("*") && !(cur.etag && wanted.includes(norm(cur.etag)))) throw failed();
  }
  if (typeof ifNone === "string") {
    const wanted = ifNone.split(",").map(norm);
    if (cur.exists && (wanted.includes("*") || (cur.etag && wanted.includes(norm(cur.etag))))) throw failed();
  }
}
