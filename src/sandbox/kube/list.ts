/** Listing: label and field selectors, `limit`/`continue` paging, list metadata. */
import type { ApiCtx } from "./api.js";
import { expired } from "./errors.js";
import type { KObj, ResourceDef } from "./resources.js";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { keyOf } from "./store.js";

interface ContinueToken {
  rv: number;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as ContinueToken;
    if (typeof t.rv === "number" && typeof t.start === "string") return t;
  } catch {
    // fall through
  }
  throw expired(
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
  );
}

export interface ListResult {
  items: KObj[];
  meta: Record<string, unknown>;
  matches: (o: KObj) => boolean;
}

export function listObjects(
  ctx: ApiCtx,
  r: ResourceDef,
  ns: string | undefined,
  q: URLSearchParams,
  onlyFilter: boolean,
): ListResult {
  const labels = parseLabelSelector(q.get("labelSelector") ?? "");
  const fields = parseFieldSelector(q.get("fieldSelector") ?? "", r);
  const matches = (o: KObj) => matchLabels(labels, o.metadata.labels) && matchFields(fields, r, o);
  const rv = String(ctx.store.resourceVersion());
  if (onlyFilter) return { items: [], meta: { resourceVersion: rv }, matches };
  // As on the real server, list items carry no apiVersion/kind of their own.
  let all = ctx.store
    .list(r, r.namespaced ? ns || undefined : undefined)
    .filter(matches)
    .map(({ apiVersion: _a, kind: _k, ...o }) => o as KObj);
  const cont = q.get("continue");
  if (cont) {
    const t = decodeContinue(cont);
    all = all.filter((o) => keyOf(r, o.metadata.namespace ?? "", o.metadata.name ?? "") > t.start);
  }
  const limit = Number(q.get("limit") ?? 0);
  const meta: Record<string, unknown> = { resourceVersion: rv };
  if (limit > 0 && all.length > limit) {
    const page = all.slice(0, limit);
    const last = page[page.length - 1];
    const start = last ? keyOf(r, last.metadata.namespace ?? "", last.metadata.name ?? "") : "";
    meta.continue = Buffer.from(JSON.stringify({ rv: Number(rv), start })).toString("base64url");
    meta.remainingItemCount = all.length - limit;
    return { items: page, meta, matches };
  }
  return { items: all, meta, matches };
}
