/**
 * Waiting for the controller: the Service's events and status are watched (cheap, instant), ARM is
 * read sparingly with backoff — and at once when the watch says the controller finished a sync.
 * A SyncLoadBalancerFailed newer than our change ends the wait with the controller's message.
 */
import type { Azure } from "../azure/index.js";
import type { Context } from "../context.js";
import { controllerFailure } from "../domain/controller-errors.js";
import { timeoutError } from "../domain/errors.js";
import type { PlsView } from "../domain/pls.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import { type EventView, listServiceEvents, watchService, watchServiceEvents } from "../kube/events.js";
import type { Kube } from "../kube/index.js";
import { getService } from "../kube/services.js";
import { findServicePlsIn, type PlsLocation } from "./locate.js";

export interface EventBaseline {
  resourceVersion: string;
  counts: Map<string, number>;
}

export async function eventBaseline(kube: Kube, svc: ServiceView): Promise<EventBaseline> {
  const { events, resourceVersion } = await listServiceEvents(kube, svc);
  return { resourceVersion, counts: new Map(events.map((e) => [e.name, e.count])) };
}

export interface WaitOptions {
  svc: ServiceView;
  location: PlsLocation;
  baseline: EventBaseline;
  /** Did this run change the annotations? Then only a sync after the change counts. */
  changed: boolean;
  wantedName: string | undefined;
  /** Extra readiness condition on the PLS (properties that must show the change). */
  matches: (pls: PlsView) => boolean;
  timeoutMs: number;
}

export interface WaitOutcome {
  pls: PlsView;
  service: ServiceView;
}

/** Backoff for ARM reads while nothing signals progress: 2, 4, 8, 15, 15, … seconds. */
export const ARM_POLL_MS = [2000, 4000, 8000, 15000] as const;

/** Even when woken, ARM reads stay this far apart. */
const MIN_READ_SPACING_MS = 250;

/** Sleeps `ms`, or less when woken; Ctrl-C still rejects. */
async function pause(ctx: Context, ms: number, setWake: (wake: () => void) => void): Promise<void> {
  const sleeper = new AbortController();
  const onAbort = () => sleeper.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  setWake(() => sleeper.abort("woken"));
  try {
    await ctx.clock.sleep(ms, sleeper.signal);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

export async function waitForPls(
  ctx: Context,
  kube: Kube,
  azure: Azure,
  o: WaitOptions,
): Promise<WaitOutcome> {
  const ref = serviceRef(o.svc);
  const deadline = ctx.clock.now() + o.timeoutMs;
  let wake: (() => void) | undefined;
  let pending = false;
  const signal = () => {
    pending = true;
    wake?.();
  };
  let failure: EventView | undefined;
  let ensured = false;
  const seen = new Map(o.baseline.counts);
  const onEvent = (e: EventView) => {
    // Only news wakes the loop: the watch and the fallback list report the same events.
    if ((seen.get(e.name) ?? 0) >= e.count) return;
    seen.set(e.name, e.count);
    if (e.reason === "SyncLoadBalancerFailed") failure = e;
    if (e.reason === "EnsuredLoadBalancer") {
      ensured = true;
      failure = undefined;
    }
    signal();
  };
  const watches = [
    watchServiceEvents(kube, o.svc, o.baseline.resourceVersion, onEvent),
    watchService(kube, o.svc, signal),
  ];
  let phase = "";
  const setPhase = (p: string) => {
    if (p !== phase) ctx.report.phase(p);
    phase = p;
  };
  try {
    let attempt = 0;
    let service = o.svc;
    const hadIp = o.svc.ingressIps.length > 0;
    setPhase(
      service.ingressIps.length ? "Waiting for the Private Link Service" : "Waiting for the load balancer IP",
    );
    for (;;) {
      // Kubernetes reads are cheap; they also cover a watch that could not be opened.
      service = await getService(kube, o.svc.namespace, o.svc.name);
      const { events } = await listServiceEvents(kube, service);
      for (const e of events) onEvent(e);
      if (!o.changed && !ensured && !failure) {
        const last = [...events]
          .reverse()
          .find((e) => e.reason === "SyncLoadBalancerFailed" || e.reason === "EnsuredLoadBalancer");
        if (last?.reason === "SyncLoadBalancerFailed") failure = last;
      }
      const pls = await findServicePlsIn(azure, o.location, service, o.wantedName);
      if (pls) {
        setPhase(
          `Private Link Service ${pls.name} ${pls.provisioningState === "Succeeded" ? "provisioned" : "provisioning"}`,
        );
        // After a change, only a sync that saw it counts: its EnsuredLoadBalancer event, or the
        // first ingress IP (the controller sets it only when the whole reconcile succeeded).
        const synced = !o.changed || ensured || (!hadIp && service.ingressIps.length > 0);
        if (
          pls.provisioningState === "Succeeded" &&
          service.ingressIps.length > 0 &&
          synced &&
          o.matches(pls)
        ) {
          return { pls, service };
        }
      } else if (service.ingressIps.length > 0) {
        setPhase("Load balancer IP assigned; waiting for the Private Link Service");
      }
      if (
        failure &&
        !(pls?.provisioningState === "Succeeded" && o.matches(pls) && service.ingressIps.length > 0)
      ) {
        throw controllerFailure(ref, failure.message);
      }
      const now = ctx.clock.now();
      if (now >= deadline) {
        throw timeoutError(
          `Timed out after ${Math.round(o.timeoutMs / 1000)} s waiting for the Private Link Service of ${ref}${pls ? ` (${pls.name} is ${pls.provisioningState})` : ""}.`,
          `Nothing is lost: re-run the same command to keep waiting, or look at: kubectl describe service ${o.svc.name} -n ${o.svc.namespace}`,
        );
      }
      const backoff = ARM_POLL_MS[Math.min(attempt, ARM_POLL_MS.length - 1)] as number;
      attempt += 1;
      await pause(ctx, pending ? MIN_READ_SPACING_MS : Math.min(backoff, deadline - now), (w) => {
        wake = w;
      });
      pending = false;
      wake = undefined;
    }
  } finally {
    for (const w of watches) w.stop();
  }
}
