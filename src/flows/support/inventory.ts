/**
 * Keeps the partner inventory (src/domain/inventory.ts) current in the cluster: read, merge, write
 * with the ConfigMap's resourceVersion (a concurrent writer's 409 means re-read and merge again, so
 * no partner is lost), and nothing written when nothing changed. The inventory is a record, never
 * a permission: a provider identity that may not read or write ConfigMaps gets a warning, and an
 * inventory edited into something unreadable is named in a warning (or an error where the command
 * needs it) and left as it is.
 */
import type { Context } from "../../context.js";
import { summarizeConnection } from "../../domain/connections.js";
import type { Decision, Selection } from "../../domain/decide.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import {
  emptyInventory,
  INVENTORY_KEY,
  INVENTORY_LABEL,
  type Inventory,
  invalidInventory,
  inventoryName,
  MANAGED_BY_LABEL,
  observeConnections,
  observeExposure,
  parseInventory,
  recordDecision,
  serializeInventory,
} from "../../domain/inventory.js";
import { mergeInventories } from "../../domain/migrate.js";
import { OWNER_TAG, type PlsView } from "../../domain/pls.js";
import { readConfigMap, writeConfigMap } from "../../kube/configmaps.js";
import type { Kube } from "../../kube/index.js";

export interface ServiceKey {
  namespace: string;
  name: string;
}

export type InventoryRead =
  | { inventory: Inventory; resourceVersion: string | undefined }
  | { invalid: PlsctlError };

/** The inventory as it is (an empty one when there is none yet). Throws what the API answers (403…). */
export async function readInventory(kube: Kube, svc: ServiceKey): Promise<InventoryRead> {
  const name = inventoryName(svc.name);
  const cm = await readConfigMap(kube, svc.namespace, name);
  if (!cm) return { inventory: emptyInventory(svc.namespace, svc.name), resourceVersion: undefined };
  const parsed = parseInventory(cm.data[INVENTORY_KEY]);
  if ("problem" in parsed) return { invalid: invalidInventory(svc.namespace, name, parsed.problem) };
  return { inventory: parsed.inventory, resourceVersion: cm.resourceVersion };
}

/** The inventory, for a command that acts on it: unreadable or invalid is an error. */
export async function requireInventory(kube: Kube, svc: ServiceKey): Promise<Inventory> {
  const r = await readInventory(kube, svc);
  if ("invalid" in r) throw r.invalid;
  return r.inventory;
}

const isAuth = (err: unknown) => err instanceof PlsctlError && err.exitCode === ExitCode.Auth;

function cannotRecord(ctx: Context, svc: ServiceKey, err: PlsctlError): void {
  ctx.report.warn(
    `Could not keep the partner inventory ${svc.namespace}/${inventoryName(svc.name)} current: ${err.message}`,
    "Let this identity get, create and update ConfigMaps in the Service's namespace, or run plsctl status with one that may; nothing else was affected.",
  );
}

/**
 * Applies `change` to the inventory and writes it back if it changed. Returns the inventory as
 * written (or as found), or undefined when it could not be kept (a warning said why).
 */
export async function updateInventory(
  ctx: Context,
  kube: Kube,
  svc: ServiceKey,
  change: (inv: Inventory) => Inventory,
): Promise<Inventory | undefined> {
  const name = inventoryName(svc.name);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await readInventory(kube, svc);
      if ("invalid" in read) {
        ctx.report.warn(read.invalid.message, read.invalid.hint);
        return undefined;
      }
      const next = change(read.inventory);
      if (read.resourceVersion && serializeInventory(next) === serializeInventory(read.inventory))
        return next;
      const w = await writeConfigMap(kube, {
        namespace: svc.namespace,
        name,
        labels: { [MANAGED_BY_LABEL]: "plsctl", [INVENTORY_LABEL]: svc.name },
        data: { [INVENTORY_KEY]: serializeInventory(next) },
        resourceVersion: read.resourceVersion,
      });
      if (!w.conflict) return next;
      ctx.report.debug(`partner inventory ${svc.namespace}/${name} changed meanwhile; merging again`);
    }
    ctx.report.warn(
      `The partner inventory ${svc.namespace}/${name} kept changing under plsctl; not updated this time.`,
    );
    return undefined;
  } catch (err) {
    if (!isAuth(err)) throw err;
    cannotRecord(ctx, svc, err as PlsctlError);
    return undefined;
  }
}

const iso = (ctx: Context) => new Date(ctx.clock.now()).toISOString();

/** Records the Service's PLS and the connections ARM lists on it now. */
export function recordObserved(
  ctx: Context,
  kube: Kube,
  svc: ServiceKey,
  pls: PlsView,
  seed?: Inventory,
): Promise<Inventory | undefined> {
  const now = iso(ctx);
  const alias = pls.alias ?? null;
  return updateInventory(ctx, kube, svc, (found) =>
    observeConnections(
      observeExposure(
        seed ? mergeInventories(found, seed) : found,
        { id: pls.id, alias },
        kube.contextName,
        now,
      ),
      { id: pls.id, alias, autoApproval: pls.autoApproval },
      pls.connections.map(summarizeConnection),
      now,
    ),
  );
}

/** What approved a connection, in words: the policy entry, or the selectors given. */
function ruleOf(d: Decision, s: Selection): string {
  if (d.rule) return `policy:${d.rule}`;
  const words = [
    ...(s.names.length ? ["by name"] : []),
    ...(s.allPending ? ["--all-pending"] : []),
    ...s.fromSubscriptions.map((x) => `--from-subscription ${x}`),
    ...(s.messageMatch ? [`--message-match ${s.messageMatch.source}`] : []),
  ];
  return words.join(" ") || "plsctl";
}

/**
 * approve/reject/remove: the decisions that landed, in the inventory of the Service each PLS
 * belongs to (its `k8s-azure-owner-service` tag, as the controller writes it). Only when the
 * command reached the PLSs through the cluster (a Service name or -A); `--pls` and `--all` work
 * without Kubernetes, and the next status or expose records what they did.
 */
export async function recordDecisions(
  ctx: Context,
  o: { service?: string | undefined; allServices?: boolean | undefined; selection: Selection },
  targets: Array<{ pls: PlsView }>,
  results: Decision[],
): Promise<void> {
  if (o.service === undefined && !o.allServices) return;
  const selection = o.selection;
  const landed = results.filter(
    (d) => d.action !== "none" && ["approved", "rejected", "removed"].includes(d.outcome),
  );
  if (!landed.length) return;
  const kube = await ctx.kube();
  const now = iso(ctx);
  for (const { pls: p } of targets) {
    const [namespace, name] = (p.tags[OWNER_TAG] ?? "").split("/");
    const mine = landed.filter((d) => d.plsId.toLowerCase() === p.id.toLowerCase());
    if (!namespace || !name || !mine.length) continue;
    await updateInventory(ctx, kube, { namespace, name }, (inv) =>
      mine.reduce(
        (acc, d) =>
          recordDecision(
            acc,
            {
              plsId: p.id,
              alias: p.alias ?? null,
              name: d.name,
              requester: d.requester,
              privateEndpointId: d.privateEndpointId,
              action: d.action as "approve" | "reject" | "remove",
              rule: ruleOf(d, selection),
            },
            now,
          ),
        inv,
      ),
    );
  }
}
