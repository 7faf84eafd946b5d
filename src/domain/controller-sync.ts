/**
 * The outcome of the AKS controller's syncs of a Service, read from its events. The service
 * controller (k8s.io/cloud-provider controllers/service) records `EnsuredLoadBalancer` after a
 * successful sync and `SyncLoadBalancerFailed` after a failed one; repeats of the same event are
 * aggregated (count + lastTimestamp). Events are ordered by their last timestamp (seconds), ties by
 * their resourceVersion (later writes have higher ones).
 */

export interface ControllerEvent {
  name: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string | undefined;
  resourceVersion: string;
}

export const SYNC_STARTED = "EnsuringLoadBalancer";
export const SYNC_SUCCEEDED = "EnsuredLoadBalancer";
export const SYNC_FAILED = "SyncLoadBalancerFailed";

function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 0;
}

/**
 * Oldest first: by last timestamp, then by resourceVersion. The timestamps are all ISO 8601 in the
 * same form (src/kube/events.ts writes them with toISOString), so comparing their characters is
 * comparing the times — and, unlike localeCompare, needs no ICU collator (~15 ms to set up at its
 * first use, in every status).
 */
export function eventOrder(a: ControllerEvent, b: ControllerEvent): number {
  const x = a.lastSeen ?? "";
  const y = b.lastSeen ?? "";
  return x < y ? -1 : x > y ? 1 : compareVersions(a.resourceVersion, b.resourceVersion);
}

const isOutcome = (e: ControllerEvent) => e.reason === SYNC_SUCCEEDED || e.reason === SYNC_FAILED;

/**
 * The latest sync outcome event (succeeded or failed). With `since` (event counts taken just before
 * a change), only a sync that started after the change counts — its `EnsuringLoadBalancer` is new
 * or counted up — so the late failure of a sync that was already running is not mistaken for it.
 */
export function lastSync(
  events: readonly ControllerEvent[],
  since?: ReadonlyMap<string, number>,
): ControllerEvent | undefined {
  if (since === undefined) return events.filter(isOutcome).sort(eventOrder).at(-1);
  const after = events.filter((e) => e.count > (since.get(e.name) ?? 0)).sort(eventOrder);
  const started = after.filter((e) => e.reason === SYNC_STARTED).at(-1);
  const outcome = after.filter(isOutcome).at(-1);
  return started && outcome && eventOrder(outcome, started) > 0 ? outcome : undefined;
}

/**
 * Whether the controller has finished with the Service for now: its latest sync outcome is newer
 * than its latest `EnsuringLoadBalancer` (no sync running). False without any outcome (it has not
 * started, or its events expired).
 */
export function controllerIdle(events: readonly ControllerEvent[]): boolean {
  const outcome = lastSync(events);
  const started = events
    .filter((e) => e.reason === SYNC_STARTED)
    .sort(eventOrder)
    .at(-1);
  return outcome !== undefined && (started === undefined || eventOrder(outcome, started) > 0);
}

/** Warning events newer than the last successful sync (all of them when none succeeded). */
export function warningsSinceLastSuccess(events: readonly ControllerEvent[]): ControllerEvent[] {
  const sorted = [...events].sort(eventOrder);
  const success = sorted.filter((e) => e.reason === SYNC_SUCCEEDED).at(-1);
  return sorted.filter((e) => e.type === "Warning" && (!success || eventOrder(e, success) > 0));
}

/** Keeps the newer copy of each event (the watch and the list report the same ones). */
export function mergeEvents(
  known: Map<string, ControllerEvent>,
  events: readonly ControllerEvent[],
): boolean {
  let news = false;
  for (const e of events) {
    const prev = known.get(e.name);
    if (prev && (prev.count > e.count || (prev.count === e.count && eventOrder(prev, e) >= 0))) continue;
    known.set(e.name, e);
    news = true;
  }
  return news;
}
