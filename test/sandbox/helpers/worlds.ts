/** Variants of the default world for tests that need another tenancy. */
import { DEFAULT_IDS, defaultWorld, type WorldSpec } from "../../../src/sandbox/world.js";

/**
 * The default world with the partner's subscription and identity in the provider's tenant: where an
 * automatic connection across subscriptions is possible at all (across tenants ARM refuses it).
 */
export function sameTenantWorld(): WorldSpec {
  const w = defaultWorld();
  const tenant = DEFAULT_IDS.providerTenantId;
  for (const s of w.subscriptions) if (s.id === DEFAULT_IDS.partnerSubscriptionId) s.tenantId = tenant;
  for (const i of w.identities) if (i.name === "partner") i.tenantId = tenant;
  return w;
}
