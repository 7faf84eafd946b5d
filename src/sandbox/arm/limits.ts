/**
 * Throttling (ARM's per-principal token buckets: reads 250 burst / 25 per s, writes and deletes
 * 200 / 10 per s, per subscription), fault injection and request counters.
 */
import { ArmError } from "./errors.js";
import type { CounterBucket, FaultRule, RequestCounters } from "./types.js";

export type OpClass = "reads" | "writes" | "deletes";

const LIMITS: Record<OpClass, { burst: number; perSecond: number }> = {
  reads: { burst: 250, perSecond: 25 },
  writes: { burst: 200, perSecond: 10 },
  deletes: { burst: 200, perSecond: 10 },
};

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
  ): Record<string, string> {
    const lim = LIMITS[cls];
    const k = `${principal}|${scopeKey}|${cls}`;
    const b = this.buckets.get(k) ?? { tokens: lim.burst, at: now };
    b.tokens = Math.min(lim.burst, b.tokens + ((now - b.at) / 1000) * lim.perSecond);
    b.at = now;
    this.buckets.set(k, b);
    const header = `x-ms-ratelimit-remaining-${scopeLabel}-${cls}`;
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / lim.perSecond));
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

export class Faults {
  private rules: (FaultRule & { used: number })[] = [];
  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, used: 0 }));
  }
  /** The rules that fire for this request (each consumed once if it has `times`). */
  pick(operation: string, identity: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const r of this.rules) {
      if (r.operation && r.operation.toLowerCase() !== operation.toLowerCase()) continue;
      if (r.identity && r.identity !== identity) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (Math.random() >= (r.rate ?? 1)) continue;
      r.used++;
      fired.push(r);
    }
    return fired;
  }
}

const bucket = (): CounterBucket => ({ total: 0, byOperation: {} });

export class Counters {
  private data: RequestCounters = { ...bucket(), byIdentity: {}, unrouted: [] };
  count(operation: string, identity: string, unroutedDescr?: string): void {
    const d = this.data;
    d.total++;
    d.byOperation[operation] = (d.byOperation[operation] ?? 0) + 1;
    const b = d.byIdentity[identity] ?? bucket();
    d.byIdentity[identity] = b;
    b.total++;
    b.byOperation[operation] = (b.byOperation[operation] ?? 0) + 1;
    if (unroutedDescr) d.unrouted.push(unroutedDescr);
  }
  snapshot(): RequestCounters {
    return structuredClone(this.data);
  }
  reset(): void {
    this.data = { ...bucket(), byIdentity: {}, unrouted: [] };
  }
}
