/**
 * The words for the flows' progress events, and how the reporter shows each: a new phase, the
 * end of the current one, or a note.
 */
import type { ProgressEvent } from "../domain/progress.js";
import type { Reporter } from "./reporter.js";

export interface WordedProgress {
  /** `phase`: work begins; `done`: the current phase ends (with `text`, or as it was); `info`: a note. */
  as: "phase" | "done" | "info";
  text?: string;
}

const phase = (text: string): WordedProgress => ({ as: "phase", text });

/** Each event kind's words (the groups below; the type makes sure every kind has them). */
type Words = { [K in ProgressEvent["kind"]]: (e: Extract<ProgressEvent, { kind: K }>) => WordedProgress };

/** The words of expose, unexpose and the wait for the Private Link Service. */
const EXPOSE_WORDS = {
  annotated: (e) =>
    phase(
      e.changed
        ? `Annotated Service ${e.service}`
        : `Service ${e.service} already has these settings; nothing to change`,
    ),
  "reconcile-requested": (e) => ({
    as: "info",
    text: `Service ${e.service} already asks for a Private Link Service, but there is none (deleted, or the controller's last attempt failed): asking the AKS controller to reconcile it again`,
  }),
  "not-waiting": () => ({ as: "done" }),
  "pls-ready": (e) => ({ as: "done", text: `Private Link Service ${e.name} is ready` }),
  "waiting-lb-ip": () => phase("Waiting for the load balancer IP"),
  "waiting-pls": () => phase("Waiting for the Private Link Service"),
  "lb-ip-assigned": () => phase("Load balancer IP assigned; waiting for the Private Link Service"),
  "pls-provisioning": (e) => phase(`Waiting for Private Link Service ${e.name} (${e.state})`),
  "pls-waiting-lb-ip": (e) =>
    phase(`Waiting for Private Link Service ${e.name} (Succeeded; no load balancer IP yet)`),
  "pls-catching-up": (e) =>
    phase(`Waiting for Private Link Service ${e.name} to show ${e.missing.join(", ")}`),
  "waiting-sync": (e) => phase(`Waiting for the AKS controller to finish its sync of ${e.service}`),
  "pls-provisioned": (e) => phase(`Private Link Service ${e.name} provisioned`),
  "removing-annotations": (e) => phase(`Removing the Private Link annotations from ${e.service}`),
  "removing-connection": (e) => phase(`Removing connection ${e.name}`),
  "deleting-pls": (e) => phase(`Deleting Private Link Service ${e.name}`),
  unexposed: (e) => ({
    as: "done",
    text: e.changed ? `${e.service} is no longer exposed` : `${e.service} was not exposed; nothing to do`,
  }),
} satisfies Partial<Words>;

/** The words of connect and disconnect. */
const CONNECT_WORDS = {
  "connect-mode": (e) => ({ as: "info", text: connectModeText(e) }),
  "alias-not-visible-yet": (e) =>
    phase(
      `Alias not visible to this subscription yet; retrying in ${Math.round(e.retryInMs / 1000)} s (a new Private Link Service's alias can take minutes to resolve)${
        e.first
          ? `. plsctl keeps trying for up to ${Math.round(e.first.budgetMs / 1000)} s, in case the alias is new and still propagating; Ctrl-C stops (nothing is created yet), --timeout <duration> shortens the wait. A typo in the alias waits just as long: check it with the provider`
          : ""
      }`,
    ),
  "endpoint-reused": (e) => ({
    as: "info",
    text: `Private endpoint ${e.name} already exists with this target; reusing it (${e.state})`,
  }),
  "replacing-endpoint": (e) =>
    phase(
      `Deleting private endpoint ${e.name} (to ${e.target}, ${e.state}) to replace it; its IP and connection go with it`,
    ),
  "old-endpoint-deleted": (e) => ({
    as: "done",
    text: `Deleted private endpoint ${e.name} (to ${e.target})`,
  }),
  "creating-endpoint": (e) =>
    phase(`Creating private endpoint ${e.name} (${e.manual ? "manual" : "automatic"} connection)`),
  "endpoint-created": (e) => ({
    as: "done",
    text: `Private endpoint ${e.name} created: ${e.state}${e.privateIp ? `, private IP ${e.privateIp}` : ""}`,
  }),
  "dns-zone": (e) =>
    e.created || e.linked
      ? {
          as: "info",
          text: `Private DNS zone ${e.zone}: ${[e.created ? "created" : "", e.linked ? "linked to the VNet" : ""].filter(Boolean).join(", ")}`,
        }
      : e.central
        ? {
            as: "info",
            text: `Private DNS zone ${e.zone} is linked to the VNet already, from ${e.id}: writing there`,
          }
        : { as: "info", text: `Private DNS zone ${e.zone} exists and is linked to the VNet` },
  "dns-record": (e) => ({
    as: "info",
    text: e.changed ? `DNS: ${e.fqdn} → ${e.ip}` : `DNS: ${e.fqdn} already points at ${e.ip}`,
  }),
  "zone-group": (e) => ({
    as: "info",
    text: e.changed
      ? `DNS zone group on ${e.zone}: Azure writes the endpoint's records there`
      : `DNS zone group on ${e.zone} already in place`,
  }),
  "waiting-approval": (e) =>
    phase(
      `Waiting for the provider to approve ${e.name} (${e.state})${e.approveCommand ? `; they run: ${e.approveCommand}` : ""}`,
    ),
  "deleting-record": (e) => phase(`Deleting DNS record ${e.fqdn}`),
  "deleting-endpoint": (e) => phase(`Deleting private endpoint ${e.name}`),
} satisfies Partial<Words>;

/** The words of approve, reject, remove and their retries. */
const DECIDE_WORDS = {
  "policy-applied": (e) => ({
    as: "info",
    text:
      e.action === "unchanged"
        ? `${e.policyKind} ${e.policy} is up to date; nothing changed`
        : `${e.policyKind} ${e.policy} ${e.action}`,
  }),
  deciding: (e) =>
    phase(e.count === 0 ? "Nothing to write" : `${writesText(e.writes)} (up to ${e.concurrency} at a time)`),
  "arm-retry": (e) => ({ as: "info", text: retryText(e) }),
  "arm-answer": () => ({ as: "info" }),
  "decide-interrupted": (e) => ({ as: "done", text: interruptedText(e) }),
} satisfies Partial<Words>;

/** The words of the sandbox, the demo and the watchers' leader election. */
const SANDBOX_WORDS = {
  "sandbox-starting": (e) =>
    phase(`Starting the sandbox${e.realistic ? " (realistic delays: minutes, like AKS)" : ""}`),
  "deploying-sample-app": (e) => phase(`Deploying ${e.file} (a Pod and an internal LoadBalancer Service)`),
  "demo-step": (e) => ({ as: "info", text: `As the ${e.actor}: ${e.command}` }),
  "sandbox-resetting": () => ({ as: "info", text: "Resetting the sandbox to its world (SIGHUP)…" }),
  "sandbox-reset": () => ({ as: "info", text: "Sandbox reset." }),
  "sandbox-stopped": () => ({ as: "info", text: "Sandbox stopped; its state is kept." }),
  "leader-waiting": (e) => ({
    as: "info",
    text: `Waiting as follower (${e.identity}): Lease ${e.lease} is held by ${e.holder || "nobody yet"}`,
  }),
  "leader-elected": (e) => ({ as: "info", text: `Leader now (${e.identity}, Lease ${e.lease})` }),
  "leader-lost": (e) => ({
    as: "info",
    text: `Lost leadership (${e.identity}, Lease ${e.lease}): ${e.reason}`,
  }),
  "watch-pass-done": (e) => {
    const next = e.nextInMs === undefined ? "" : `; next in ${Math.round(e.nextInMs / 1000)}s`;
    return { as: "info", text: `Pass ${e.pass} done${e.summary ? `: ${e.summary}` : ""}${next}` };
  },
} satisfies Partial<Words>;

const WORDS: Words = { ...EXPOSE_WORDS, ...CONNECT_WORDS, ...DECIDE_WORDS, ...SANDBOX_WORDS };

export function wordProgress(e: ProgressEvent): WordedProgress {
  return (WORDS[e.kind] as (e: ProgressEvent) => WordedProgress)(e);
}

/** "Approving 2 connections, rejecting 1": what is written, by kind. */
export function writesText(w: { approve: number; reject: number; remove: number }): string {
  const parts = (
    [
      ["approving", w.approve],
      ["rejecting", w.reject],
      ["removing", w.remove],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([verb, n], i) => `${verb} ${n}${i === 0 ? ` connection${n === 1 ? "" : "s"}` : ""}`);
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const RETRY_WHY = {
  throttled: "Azure is throttling requests",
  busy: "another operation on the resource is still running",
  server: "an error on Azure's side",
  dropped: "the connection dropped",
} as const;

/** "Azure answered 429 SubscriptionRequestsThrottled to PUT privateEndpointConnections/pe-1 (…); trying again in 3 s (retry 1)". */
function retryText(e: Extract<ProgressEvent, { kind: "arm-retry" }>): string {
  const what =
    e.status === null
      ? `The connection to Azure dropped during ${e.method} ${e.resource}`
      : `Azure answered ${e.status}${e.code ? ` ${e.code}` : ""} to ${e.method} ${e.resource} (${RETRY_WHY[e.reason]})`;
  const wait = e.waitMs < 1000 ? `${e.waitMs} ms` : `${Math.round(e.waitMs / 100) / 10} s`;
  return `${what}; trying again in ${wait} (retry ${e.retry})`;
}

/** "2 of 5 approved", or with several kinds "3 of 6 written (2 approved, 1 rejected)". */
function interruptedText(e: Extract<ProgressEvent, { kind: "decide-interrupted" }>): string {
  const kinds = (
    [
      ["approved", e.writes.approve, e.planned.approve],
      ["rejected", e.writes.reject, e.planned.reject],
      ["removed", e.writes.remove, e.planned.remove],
    ] as const
  ).filter(([, , planned]) => planned > 0);
  if (kinds.length <= 1) return `${e.done} of ${e.count} ${kinds[0]?.[0] ?? "written"}`;
  return `${e.done} of ${e.count} written (${kinds.map(([w, n]) => `${n} ${w}`).join(", ")})`;
}

/** Why a connection is manual or automatic, said when it matters (Azure's rules surprise people). */
function connectModeText(e: Extract<ProgressEvent, { kind: "connect-mode" }>): string {
  switch (e.why) {
    case "alias":
      return "Manual connection: Azure accepts an alias only in a manual connection, so the provider approves it (unless they auto-approve your subscription)";
    case "auto-approved":
      return "Automatic connection: the provider auto-approves your subscription";
    case "not-auto-approved":
      return "Manual connection: the provider does not auto-approve your subscription (an automatic one would need their approval right, which Azure refuses across tenants with LinkedAuthorizationFailed)";
    case "paas-same-subscription":
      return "Automatic connection: the resource is in your subscription";
    case "paas-other-subscription":
      return "Manual connection: the resource is in another subscription; its owner approves it";
    case "linked-authorization-failed":
      return "Azure refused an automatic connection (LinkedAuthorizationFailed: no approval right on the target, or another tenant); asking for a manual one instead";
    case "other-tenant":
      return "Manual connection: the Private Link Service is in another tenant, where Azure accepts only a manual request (the provider auto-approves your subscription, so it is approved at once)";
    case "other-tenant-refused":
      return "Azure refused an automatic connection (InvalidAuthenticationTokenTenant: the target is in another tenant); asking for a manual one instead";
  }
}

/** Shows a progress event through the reporter. */
export function showProgress(report: Reporter, e: ProgressEvent): void {
  const { as, text } = wordProgress(e);
  if (as === "done") report.done(text);
  else if (text !== undefined) report[as](text);
}
