/**
 * Throttling (ARM's per-principal token buckets per subscription — by default reads 250 burst /
 * 25 per s, writes and deletes 200 / 10 per s, the settings `armReadBucket`, `armWriteBucket`,
 * `armDeleteBucket`; Microsoft.Network's own write limit per subscription), fault injection and
 * request counters.
 */
import { ArmError } from "./errors.js";
import { DEFAULT_SETTINGS, type EmulatorSettings, type TokenBucket } from "./settings.js";
import type { CounterBucket, FaultRule, OperationInfo, RequestCounters } from "./types.js";

export type OpClass = "reads" | "writes" | "deletes";

/** The bucket of each class of request, from the settings in force. */
export function bucketOf(settings: EmulatorSettings, cls: OpClass): TokenBucket {
  return cls === "reads"
    ? settings.armReadBucket
    : cls === "writes"
      ? settings.armWriteBucket
      : settings.armDeleteBucket;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class Throttler {
  private buckets = new Map<string, Bucket>();
  /** Takes one token; returns the headers to send, or throws ARM's 429. */
  take(
    principal: string,
    scopeKey: string,
    scopeLabel: string,
    cls: OpClass,
    now = Date.now(),
    lim: TokenBucket = bucketOf(DEFAULT_SETTINGS, cls),
  ): Record<string, string> {
    const k = `${principal}|${scopeKey}|${cls}`;
    const b = this.buckets.get(k) ?? { tokens: lim.burst, at: now };
    b.tokens = Math.min(lim.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * lim.refillPerSecond);
    b.at = now;
    this.buckets.set(k, b);
    const header = `x-ms-ratelimit-remaining-${scopeLabel}-${cls}`;
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / lim.refillPerSecond));
      const kind = cls === "reads" ? "read" : cls === "writes" ? "write" : "delete";
      throw new ArmError(
        429,
        "SubscriptionRequestsThrottled",
        `Number of '${kind}' requests for ${scopeLabel} '${scopeKey}' actor '${principal}' exceeded. Please try again after '${wait}' seconds after the additional tokens are available. Refer to https://aka.ms/arm-throttling`,
        { "Retry-After": String(wait), [header]: "0" },
      );
    }
    b.tokens -= 1;
    return { [header]: String(Math.floor(b.tokens)) };
  }
  reset(): void {
    this.buckets.clear();
  }
}

/**
 * Microsoft.Network's limit on writes and deletes: `writes` per `windowSeconds` per subscription,
 * whoever writes (beside ARM's per-principal buckets). A token bucket that refills evenly over the
 * window; the 429 says when the next token is there.
 */
export class NetworkWriteLimiter {
  private buckets = new Map<string, Bucket>();
  take(subscription: string, limit: { writes: number; windowSeconds: number }, now: number): void {
    const perSecond = limit.writes / limit.windowSeconds;
    const k = subscription.toLowerCase();
    const b = this.buckets.get(k) ?? { tokens: limit.writes, at: now };
    b.tokens = Math.min(limit.writes, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(k, b);
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
      const window = new Date(limit.windowSeconds * 1000).toISOString().slice(11, 19);
      throw new ArmError(
        429,
        "SubscriptionRequestsThrottled",
        `Number of write requests for subscription '${subscription}' to resource provider 'Microsoft.Network' exceeded the limit of '${limit.writes}' for time interval '${window}'. Please try again after '${wait}' seconds.`,
        { "Retry-After": String(wait) },
      );
    }
    b.tokens -= 1;
  }
  reset(): void {
    this.buckets.clear();
  }
}

/** A path pattern (`*` within one segment, `**` any number of segments) as a case-insensitive RegExp. */
export function pathPattern(glob: string): RegExp {
  const esc = (x: string) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  let re = "";
  for (const seg of glob.split("/").filter((x) => x !== "")) {
    re += seg === "**" ? "(?:/[^/]+)*" : `/${seg.split("*").map(esc).join("[^/]*")}`;
  }
  return new RegExp(`^${re}/?$`, "i");
}

export interface FaultRequest {
  operation: string;
  identity: string;
  method: string;
  path: string;
}

export class Faults {
  private rules: (FaultRule & { used: number; re?: RegExp })[] = [];
  private compile(r: FaultRule) {
    const re = r.match?.pathRegex
      ? new RegExp(r.match.pathRegex, "i")
      : r.match?.path
        ? pathPattern(r.match.path)
        : undefined;
    return { ...r, used: 0, ...(re ? { re } : {}) };
  }
  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => this.compile(r));
  }
  /** Adds rules after those in force (`plsctl sandbox faults add`). */
  add(rules: FaultRule[]): void {
    this.rules.push(...rules.map((r) => this.compile(r)));
  }
  /** The rules in force, each with how often it fired (`used`). */
  list(): (FaultRule & { used: number })[] {
    return this.rules.map(({ re: _re, ...r }) => structuredClone(r));
  }
  /** The rules that fire for this request (each consumed once if it has `times`). */
  pick(q: FaultRequest): FaultRule[] {
    const fired: FaultRule[] = [];
    const eq = (want: string | undefined, got: string) =>
      want === undefined || want.toLowerCase() === got.toLowerCase();
    for (const r of this.rules) {
      if (!eq(r.operation, q.operation) || !eq(r.match?.operation, q.operation)) continue;
      if (!eq(r.identity, q.identity) || !eq(r.match?.identity, q.identity)) continue;
      if (!eq(r.match?.method, q.method)) continue;
      if (r.re && !r.re.test(q.path)) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (Math.random() >= (r.probability ?? r.rate ?? 1)) continue;
      r.used++;
      fired.push(r);
    }
    return fired;
  }
}

const bucket = (): CounterBucket => ({ total: 0, byOperation: {} });
const empty = (): RequestCounters => ({
  ...bucket(),
  byIdentity: {},
  unrouted: [],
  operations: {},
  writesByPath: {},
});

export class Counters {
  private data: RequestCounters = empty();
  count(
    operation: string,
    identity: string,
    unroutedDescr?: string,
    info?: OperationInfo,
    path?: string,
  ): void {
    const d = this.data;
    if (info) d.operations[operation] ??= info;
    d.total++;
    d.byOperation[operation] = (d.byOperation[operation] ?? 0) + 1;
    const b = d.byIdentity[identity] ?? bucket();
    d.byIdentity[identity] = b;
    b.total++;
    b.byOperation[operation] = (b.byOperation[operation] ?? 0) + 1;
    if (unroutedDescr) d.unrouted.push(unroutedDescr);
    if (info?.kind === "write" && path !== undefined) {
      const key = `${info.method} ${path.toLowerCase()}`;
      d.writesByPath[key] = (d.writesByPath[key] ?? 0) + 1;
    }
  }
  snapshot(): RequestCounters {
    return structuredClone(this.data);
  }
  reset(): void {
    this.data = empty();
  }
}
