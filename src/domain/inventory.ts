/**
 * The partner inventory of one Service: every partner connection plsctl has seen on the Service's
 * Private Link Services, kept in the cluster (a ConfigMap `plsctl-partners-<service>` in the
 * Service's namespace, owned by nothing) so that it outlives the Service and the PLS. AKS deletes
 * the PLS with its frontend — every connection first (kubernetes-sigs/cloud-provider-azure
 * pkg/provider/azure_privatelinkservice.go, safeDeletePLS) — and the new PLS has a new alias; the
 * inventory is what still knows who was connected. Pure: parsing, merging, what is missing.
 */
import type { ConnectionSummary } from "./connections.js";
import { ExitCode, PlsctlError } from "./errors.js";

export const INVENTORY_KEY = "partners.json";
export const INVENTORY_LABEL = "plsctl.io/partners-of";
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const inventoryName = (service: string): string => `plsctl-partners-${service}`;

/**
 * At most this many subscriptions in each of a PLS's lists (visibility, auto-approval): Azure's
 * Private Link limits ("Number of subscriptions allowed in visibility setting on private link
 * service" and "… in auto-approval setting", 100 each; learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits,
 * Private Link limits, from MicrosoftDocs/azure-docs includes/private-link-limits.md). The sandbox
 * does not enforce it; plsctl refuses a restore beyond it before writing.
 */
export const MAX_LIST_SUBSCRIPTIONS = 100;

export interface PartnerRecord {
  connection: string;
  requesterSubscription: string | null;
  privateEndpointId: string | null;
  privateEndpointName: string | null;
  linkIdentifier: string | null;
  /** ARM's state when last seen; `Removed` (plsctl removed it) or `Gone` (left a PLS that is still there). */
  state: string;
  approvedAt: string | null;
  /** The policy entry, selector or `auto-approval` that approved it; null when unknown. */
  approvedBy: string | null;
  plsId: string;
  alias: string | null;
  lastSeen: string;
}

export interface ExposureRecord {
  plsId: string;
  alias: string | null;
  /** The kubeconfig context it was seen through. */
  context: string | null;
  firstSeen: string;
  lastSeen: string;
}

export interface Inventory {
  version: 1;
  service: { namespace: string; name: string };
  /** Every PLS the Service has had, the newest last. */
  exposures: ExposureRecord[];
  partners: PartnerRecord[];
}

export const emptyInventory = (namespace: string, name: string): Inventory => ({
  version: 1,
  service: { namespace, name },
  exposures: [],
  partners: [],
});

const low = (s: string | null | undefined) => (s ?? "").toLowerCase();
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => typeof v === "string";
const strOrNull = (v: unknown) => v === null || typeof v === "string";

function partnerProblem(p: unknown, i: number): string | undefined {
  if (!isObj(p)) return `partners[${i}] is not an object`;
  for (const k of ["connection", "state", "plsId", "lastSeen"] as const)
    if (!str(p[k]) || p[k] === "") return `partners[${i}].${k} is not a non-empty string`;
  for (const k of [
    "requesterSubscription",
    "privateEndpointId",
    "privateEndpointName",
    "linkIdentifier",
    "approvedAt",
    "approvedBy",
    "alias",
  ] as const)
    if (!strOrNull(p[k])) return `partners[${i}].${k} is not a string or null`;
  return undefined;
}

function exposureProblem(e: unknown, i: number): string | undefined {
  if (!isObj(e)) return `exposures[${i}] is not an object`;
  for (const k of ["plsId", "firstSeen", "lastSeen"] as const)
    if (!str(e[k]) || e[k] === "") return `exposures[${i}].${k} is not a non-empty string`;
  if (!strOrNull(e.alias) || !strOrNull(e.context)) return `exposures[${i}] has a bad alias or context`;
  return undefined;
}

/** The inventory in `text`, or what is wrong with it (one phrase). */
export function parseInventory(text: string | undefined): { inventory: Inventory } | { problem: string } {
  if (text === undefined) return { problem: `it has no data key ${INVENTORY_KEY}` };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { problem: `${INVENTORY_KEY} is not JSON (${(err as Error).message})` };
  }
  if (!isObj(v)) return { problem: `${INVENTORY_KEY} is not a JSON object` };
  if (v.version !== 1) return { problem: `${INVENTORY_KEY} has version ${JSON.stringify(v.version)}, not 1` };
  const svc = v.service;
  if (!isObj(svc) || !str(svc.namespace) || !str(svc.name))
    return { problem: `${INVENTORY_KEY} has no service {namespace, name}` };
  if (!Array.isArray(v.exposures) || !Array.isArray(v.partners))
    return { problem: `${INVENTORY_KEY} has no exposures and partners lists` };
  const problem =
    v.exposures.map(exposureProblem).find(Boolean) ?? v.partners.map(partnerProblem).find(Boolean);
  if (problem) return { problem: `${INVENTORY_KEY}: ${problem}` };
  return { inventory: v as unknown as Inventory };
}

export const serializeInventory = (inv: Inventory): string => `${JSON.stringify(inv, null, 2)}\n`;

/** The error (or warning text) for an inventory edited into something plsctl cannot read. */
export function invalidInventory(namespace: string, name: string, problem: string): PlsctlError {
  return new PlsctlError(
    `The partner inventory ConfigMap ${namespace}/${name} cannot be read: ${problem}. plsctl neither uses nor overwrites it.`,
    {
      exitCode: ExitCode.Usage,
      code: "InventoryInvalid",
      hint: `Fix it (kubectl edit configmap ${name} -n ${namespace}) or delete it (kubectl delete configmap ${name} -n ${namespace}); the next plsctl status records the partners connected now.`,
    },
  );
}

const samePls = (a: string, b: string) => low(a) === low(b);
const key = (p: { plsId: string; connection: string }) => `${low(p.plsId)}|${low(p.connection)}`;

/** Records that the Service's PLS is `pls` now (kept as the newest exposure). */
export function observeExposure(
  inv: Inventory,
  pls: { id: string; alias: string | null },
  context: string | null,
  now: string,
): Inventory {
  const old = inv.exposures.find((e) => samePls(e.plsId, pls.id));
  const rest = inv.exposures.filter((e) => !samePls(e.plsId, pls.id));
  const entry: ExposureRecord = {
    plsId: pls.id,
    alias: pls.alias ?? old?.alias ?? null,
    context: context ?? old?.context ?? null,
    firstSeen: old?.firstSeen ?? now,
    lastSeen: now,
  };
  const last = inv.exposures.at(-1);
  const isLast = last !== undefined && samePls(last.plsId, pls.id);
  return { ...inv, exposures: [...rest, isLast ? settled(old, entry) : entry] };
}

/** `next`, but with `old`'s lastSeen when nothing else changed: a re-run writes nothing. */
function settled<T extends { lastSeen: string }>(old: T | undefined, next: T): T {
  if (!old) return next;
  return JSON.stringify({ ...next, lastSeen: "" }) === JSON.stringify({ ...old, lastSeen: "" }) ? old : next;
}

function upsert(inv: Inventory, rec: PartnerRecord): Inventory {
  const k = key(rec);
  const at = inv.partners.findIndex((p) => key(p) === k);
  const partners = [...inv.partners];
  if (at >= 0) partners[at] = settled(partners[at], rec);
  else partners.push(rec);
  return { ...inv, partners };
}

/**
 * Merges what ARM lists now on `pls`: each connection upserted; a connection recorded on this PLS
 * and no longer listed was removed or its endpoint deleted (`Gone`, unless plsctl said `Removed`).
 * Connections on other PLSs are left as they were: they are what a recreation cut off.
 */
export function observeConnections(
  inv: Inventory,
  pls: { id: string; alias: string | null; autoApproval: string[] },
  connections: ConnectionSummary[],
  now: string,
): Inventory {
  let out = inv;
  const seen = new Set<string>();
  for (const c of connections) {
    const k = key({ plsId: pls.id, connection: c.name });
    seen.add(k);
    const old = out.partners.find((p) => key(p) === k);
    const approved = c.status === "Approved";
    const auto = pls.autoApproval.some((s) => low(s) === low(c.requesterSubscription));
    out = upsert(out, {
      connection: c.name,
      requesterSubscription: c.requesterSubscription,
      privateEndpointId: c.privateEndpointId,
      privateEndpointName: c.privateEndpointName,
      linkIdentifier: c.linkIdentifier ?? old?.linkIdentifier ?? null,
      state: c.status,
      approvedAt: old?.approvedAt ?? (approved ? now : null),
      approvedBy: old?.approvedBy ?? (approved && auto ? "auto-approval" : null),
      plsId: pls.id,
      alias: pls.alias ?? old?.alias ?? null,
      lastSeen: now,
    });
  }
  const partners = out.partners.map((p) =>
    samePls(p.plsId, pls.id) && !seen.has(key(p)) && p.state !== "Removed" && p.state !== "Gone"
      ? { ...p, state: "Gone" }
      : p,
  );
  return { ...out, partners };
}

/** One decision that landed (approve/reject/remove), as the inventory records it. */
export interface DecisionRecord {
  plsId: string;
  alias: string | null;
  name: string;
  requester: string | null;
  privateEndpointId: string | null;
  action: "approve" | "reject" | "remove";
  rule: string;
}

export function recordDecision(inv: Inventory, d: DecisionRecord, now: string): Inventory {
  const old = inv.partners.find((p) => key(p) === key({ plsId: d.plsId, connection: d.name }));
  const endpointName = d.privateEndpointId?.split("/").at(-1) ?? old?.privateEndpointName ?? null;
  return upsert(inv, {
    connection: d.name,
    requesterSubscription: d.requester ? low(d.requester) : (old?.requesterSubscription ?? null),
    privateEndpointId: d.privateEndpointId ?? old?.privateEndpointId ?? null,
    privateEndpointName: endpointName,
    linkIdentifier: old?.linkIdentifier ?? null,
    state: d.action === "approve" ? "Approved" : d.action === "reject" ? "Rejected" : "Removed",
    approvedAt: d.action === "approve" ? now : (old?.approvedAt ?? null),
    approvedBy: d.action === "approve" ? d.rule : (old?.approvedBy ?? null),
    plsId: d.plsId,
    alias: d.alias ?? old?.alias ?? null,
    lastSeen: now,
  });
}

const LIVE = new Set(["Approved", "Pending"]);

/**
 * Partners who were connected (Approved when last seen) on another PLS of the Service and have no
 * live connection from the same private endpoint (or, failing an endpoint id, the same
 * subscription) on `currentPlsId` now. One per endpoint, the newest sighting.
 */
export function missingPartners(
  inv: Inventory,
  currentPlsId: string,
  current: ConnectionSummary[],
): PartnerRecord[] {
  const live = current.filter((c) => LIVE.has(c.status));
  const liveEndpoints = new Set(live.map((c) => low(c.privateEndpointId)).filter(Boolean));
  const liveSubs = new Set(live.map((c) => low(c.requesterSubscription)).filter(Boolean));
  const byEndpoint = new Map<string, PartnerRecord>();
  for (const p of inv.partners) {
    if (p.state !== "Approved" || samePls(p.plsId, currentPlsId)) continue;
    const back = p.privateEndpointId
      ? liveEndpoints.has(low(p.privateEndpointId))
      : liveSubs.has(low(p.requesterSubscription));
    if (back) continue;
    const k = low(p.privateEndpointId) || `${low(p.requesterSubscription)}|${low(p.connection)}`;
    const prev = byEndpoint.get(k);
    if (!prev || prev.lastSeen < p.lastSeen) byEndpoint.set(k, p);
  }
  return [...byEndpoint.values()];
}

/** The newest recorded exposure on another PLS than `currentPlsId`, if any. */
export function previousExposure(inv: Inventory, currentPlsId: string): ExposureRecord | undefined {
  return inv.exposures.filter((e) => !samePls(e.plsId, currentPlsId)).at(-1);
}

/** The newest recorded exposure. */
export const latestExposure = (inv: Inventory): ExposureRecord | undefined => inv.exposures.at(-1);

/**
 * The visibility and auto-approval lists with `subscriptions` added (visibility `*` stays `*`);
 * refused beyond Azure's 100 per list, naming the count.
 */
export function restoredLists(
  visibility: string[],
  autoApproval: string[],
  subscriptions: string[],
): { visibility: string[]; autoApproval: string[]; added: string[] } {
  const add = (list: string[]) => {
    const have = new Set(list.map(low));
    return [...list, ...subscriptions.filter((s) => !have.has(low(s)))];
  };
  const vis = visibility.includes("*") ? visibility : add(visibility);
  const auto = add(autoApproval);
  for (const [flag, list] of [
    ["azure-pls-visibility", vis],
    ["azure-pls-auto-approval", auto],
  ] as const) {
    if (list.length > MAX_LIST_SUBSCRIPTIONS)
      throw new PlsctlError(
        `Restoring ${subscriptions.length} partner subscription(s) would put ${list.length} subscriptions in ${flag}; Azure allows at most ${MAX_LIST_SUBSCRIPTIONS} per list. Nothing was written.`,
        {
          exitCode: ExitCode.Usage,
          code: "TooManySubscriptions",
          hint: `Remove subscriptions that no longer need access from ${flag} (plsctl expose --visibility/--auto-approve with the list to keep), or approve these partners one by one with plsctl approve once they connect again.`,
        },
      );
  }
  const added = subscriptions.filter((s) => !autoApproval.some((a) => low(a) === low(s)));
  return { visibility: vis, autoApproval: auto, added };
}
