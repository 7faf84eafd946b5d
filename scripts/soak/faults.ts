/**
 * The faults the soak injects: about 10 % of the ARM requests plsctl sends (as the provider, CI and
 * every partner) answer 429 with Retry-After, 500, 503, reset the connection, arrive late, or end
 * their long-running operation Failed — the sandbox's fault rules, through its admin API. The
 * simulated cloud controller's own requests are left alone: the soak tests plsctl, not the controller.
 */
export const FAULT_KINDS = ["429", "500", "503", "drop", "latency", "lroFailed"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Each kind's chance per request; together about 10 %. */
const PROBABILITY: Record<FaultKind, number> = {
  "429": 0.025,
  "500": 0.015,
  "503": 0.02,
  drop: 0.015,
  latency: 0.02,
  lroFailed: 0.01,
};

export interface SoakFaultRule {
  kind: FaultKind;
  identity: string;
  probability: number;
  retryAfter?: number;
  latencyMs?: number;
  errorMessage?: string;
  match?: { method: string };
}

export function faultRules(identities: readonly string[]): SoakFaultRule[] {
  return identities.flatMap((identity) =>
    FAULT_KINDS.map((kind): SoakFaultRule => {
      const rule: SoakFaultRule = { kind, identity, probability: PROBABILITY[kind] };
      if (kind === "429") rule.retryAfter = 1;
      if (kind === "latency") rule.latencyMs = 1500;
      if (kind === "lroFailed") {
        rule.errorMessage = "Soak: the operation failed (sandbox fault injection)";
        rule.match = { method: "PUT" };
      }
      return rule;
    }),
  );
}

/** How often each kind fired, from the sandbox's `GET /_sandbox/faults` (`used` per rule). */
export function firedByKind(listing: unknown): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const rules = Array.isArray(listing)
    ? listing
    : ((listing as { faults?: unknown[]; arm?: unknown[] } | undefined)?.faults ?? []);
  for (const r of rules as { kind?: string; used?: number }[]) {
    if (r.kind && r.kind in counts) counts[r.kind as FaultKind] += r.used ?? 0;
  }
  return counts;
}
