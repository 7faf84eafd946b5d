/**
 * Waiting for the controller: the Service's events and status are watched (cheap, instant), ARM is
 * read sparingly with backoff — and at once when the watch says the controller finished a sync.
 *
 * Ready means: the controller's last sync outcome is a success (after this run's change, if it
 * made one), the PLS is `Succeeded`, the Service has its ingress IP, and the PLS shows every
 * azure-pls-* annotation the Service has now. A failed sync newer than the last success ends the
 * wait at once with the controller's message.
 */
import type { Azure } from "../../azure/index.js";
import { loadBalancerFrontends } from "../../azure/pls.js";
import type { Context } from "../../context.js";
import { controllerFailure } from "../../domain/controller-errors.js";
import {
  type ControllerEvent,
  controllerIdle,
  lastSync,
  mergeEvents,
  SYNC_FAILED,
} from "../../domain/controller-sync.js";
import { timeoutError } from "../../domain/errors.js";
import type { PlsView } from "../../domain/pls.js";
import { expectedPls, plsMismatches } from "../../domain/pls-match.js";
import type { ProgressEvent } from "../../domain/progress.js";
import { type ServiceView, serviceRef } from "../../domain/service.js";
import { listServiceEvents, watchService, watchServiceEvents } from "../../kube/events.js";
import type { Kube } from "../../kube/index.js";
import { getService } from "../../kube/services.js";
import { findPlsForService, INTERNAL_LB, type PlsLocation } from "../support/locate.js";
import { type Check, createWaker, done, notYet, pollUntil } from "../support/poll.js";

export interface EventBaseline {
  resourceVersion: string;
  counts: Map<string, number>;
  /** The controller is not syncing the Service now (see controllerIdle). */
  controllerIdle: boolean;
}

export async function eventBaseline(kube: Kube, svc: ServiceView): Promise<EventBaseline> {
  const { events, resourceVersion } = await listServiceEvents(kube, svc);
  return {
    resourceVersion,
    counts: new Map(events.map((e) => [e.name, e.count])),
    controllerIdle: controllerIdle(events),
  };
}

export interface WaitOptions {
  svc: ServiceView;
  location: PlsLocation;
  baseline: EventBaseline;
  /** Did this run change the Service? Then only a sync after the change counts. */
  changed: boolean;
  wantedName: string | undefined;
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

/** What the user learns while waiting: never "provisioned" before the PLS and the Service are. */
function waitingPhase(pls: PlsView | undefined, service: ServiceView, missing: string[]): ProgressEvent {
  const hasIp = service.ingressIps.length > 0;
  if (!pls) return { kind: hasIp ? "lb-ip-assigned" : "waiting-lb-ip" };
  const state = pls.provisioningState ?? "Unknown";
  if (state !== "Succeeded") return { kind: "pls-provisioning", name: pls.name, state };
  if (!hasIp) return { kind: "pls-waiting-lb-ip", name: pls.name };
  if (missing.length) return { kind: "pls-catching-up", name: pls.name, missing };
  return { kind: "waiting-sync", service: serviceRef(service) };
}

export async function waitForPls(
  ctx: Context,
  kube: Kube,
  azure: Azure,
  o: WaitOptions,
): Promise<WaitOutcome> {
  const ref = serviceRef(o.svc);
  const waker = createWaker();
  const known = new Map<string, ControllerEvent>();
  const onEvent = (e: ControllerEvent) => {
    // Only news wakes the loop: the watch and the list report the same events.
    if (mergeEvents(known, [e]) && (e.reason === SYNC_FAILED || e.reason === "EnsuredLoadBalancer")) {
      waker.wake();
    }
  };
  const watches = [
    watchServiceEvents(kube, o.svc, o.baseline.resourceVersion, onEvent),
    watchService(kube, o.svc, () => waker.wake()),
  ];
  let phase = "";
  const setPhase = (p: ProgressEvent) => {
    const key = JSON.stringify(p);
    if (key !== phase) ctx.progress(p);
    phase = key;
  };
  /** The subnet of the Service's frontend: the NAT subnet when no annotation names one. */
  let frontendSubnet: string | undefined;
  const defaultNatSubnet = async (pls: PlsView): Promise<string | undefined> => {
    if (frontendSubnet !== undefined || !pls.frontendIds[0]) return frontendSubnet;
    const frontends = await loadBalancerFrontends(
      azure,
      o.location.subscriptionId,
      o.location.nodeResourceGroup,
      INTERNAL_LB,
    );
    const own = frontends.find((f) => f.id.toLowerCase() === pls.frontendIds[0]?.toLowerCase());
    frontendSubnet = /\/subnets\/([^/]+)$/i.exec(own?.subnetId ?? "")?.[1];
    return frontendSubnet;
  };
  const hadIp = o.svc.ingressIps.length > 0;
  /** What the last look saw, for the timeout's message. */
  let seen: { pls: PlsView | undefined; missing: string[] } = { pls: undefined, missing: [] };

  const check = async (): Promise<Check<WaitOutcome>> => {
    // Kubernetes reads are cheap; they also cover a watch that could not be opened.
    const service = await getService(kube, o.svc.namespace, o.svc.name);
    mergeEvents(known, (await listServiceEvents(kube, service)).events);
    const events = [...known.values()];
    const outcome = lastSync(events, o.changed ? o.baseline.counts : undefined);
    // Without a change, a failure the controller is already retrying is not the last word yet.
    if (outcome?.reason === SYNC_FAILED && (o.changed || controllerIdle(events)))
      throw controllerFailure(ref, outcome.message);
    // A success after the change; without a change, no failure since the last success. The first
    // ingress IP also proves a successful sync (the controller sets it only then).
    const synced = outcome !== undefined || !o.changed || (!hadIp && service.ingressIps.length > 0);

    const pls = await findPlsForService(azure, o.location, service, o.wantedName);
    const expected = expectedPls(service.annotations);
    const missing = pls
      ? plsMismatches(expected, pls, expected.natSubnet ?? (await defaultNatSubnet(pls)))
      : [];
    seen = { pls, missing };
    if (
      pls?.provisioningState === "Succeeded" &&
      service.ingressIps.length > 0 &&
      missing.length === 0 &&
      synced
    ) {
      setPhase({ kind: "pls-provisioned", name: pls.name });
      return done({ pls, service });
    }
    setPhase(waitingPhase(pls, service, missing));
    return notYet;
  };

  try {
    setPhase({ kind: hadIp ? "waiting-pls" : "waiting-lb-ip" });
    return await pollUntil({
      check,
      backoff: ARM_POLL_MS,
      minSpacingMs: MIN_READ_SPACING_MS,
      wake: waker,
      signal: ctx.signal,
      clock: ctx.clock,
      timeoutMs: o.timeoutMs,
      onTimeout: () => {
        const { pls, missing } = seen;
        const where = pls
          ? ` (${pls.name} is ${pls.provisioningState}${missing.length ? `, not yet showing ${missing.join(", ")}` : ""})`
          : "";
        return timeoutError(
          `Timed out after ${Math.round(o.timeoutMs / 1000)} s waiting for the Private Link Service of ${ref}${where}.`,
          `Nothing is lost: re-run the same command to keep waiting, or look at: kubectl describe service ${o.svc.name} -n ${o.svc.namespace}`,
        );
      },
    });
  } finally {
    for (const w of watches) w.stop();
  }
}
