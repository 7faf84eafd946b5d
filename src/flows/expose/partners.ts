/**
 * `expose` and the partner inventory: before writing, what the Service's recorded exposure was and
 * which partners were connected to it and are not now; with `--restore-partners`, their
 * subscriptions added to the visibility and auto-approval annotations in the same write (the AKS
 * controller copies them onto the PLS: kubernetes-sigs/cloud-provider-azure
 * pkg/provider/azure_privatelinkservice.go, getPLSVisibility / getPLSAutoApproval), so that the
 * partner's next endpoint is approved at once (learn.microsoft.com/azure/private-link/
 * private-link-service-overview, "Control service access": auto-approval). After the wait, the new
 * PLS is recorded and each missing partner gets the one line to run.
 */
import type { Context } from "../../context.js";
import { ANN, type AnnotationChanges, splitList } from "../../domain/annotations.js";
import { parsePrivateEndpointId, summarizeConnection } from "../../domain/connections.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import {
  type ExposureRecord,
  type Inventory,
  latestExposure,
  missingPartners,
  type PartnerRecord,
  restoredLists,
} from "../../domain/inventory.js";
import { mergeInventories } from "../../domain/migrate.js";
import type { PlsView } from "../../domain/pls.js";
import type { AliasChange } from "../../domain/results.js";
import type { ServiceView } from "../../domain/service.js";
import type { Kube } from "../../kube/index.js";
import { readInventory, recordObserved } from "../support/inventory.js";

export interface PartnerPlan {
  inventory: Inventory | undefined;
  previous: ExposureRecord | undefined;
  missing: PartnerRecord[];
  /** Subscriptions put back on the lists; null without --restore-partners. */
  restored: string[] | null;
}

const NONE: PartnerPlan = { inventory: undefined, previous: undefined, missing: [], restored: null };

async function load(ctx: Context, kube: Kube, svc: ServiceView, restore: boolean) {
  try {
    const r = await readInventory(kube, svc);
    if (!("invalid" in r)) return r.inventory;
    if (restore) throw r.invalid;
    ctx.report.warn(r.invalid.message, r.invalid.hint);
  } catch (err) {
    if (restore || !(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) throw err;
    ctx.report.warn(
      `Could not read the partner inventory of ${svc.namespace}/${svc.name}: ${err.message}`,
      "Let this identity read ConfigMaps in the Service's namespace to be told which partners a new alias cuts off.",
    );
  }
  return undefined;
}

const listOf = (wanted: AnnotationChanges, svc: ServiceView, key: string): string[] =>
  key in wanted ? splitList(wanted[key] ?? undefined) : splitList(svc.annotations[key]);

/**
 * Reads the inventory and, with `restore`, adds the missing partners' subscriptions to `wanted`
 * (refused beyond Azure's limit, before any write).
 */
export async function planPartners(
  ctx: Context,
  kube: Kube,
  svc: ServiceView,
  existing: PlsView | undefined,
  restore: boolean,
  wanted: AnnotationChanges,
  seed?: Inventory,
): Promise<PartnerPlan> {
  const found = await load(ctx, kube, svc, restore);
  const inventory = found && seed ? mergeInventories(found, seed) : (found ?? seed);
  if (!inventory) return NONE;
  const currentId = existing?.id ?? "";
  const latest = latestExposure(inventory);
  const previous = latest && latest.plsId.toLowerCase() !== currentId.toLowerCase() ? latest : undefined;
  const missing = missingPartners(
    inventory,
    currentId,
    (existing?.connections ?? []).map(summarizeConnection),
  );
  if (!restore) return { inventory, previous, missing, restored: null };
  const subs = [
    ...new Set(
      missing.flatMap((p) => (p.requesterSubscription ? [p.requesterSubscription.toLowerCase()] : [])),
    ),
  ];
  if (subs.length) {
    const lists = restoredLists(
      listOf(wanted, svc, ANN.plsVisibility),
      listOf(wanted, svc, ANN.plsAutoApproval),
      subs,
    );
    wanted[ANN.plsVisibility] = lists.visibility.join(" ");
    wanted[ANN.plsAutoApproval] = lists.autoApproval.join(" ");
  }
  return { inventory, previous, missing, restored: subs };
}

/** The line a partner runs to connect its endpoint again, to the new alias. */
export function partnerMessage(p: PartnerRecord, alias: string | null): string {
  const pe = parsePrivateEndpointId(p.privateEndpointId ?? undefined);
  return [
    "plsctl connect",
    `--pls ${alias ?? "<the new alias: plsctl status prints it>"}`,
    `--name ${pe?.name ?? p.privateEndpointName ?? "<your-endpoint>"}`,
    `--resource-group ${pe?.resourceGroup ?? "<your-resource-group>"}`,
    "--replace",
    "--vnet <your-vnet> --subnet <your-subnet>",
  ].join(" ");
}

/** After the wait: the new PLS recorded; what changed, who is missing, what to send them. */
export async function finishPartners(
  ctx: Context,
  kube: Kube,
  svc: ServiceView,
  pls: PlsView | undefined,
  plan: PartnerPlan,
  seed?: Inventory,
): Promise<AliasChange | undefined> {
  if (pls) await recordObserved(ctx, kube, svc, pls, seed);
  if (!plan.inventory) return undefined;
  const missing = pls
    ? missingPartners(plan.inventory, pls.id, pls.connections.map(summarizeConnection))
    : plan.missing;
  const previous = plan.previous;
  if (!previous && !missing.length) return undefined;
  const alias = pls?.alias ?? null;
  const prior = previous ?? plan.inventory.exposures.find((e) => e.plsId === missing[0]?.plsId);
  return {
    previousId: prior?.plsId ?? missing[0]?.plsId ?? "",
    previousAlias: prior?.alias ?? missing[0]?.alias ?? null,
    missingPartners: missing,
    restored: plan.restored,
    messages:
      plan.restored === null
        ? []
        : missing.map((p) => ({
            subscription: p.requesterSubscription,
            endpoint: p.privateEndpointName,
            message: partnerMessage(p, alias),
          })),
  };
}
