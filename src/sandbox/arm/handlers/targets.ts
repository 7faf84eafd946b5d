/**
 * What a private endpoint connects to: a private link service (by id or alias) or an Azure PaaS
 * resource (by id, with a group id). One shape for both, so the endpoint, connection and zone
 * group handlers do not care which it is.
 */
import { badRequest } from "../errors.js";
import type { Ctx } from "../router.js";
import type { ArmState, Resource } from "../types.js";
import { key, str } from "../util.js";
import { type PaasGroup, type PaasKind, paasGroup, paasKindOf } from "./paas-model.js";
import { APPROVAL_ACTION, autoApproves, isAlias, isVisible, PLS } from "./pls-model.js";

export interface LinkTarget {
  resource: Resource;
  /** Set for a PaaS resource; undefined for a private link service. */
  paas?: PaasKind;
  /** The action that lets a caller approve connections on the target (automatic connections). */
  approvalAction: string;
}

/** The target `ref` (PLS id or alias, PaaS resource id) names, whatever its alias propagation. */
export function findTarget(state: ArmState, ref: string): LinkTarget | undefined {
  if (isAlias(ref)) {
    const pls = Object.values(state.resources).find(
      (r) => r.type === PLS && str(r.properties.alias)?.toLowerCase() === ref.toLowerCase(),
    );
    return pls ? { resource: pls, approvalAction: APPROVAL_ACTION } : undefined;
  }
  const r = state.resources[key(ref)];
  if (!r) return undefined;
  if (r.type === PLS) return { resource: r, approvalAction: APPROVAL_ACTION };
  const paas = paasKindOf(r.type);
  return paas ? { resource: r, paas, approvalAction: paas.approvalAction } : undefined;
}

/**
 * Whether Azure has propagated the PLS's alias yet: for `aliasPropagationMs` after its creation an
 * alias resolves to nothing (Azure/azure-rest-api-specs#20289), on the emulator's clock.
 */
export function aliasKnown(c: Ctx, pls: Resource): boolean {
  const created = c.state.plsCreatedAt?.[key(pls.id)];
  return created === undefined || c.emu.now() >= created + c.emu.settings.aliasPropagationMs;
}

/**
 * Whether subscription `sub` may connect: a PLS by its visibility; a PaaS resource is reachable by
 * id from any subscription (its owner approves or not).
 */
export function targetVisible(c: Ctx, t: LinkTarget, sub: string): boolean {
  return t.paas ? true : isVisible(c, t.resource, sub);
}

export function targetAutoApproves(t: LinkTarget, sub: string): boolean {
  return t.paas ? false : autoApproves(t.resource, sub);
}

/**
 * The group the connection asks for: a PaaS target takes exactly one of its group ids; a PLS takes
 * none (learn.microsoft.com, "What is a private endpoint?": a private link service's
 * sub-resource is empty), so whatever is sent is kept as sent and not checked.
 * A refusal answers 400 with the code Azure answers for it: none is
 * `MissingParameterOnPrivateLinkServiceConnection` (hashicorp/terraform-provider-azurerm#9058),
 * several `OnlyOneGroupIdPermitted` (DFE-Digital/terraform-azurerm-container-apps-hosting#352),
 * one the resource does not offer `InvalidValuesForRequestParameters`, the resource provider's
 * refusal passed on ("Call to Microsoft.Storage/storageAccounts failed. Error message: Values for
 * request parameters are invalid: GroupId: …", Azure/azure-cli#16750; Key Vault's and SQL's own
 * codes are not in any public source found, so they answer Storage's).
 */
export function targetGroup(t: LinkTarget, groupIds: unknown[], peId: string): PaasGroup | undefined {
  if (!t.paas) return undefined;
  const ids = groupIds.filter((g): g is string => typeof g === "string");
  const offered = t.paas.groups.map((g) => g.groupId).join(", ");
  if (ids.length === 0) {
    throw badRequest(
      "MissingParameterOnPrivateLinkServiceConnection",
      `Private link service connection of private endpoint ${peId} is missing the group id; ${t.resource.id} offers: ${offered}.`,
    );
  }
  if (ids.length > 1) {
    throw badRequest(
      "OnlyOneGroupIdPermitted",
      `Private link service connection of private endpoint ${peId} has the following group Ids: ${ids.join(", ")}. Only one group Id is permitted when connecting to a first-party resource (${t.resource.id}).`,
    );
  }
  const group = paasGroup(t.paas, ids[0] ?? "");
  if (!group) {
    throw badRequest(
      "InvalidValuesForRequestParameters",
      `Call to ${t.resource.type} failed. Error message: Values for request parameters are invalid: GroupId: ${ids[0]}.`,
    );
  }
  return group;
}

/** The names the endpoint stands for: the PaaS group's FQDN, or the PLS's `fqdns`. */
export function targetFqdns(t: LinkTarget, group: PaasGroup | undefined): string[] {
  if (group) return [group.fqdn(t.resource.name)];
  return (Array.isArray(t.resource.properties.fqdns) ? t.resource.properties.fqdns : []).filter(
    (f): f is string => typeof f === "string" && f !== "",
  );
}

/** A PLS's FQDN as a record name relative to `zone` (`privatelink.` zones of its parent too). */
function relativeName(fqdn: string, zone: string): string | undefined {
  const f = fqdn.toLowerCase().replace(/\.$/, "");
  const z = zone.toLowerCase();
  if (f === z) return "@";
  if (f.endsWith(`.${z}`)) return f.slice(0, -(z.length + 1));
  const bare = z.replace(/^privatelink\./, "");
  if (bare !== z && f.endsWith(`.${bare}`)) return f.slice(0, -(bare.length + 1));
  return undefined;
}

/**
 * The A records a zone group writes into `zone` for an endpoint to this target: for a PaaS group
 * the target's name, and only in the group's standard `privatelink.*` zone; for a PLS (which has
 * no standard zone) its `fqdns` that lie in the zone. Any other zone gets nothing.
 */
export function zoneRecordNames(t: LinkTarget, group: PaasGroup | undefined, zone: string): string[] {
  if (t.paas) {
    return group && group.zone.toLowerCase() === zone.toLowerCase() ? [t.resource.name.toLowerCase()] : [];
  }
  return targetFqdns(t, undefined)
    .map((f) => relativeName(f, zone))
    .filter((n): n is string => n !== undefined);
}
