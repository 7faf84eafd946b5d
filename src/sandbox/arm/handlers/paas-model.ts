/**
 * Azure PaaS resources that are private link targets: Key Vault vaults, SQL servers, Storage
 * accounts. Their resource types, the private link resources (group ids) each offers with the
 * standard `privatelink.*` zone and the FQDN a private endpoint to that group id stands for, the
 * action that lets a caller approve connections on them, and their ARM shape.
 *
 * Group ids and zones: learn.microsoft.com, "Azure Private Endpoint private DNS zone values";
 * approval actions: learn.microsoft.com, "Azure resource provider operations"
 * (`<type>/privateEndpointConnectionsApproval/action`, cf. MicrosoftDocs/azure-docs#77212).
 */

import type { PaasResourceSpec, WorldSpec } from "../../world.js";
import type { ApiFamily } from "../api-versions.js";
import type { Json, Resource } from "../types.js";
import { providerId } from "../util.js";

export interface PaasGroup {
  groupId: string;
  requiredMembers: string[];
  /** The standard private DNS zone of this group id: the only zone a zone group writes into. */
  zone: string;
  /** The public name a private endpoint to this group id stands for. */
  fqdn: (name: string) => string;
}

export interface PaasKind {
  type: string;
  api: ApiFamily;
  /** Operation id prefix of the resource (`Vaults`, `Servers`, `StorageAccounts`). */
  ops: string;
  /** Operation id of its private link resources list. */
  linkResourcesOp: string;
  worldKey: "keyVaults" | "sqlServers" | "storageAccounts";
  groups: PaasGroup[];
  approvalAction: string;
  /** The resource's ARM shape (without its private endpoint connections). */
  render: (spec: PaasResourceSpec, tenantId: string) => Json;
}

const storageGroup = (g: string, zoneSuffix = `${g}.core.windows.net`): PaasGroup => ({
  groupId: g,
  requiredMembers: [g],
  zone: `privatelink.${zoneSuffix}`,
  fqdn: (n) => `${n}.${zoneSuffix}`,
});

export const PAAS_KINDS: PaasKind[] = [
  {
    type: "Microsoft.KeyVault/vaults",
    api: "keyVault",
    ops: "Vaults",
    linkResourcesOp: "PrivateLinkResources_ListByVault",
    worldKey: "keyVaults",
    groups: [
      {
        groupId: "vault",
        requiredMembers: ["default"],
        zone: "privatelink.vaultcore.azure.net",
        fqdn: (n) => `${n}.vault.azure.net`,
      },
    ],
    approvalAction: "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action",
    render: (s, tenantId) => ({
      properties: {
        tenantId,
        sku: { family: "A", name: "standard" },
        accessPolicies: [],
        enableRbacAuthorization: true,
        vaultUri: `https://${s.name}.vault.azure.net/`,
        provisioningState: "Succeeded",
        publicNetworkAccess: "Disabled",
      },
    }),
  },
  {
    type: "Microsoft.Sql/servers",
    api: "sql",
    ops: "Servers",
    linkResourcesOp: "PrivateLinkResources_ListByServer",
    worldKey: "sqlServers",
    groups: [
      {
        groupId: "sqlServer",
        requiredMembers: ["sqlServer"],
        zone: "privatelink.database.windows.net",
        fqdn: (n) => `${n}.database.windows.net`,
      },
    ],
    approvalAction: "Microsoft.Sql/servers/privateEndpointConnectionsApproval/action",
    render: (s) => ({
      kind: "v12.0",
      properties: {
        administratorLogin: "sqladmin",
        version: "12.0",
        state: "Ready",
        fullyQualifiedDomainName: `${s.name}.database.windows.net`,
        publicNetworkAccess: "Disabled",
        minimalTlsVersion: "1.2",
      },
    }),
  },
  {
    type: "Microsoft.Storage/storageAccounts",
    api: "storage",
    ops: "StorageAccounts",
    linkResourcesOp: "PrivateLinkResources_ListByStorageAccount",
    worldKey: "storageAccounts",
    groups: [
      storageGroup("blob"),
      storageGroup("file"),
      storageGroup("queue"),
      storageGroup("table"),
      storageGroup("web"),
      storageGroup("dfs"),
    ],
    approvalAction: "Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action",
    render: (s) => ({
      kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" },
      properties: {
        provisioningState: "Succeeded",
        primaryLocation: s.location,
        statusOfPrimary: "available",
        publicNetworkAccess: "Disabled",
        primaryEndpoints: Object.fromEntries(
          ["blob", "file", "queue", "table", "web", "dfs"].map((g) => [
            g,
            `https://${s.name}.${g}.core.windows.net/`,
          ]),
        ),
      },
    }),
  },
];

export function paasKindOf(type: string): PaasKind | undefined {
  return PAAS_KINDS.find((k) => k.type.toLowerCase() === type.toLowerCase());
}

export function paasGroup(kind: PaasKind, groupId: string): PaasGroup | undefined {
  return kind.groups.find((g) => g.groupId.toLowerCase() === groupId.toLowerCase());
}

/** The world's PaaS resources as stored ARM resources (no connections yet). */
export function paasResources(world: WorldSpec): Resource[] {
  return PAAS_KINDS.flatMap((kind) =>
    (world[kind.worldKey] ?? []).map((s) => {
      const tenantId = world.subscriptions.find((x) => x.id === s.subscriptionId)?.tenantId ?? "";
      const shape = kind.render(s, tenantId);
      return {
        ...shape,
        id: providerId(s.subscriptionId, s.resourceGroup, kind.type, s.name),
        name: s.name,
        type: kind.type,
        location: s.location,
        tags: {},
        properties: { ...(shape.properties as Json), privateEndpointConnections: [] },
      } as Resource;
    }),
  );
}
