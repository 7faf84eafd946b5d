/**
 * Azure Resource Graph, the subset plsctl sends: `POST /providers/Microsoft.ResourceGraph/resources`
 * with exactly the fleet query (src/domain/fleet-query.ts, optionally with its cluster-name clause),
 * over the `subscriptions` given. Anything else is refused as Resource Graph refuses a query it
 * cannot run (400 BadRequest, details InvalidQuery). Rows are filtered by the caller's access:
 * Resource Graph returns only resources the caller may read
 * (learn.microsoft.com/azure/governance/resource-graph/overview, "Permissions in Azure Resource
 * Graph"), so a role on a resource group suffices. Pages: `pageSize` rows (or `$top`, if smaller)
 * and a `$skipToken` while more follow. Quota: `graphQuota` queries per identity and window,
 * said in `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (hh:mm:ss) on every
 * answer, 429 `RateLimiting` past it
 * (learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).
 */
import { ArmError } from "../errors.js";
import { can } from "../rbac.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Reply, Resource } from "../types.js";
import { arr, clone, obj, str } from "../util.js";
import { body } from "./common.js";
import { PLS } from "./pls-model.js";
import { routeFor } from "./routes.js";

const OWNER = "k8s-azure-owner-service";
const CLUSTER = "k8s-azure-cluster-name";

/**
 * The documented subset of KQL the sandbox answers: this text, with or without the cluster clause
 * (a name of letters, digits, `._-`). plsctl's src/domain/fleet-query.ts writes it; the sandbox
 * keeps its own copy (it models Azure, not plsctl), and the fleet tests prove the two agree.
 */
const HEAD = `resources
| where type =~ 'microsoft.network/privatelinkservices'
| where isnotempty(tags['${OWNER}'])`;
const TAIL = `| project id, name, location, tags, properties
| order by id asc`;

function parseFleetQuery(text: string): { clusterName: string | null } | undefined {
  if (text === `${HEAD}\n${TAIL}`) return { clusterName: null };
  if (!text.startsWith(`${HEAD}\n`) || !text.endsWith(`\n${TAIL}`)) return undefined;
  const middle = text.slice(HEAD.length + 1, text.length - TAIL.length - 1);
  const m = /^\| where tags\['k8s-azure-cluster-name'\] =~ '([A-Za-z0-9._-]{1,63})'$/.exec(middle);
  return m ? { clusterName: m[1] ?? "" } : undefined;
}

const support = (c: Ctx) =>
  `Please provide below info when asking for support: timestamp = ${new Date(c.emu.now()).toISOString()}, correlationId = sandbox.`;

function invalidQuery(c: Ctx, why: string): ArmError {
  return new ArmError(400, "BadRequest", support(c), {}, [
    {
      code: "InvalidQuery",
      message:
        "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.",
    },
    { code: "UnsupportedQuery", message: `The sandbox answers only plsctl's fleet query: ${why}` },
  ]);
}

interface Window {
  start: number;
  used: number;
}
/** Per settings object: changing the settings (the admin endpoint) starts every window afresh. */
const windows = new WeakMap<object, Map<string, Window>>();

const hms = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
};

/** Counts this query against the caller's window; the quota headers, or a 429 past the quota. */
function takeQuota(c: Ctx): Record<string, string> {
  const q = c.emu.settings.graphQuota;
  const perEmu = windows.get(c.emu.settings) ?? new Map<string, Window>();
  windows.set(c.emu.settings, perEmu);
  const now = c.emu.now();
  const windowMs = q.windowSeconds * 1000;
  let w = perEmu.get(c.caller.name);
  if (!w || now - w.start >= windowMs) {
    w = { start: now, used: 0 };
    perEmu.set(c.caller.name, w);
  }
  const resets = hms(w.start + windowMs - now);
  if (w.used >= q.queries) {
    throw new ArmError(
      429,
      "RateLimiting",
      support(c),
      { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": resets },
      [
        {
          code: "RateLimiting",
          message:
            "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.",
        },
      ],
    );
  }
  w.used += 1;
  return {
    "x-ms-user-quota-remaining": String(q.queries - w.used),
    "x-ms-user-quota-resets-after": resets,
  };
}

function skipOf(c: Ctx, token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, "base64url").toString("utf8").replace(/^rg:/, ""));
  if (!Number.isInteger(n) || n < 0)
    throw invalidQuery(c, `the $skipToken '${token}' is not one this query handed out`);
  return n;
}

/** The rows: AKS-made PLSs (of one cluster), in the subscriptions given, that the caller may read. */
function rows(c: Ctx, subs: string[], cluster: string | null): Resource[] {
  const wanted = new Set(subs.map((s) => s.toLowerCase()));
  return Object.values(c.state.resources)
    .filter((r) => r.type.toLowerCase() === PLS.toLowerCase())
    .filter((r) => wanted.has((r.id.split("/")[2] ?? "").toLowerCase()))
    .filter((r) => (r.tags?.[OWNER] ?? "") !== "")
    .filter((r) => cluster === null || (r.tags?.[CLUSTER] ?? "").toLowerCase() === cluster.toLowerCase())
    .filter((r) => can(c.emu.roles, c.identity, `${PLS}/read`, r.id))
    .sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1));
}

function query(c: Ctx): Reply {
  const b = body(c);
  const text = str(b.query);
  const parsed = text === undefined ? undefined : parseFleetQuery(text);
  if (!parsed) throw invalidQuery(c, "the query text is not the one plsctl sends");
  const subs = arr(b.subscriptions).filter((s): s is string => typeof s === "string");
  if (subs.length === 0) throw invalidQuery(c, "`subscriptions` must name at least one subscription");
  const o = obj(b.options);
  if (o.resultFormat !== undefined && o.resultFormat !== "objectArray")
    throw invalidQuery(c, "only resultFormat objectArray is answered");
  const headers = takeQuota(c);
  const all = rows(c, subs, parsed.clusterName);
  const start = skipOf(c, str(o.$skipToken));
  const top = typeof o.$top === "number" && o.$top > 0 ? Math.min(o.$top, 1000) : 1000;
  const end = start + Math.min(top, c.emu.settings.pageSize);
  const page = all.slice(start, end).map((r): Json => {
    const x = clone(r) as Json;
    return { id: x.id, name: x.name, location: x.location, tags: x.tags ?? {}, properties: x.properties };
  });
  const out: Json = {
    totalRecords: all.length,
    count: page.length,
    resultTruncated: "false",
    data: page,
    facets: [],
  };
  if (end < all.length) out.$skipToken = Buffer.from(`rg:${end}`).toString("base64url");
  return { status: 200, body: out, headers };
}

const route = routeFor("resourceGraph");

export const resourceGraphRoutes: RouteDef[] = [
  // No action: Resource Graph itself needs no role; it answers with what the caller may read.
  route("POST", "/providers/Microsoft.ResourceGraph/resources", "Resources", "", query, { cls: "reads" }),
];
