/**
 * The ARM emulator's tunable behaviour: page size of the paged lists, strict re-approval,
 * Microsoft.Network's write limit, how long a connection write holds its private link service,
 * ARM's per-principal token buckets, how long a new private link service's alias stays unknown.
 * Defaults are Azure's; a world file (`emulator:`), the start options and the admin endpoint
 * `PUT /_sandbox/settings` override them, in that order.
 */
import type { EmulatorSettingsSpec } from "../world.js";

export interface EmulatorSettings {
  pageSize: number;
  strictReapprove: boolean;
  networkWriteLimit: { writes: number; windowSeconds: number };
  connectionWriteMs: number;
  armReadBucket: TokenBucket;
  armWriteBucket: TokenBucket;
  armDeleteBucket: TokenBucket;
  aliasPropagationMs: number;
  /** Azure Resource Graph's per-identity quota: `queries` per `windowSeconds` (default 15 per 5 s). */
  graphQuota: { queries: number; windowSeconds: number };
}

/** A token bucket: `burst` tokens when full, `refillPerSecond` tokens back each second. */
export interface TokenBucket {
  burst: number;
  refillPerSecond: number;
}

const BUCKETS = ["armReadBucket", "armWriteBucket", "armDeleteBucket"] as const;

/**
 * 1000 items per page is what ARM's own collection endpoints hand out at most; Microsoft.Network's
 * limit is 1,000 writes/deletes per 5 minutes per subscription (learn.microsoft.com,
 * "Understand how Azure Resource Manager throttles requests", resource provider limits). ARM's
 * own buckets, per principal and subscription (same page, "Regional throttling and token bucket
 * algorithm"): reads 250 burst, 25 per second; writes and deletes 200 burst, 10 per second each.
 */
export const DEFAULT_SETTINGS: EmulatorSettings = {
  pageSize: 1000,
  strictReapprove: false,
  networkWriteLimit: { writes: 1000, windowSeconds: 300 },
  connectionWriteMs: 0,
  armReadBucket: { burst: 250, refillPerSecond: 25 },
  armWriteBucket: { burst: 200, refillPerSecond: 10 },
  armDeleteBucket: { burst: 200, refillPerSecond: 10 },
  // Azure resolves a brand-new PLS's alias only after a while (Azure/azure-rest-api-specs#20289);
  // 0 keeps the sandbox's aliases known at once, a test sets it to reproduce the race.
  aliasPropagationMs: 0,
  // learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests:
  // "a user can send at most 15 queries within every 5-second window without being throttled".
  graphQuota: { queries: 15, windowSeconds: 5 },
};

const isRec = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const posInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1;

/** Problems of a settings document (`where` prefixes each), empty when it is valid. */
export function settingsProblems(v: unknown, where: string): string[] {
  if (!isRec(v)) return [`${where}: must be a mapping (${Object.keys(DEFAULT_SETTINGS).join(", ")})`];
  const out: string[] = [];
  for (const k of Object.keys(v)) {
    if (!(k in DEFAULT_SETTINGS))
      out.push(`${where}.${k}: unknown setting (known: ${Object.keys(DEFAULT_SETTINGS).join(", ")})`);
  }
  if (v.pageSize !== undefined && !posInt(v.pageSize)) out.push(`${where}.pageSize: must be an integer >= 1`);
  if (v.strictReapprove !== undefined && typeof v.strictReapprove !== "boolean")
    out.push(`${where}.strictReapprove: must be true or false`);
  if (
    v.connectionWriteMs !== undefined &&
    !(typeof v.connectionWriteMs === "number" && v.connectionWriteMs >= 0)
  )
    out.push(`${where}.connectionWriteMs: must be a number of milliseconds >= 0`);
  if (
    v.aliasPropagationMs !== undefined &&
    !(typeof v.aliasPropagationMs === "number" && v.aliasPropagationMs >= 0)
  )
    out.push(`${where}.aliasPropagationMs: must be a number of milliseconds >= 0`);
  if (v.graphQuota !== undefined) {
    const q = v.graphQuota;
    if (!isRec(q) || !posInt(q.queries) || !posInt(q.windowSeconds))
      out.push(`${where}.graphQuota: must be {queries: integer >= 1, windowSeconds: integer >= 1}`);
  }
  if (v.networkWriteLimit !== undefined) {
    const l = v.networkWriteLimit;
    if (!isRec(l) || !posInt(l.writes) || !posInt(l.windowSeconds))
      out.push(`${where}.networkWriteLimit: must be {writes: integer >= 1, windowSeconds: integer >= 1}`);
  }
  for (const k of BUCKETS) {
    const b = v[k];
    if (b === undefined) continue;
    const ok =
      isRec(b) &&
      posInt(b.burst) &&
      typeof b.refillPerSecond === "number" &&
      Number.isFinite(b.refillPerSecond) &&
      b.refillPerSecond > 0 &&
      Object.keys(b).every((x) => x === "burst" || x === "refillPerSecond");
    if (!ok) out.push(`${where}.${k}: must be {burst: integer >= 1, refillPerSecond: number > 0}`);
  }
  return out;
}

/** Defaults, overridden by each given layer in turn (undefined fields leave the value as it is). */
export function mergeSettings(
  base: EmulatorSettings,
  ...layers: (EmulatorSettingsSpec | undefined)[]
): EmulatorSettings {
  const out = structuredClone(base);
  for (const l of layers) {
    if (!l) continue;
    if (l.pageSize !== undefined) out.pageSize = l.pageSize;
    if (l.strictReapprove !== undefined) out.strictReapprove = l.strictReapprove;
    if (l.networkWriteLimit !== undefined) out.networkWriteLimit = { ...l.networkWriteLimit };
    if (l.connectionWriteMs !== undefined) out.connectionWriteMs = l.connectionWriteMs;
    if (l.aliasPropagationMs !== undefined) out.aliasPropagationMs = l.aliasPropagationMs;
    if (l.graphQuota !== undefined) out.graphQuota = { ...l.graphQuota };
    for (const k of BUCKETS) {
      const b = l[k];
      if (b !== undefined) out[k] = { burst: b.burst, refillPerSecond: b.refillPerSecond };
    }
  }
  return out;
}
