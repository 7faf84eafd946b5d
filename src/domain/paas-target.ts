/**
 * The Azure PaaS resources whose private endpoint connections the provider's CI decides with
 * `connections`, `approve`, `reject` and `remove` — the private link targets `plsctl connect`
 * connects to besides a Private Link Service: Key Vault vaults, SQL servers, Storage accounts.
 * Recognised by their resource id (parsing only; the adapter is src/azure/paas-connections.ts).
 */
import { PAAS_GROUPS } from "./connect.js";
import { parseResourceId } from "./resource-id.js";

export interface PaasTargetRef {
  id: string;
  /** As ARM spells it: `Microsoft.KeyVault/vaults`. */
  type: string;
  /** In words: "Key Vault". */
  label: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const LABELS: Record<string, string> = {
  "microsoft.keyvault/vaults": "Key Vault",
  "microsoft.sql/servers": "SQL server",
  "microsoft.storage/storageaccounts": "Storage account",
};

/** The resource types, as `connect --group-id` takes them. */
export const PAAS_TARGET_TYPES: string[] = [...new Set(Object.values(PAAS_GROUPS).map((g) => g.type))];

/** A Key Vault, SQL server or Storage account id (any casing, a trailing "/" allowed); else undefined. */
export function parsePaasTargetId(value: string): PaasTargetRef | undefined {
  const raw = value.trim().replace(/\/+$/, "");
  const id = raw.startsWith("/") ? parseResourceId(raw) : undefined;
  if (id?.path.length !== 2) return undefined;
  const type = PAAS_TARGET_TYPES.find(
    (t) => t.toLowerCase() === `${id.provider}/${id.path[0]}`.toLowerCase(),
  );
  if (!type) return undefined;
  return {
    id: raw,
    type,
    label: LABELS[type.toLowerCase()] ?? type,
    subscriptionId: id.subscriptionId,
    resourceGroup: id.resourceGroup,
    name: id.name,
  };
}

/** Whether a target id (a PLS's or a PaaS resource's) is a PaaS resource's. */
export const isPaasTargetId = (id: string): boolean => parsePaasTargetId(id) !== undefined;
