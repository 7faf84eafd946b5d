/**
 * `GET /subscriptions/{sub}/providers[/{namespace}]`: the resource providers the sandbox serves,
 * registered, with their resource types and api-versions (the Azure CLI and Terraform read these).
 */
import { API_VERSIONS, type ApiFamily } from "../api-versions.js";
import { ArmError } from "../errors.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json } from "../types.js";
import { listBody } from "../util.js";
import { ok } from "./common.js";

const LOCATIONS = [
  "West Europe",
  "North Europe",
  "East US",
  "East US 2",
  "West US",
  "West US 2",
  "Central US",
];

const PROVIDERS: Record<string, [string, ApiFamily][]> = {
  "Microsoft.Network": [
    ["virtualNetworks", "network"],
    ["loadBalancers", "network"],
    ["networkInterfaces", "network"],
    ["networkSecurityGroups", "network"],
    ["publicIPAddresses", "network"],
    ["routeTables", "network"],
    ["privateLinkServices", "privateLink"],
    ["privateEndpoints", "privateLink"],
    ["locations/checkPrivateLinkServiceVisibility", "privateLink"],
    ["locations/autoApprovedPrivateLinkServices", "privateLink"],
    ["privateDnsZones", "privateDns"],
    ["privateDnsZones/virtualNetworkLinks", "privateDns"],
    ["locations/operations", "network"],
    ["locations/operationResults", "network"],
  ],
  "Microsoft.ContainerService": [["managedClusters", "aks"]],
  "Microsoft.KeyVault": [
    ["vaults", "keyVault"],
    ["vaults/privateEndpointConnections", "keyVault"],
  ],
  "Microsoft.Sql": [
    ["servers", "sql"],
    ["servers/privateEndpointConnections", "sql"],
  ],
  "Microsoft.Storage": [
    ["storageAccounts", "storage"],
    ["storageAccounts/privateEndpointConnections", "storage"],
  ],
  "Microsoft.Authorization": [
    ["roleAssignments", "authorization"],
    ["roleDefinitions", "authorization"],
  ],
  "Microsoft.Resources": [
    ["resourceGroups", "resourceGroups"],
    ["subscriptions", "subscriptions"],
    ["tenants", "subscriptions"],
  ],
};

function provider(c: Ctx, ns: string): Json {
  const types = PROVIDERS[ns] ?? [];
  return {
    id: `/subscriptions/${c.p.sub}/providers/${ns}`,
    namespace: ns,
    registrationState: "Registered",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: types.map(([resourceType, fam]) => ({
      resourceType,
      locations: resourceType.startsWith("privateDnsZones") ? ["global"] : LOCATIONS,
      apiVersions: [...API_VERSIONS[fam]].reverse(),
    })),
  };
}

export const providerRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/subscriptions/{sub}/providers",
    op: "Providers_List",
    api: "resourceGroups",
    cls: "reads",
    handler: (c) => ok(listBody(Object.keys(PROVIDERS).map((ns) => provider(c, ns)))),
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/providers/{namespace}",
    op: "Providers_Get",
    api: "resourceGroups",
    cls: "reads",
    handler: (c) => {
      const ns = Object.keys(PROVIDERS).find((n) => n.toLowerCase() === c.p.namespace?.toLowerCase());
      if (!ns) {
        throw new ArmError(
          404,
          "InvalidResourceNamespace",
          `The resource namespace '${c.p.namespace}' is invalid.`,
        );
      }
      return ok(provider(c, ns));
    },
  },
];
