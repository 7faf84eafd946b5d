/**
 * The emulator's state: every resource in its wire shape, keyed by lower-cased id, plus the
 * world it started from. Persisted as one JSON file written atomically (tmp + rename); a file
 * that does not parse is reported, never overwritten.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { WorldSpec } from "../world.js";
import { linkResource, ZONE, zoneResource } from "./handlers/dns-model.js";
import { paasResources } from "./handlers/paas-model.js";
import { managedClusterResource } from "./resources/cluster.js";
import { existingPlsResources } from "./resources/existing-pls.js";
import type { ArmState, Resource } from "./types.js";
import { key, providerId, rgId, weakEtag } from "./util.js";

export const STATE_FILE = "arm-state.json";

export function initialState(world: WorldSpec): ArmState {
  const state: ArmState = { format: "plsctl-arm-state", version: 1, world, resources: {}, operations: {} };
  const put = (r: Resource) => {
    state.resources[key(r.id)] = r;
  };
  for (const g of world.resourceGroups) {
    put({
      id: rgId(g.subscriptionId, g.name),
      name: g.name,
      type: "Microsoft.Resources/resourceGroups",
      location: g.location,
      ...(g.tags ? { tags: g.tags } : {}),
      properties: { provisioningState: "Succeeded" },
    });
  }
  for (const v of world.virtualNetworks) {
    const id = providerId(v.subscriptionId, v.resourceGroup, "Microsoft.Network/virtualNetworks", v.name);
    const etag = weakEtag();
    put({
      id,
      name: v.name,
      type: "Microsoft.Network/virtualNetworks",
      location: v.location,
      etag,
      properties: {
        provisioningState: "Succeeded",
        resourceGuid: crypto.randomUUID(),
        addressSpace: { addressPrefixes: v.addressPrefixes },
        subnets: v.subnets.map((s) => ({
          id: `${id}/subnets/${s.name}`,
          name: s.name,
          type: "Microsoft.Network/virtualNetworks/subnets",
          etag,
          properties: {
            provisioningState: "Succeeded",
            addressPrefix: s.addressPrefix,
            privateEndpointNetworkPolicies: s.privateEndpointNetworkPolicies ?? "Disabled",
            privateLinkServiceNetworkPolicies: s.privateLinkServiceNetworkPolicies ?? "Enabled",
            ...(s.networkSecurityGroup ? { networkSecurityGroup: { id: s.networkSecurityGroup } } : {}),
            ...(s.routeTable ? { routeTable: { id: s.routeTable } } : {}),
            ...(s.natGateway ? { natGateway: { id: s.natGateway } } : {}),
          },
        })),
        virtualNetworkPeerings: [],
        enableDdosProtection: false,
      },
    });
  }
  for (const mc of world.managedClusters) {
    const r = managedClusterResource(mc, world);
    put(r);
    // AKS marks its node resource group as managed by the cluster.
    const nodeRg = state.resources[key(rgId(mc.subscriptionId, mc.nodeResourceGroup))];
    if (nodeRg) nodeRg.managedBy = r.id;
  }
  for (const r of paasResources(world)) put(r);
  for (const z of world.privateDnsZones ?? []) {
    const zoneId = providerId(z.subscriptionId, z.resourceGroup, ZONE, z.name);
    put(zoneResource(zoneId, z.name, z.tags ?? {}));
    for (const l of z.links ?? []) {
      put(
        linkResource(zoneId, l.name, l.virtualNetworkId, {
          registrationEnabled: l.registrationEnabled === true,
        }),
      );
    }
  }
  for (const p of world.privateLinkServices ?? []) for (const r of existingPlsResources(p)) put(r);
  return state;
}

export class StateFileError extends Error {}

export function loadState(file: string): ArmState | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(
      `The sandbox ARM state file ${file} is corrupted (${(e as Error).message}). ` +
        "Fix or remove the file (removing it resets the sandbox to its world), then start again.",
    );
  }
  const s = parsed as Partial<ArmState>;
  if (
    typeof s !== "object" ||
    s === null ||
    s.format !== "plsctl-arm-state" ||
    s.version !== 1 ||
    typeof s.resources !== "object" ||
    typeof s.world !== "object"
  ) {
    throw new StateFileError(
      `The sandbox ARM state file ${file} is not a plsctl ARM state (format/version/resources/world missing). ` +
        "Fix or remove the file (removing it resets the sandbox to its world), then start again.",
    );
  }
  return { ...(s as ArmState), operations: s.operations ?? {} };
}

export function saveState(file: string, state: ArmState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
