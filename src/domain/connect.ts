/**
 * The partner's side, as pure rules: what `connect --pls` names (a PLS alias, a PLS resource id, or
 * any private-link resource id with `--group-id`), the standard `privatelink.*` zone of a PaaS group
 * id, the endpoint and DNS flags, and the provider's approve line. No I/O.
 */
import type { CloudName } from "./cloud.js";
import { usageError } from "./errors.js";
import { parsePlsRef } from "./pls-ref.js";
import { parseResourceId, subnetResourceId } from "./resource-id.js";
import { shellArg } from "./shell.js";

/** Azure keeps a connection's request message to 140 characters (privateEndpoint.json, requestMessage). */
export const MAX_REQUEST_MESSAGE = 140;

/**
 * The PaaS group ids plsctl knows, the resource type each belongs to, the public name suffix its
 * clients keep using, and the zone Azure's own DNS integration answers that name from, per cloud
 * (learn.microsoft.com/azure/private-link/private-endpoint-dns).
 */
export const PAAS_GROUPS = {
  vault: {
    type: "Microsoft.KeyVault/vaults",
    names: {
      AzureCloud: "vault.azure.net",
      AzureUSGovernment: "vault.usgovcloudapi.net",
      AzureChinaCloud: "vault.azure.cn",
    },
    zones: {
      AzureCloud: "privatelink.vaultcore.azure.net",
      AzureUSGovernment: "privatelink.vaultcore.usgovcloudapi.net",
      AzureChinaCloud: "privatelink.vaultcore.azure.cn",
    },
  },
  sqlServer: {
    type: "Microsoft.Sql/servers",
    names: {
      AzureCloud: "database.windows.net",
      AzureUSGovernment: "database.usgovcloudapi.net",
      AzureChinaCloud: "database.chinacloudapi.cn",
    },
    zones: {
      AzureCloud: "privatelink.database.windows.net",
      AzureUSGovernment: "privatelink.database.usgovcloudapi.net",
      AzureChinaCloud: "privatelink.database.chinacloudapi.cn",
    },
  },
  blob: {
    type: "Microsoft.Storage/storageAccounts",
    names: {
      AzureCloud: "blob.core.windows.net",
      AzureUSGovernment: "blob.core.usgovcloudapi.net",
      AzureChinaCloud: "blob.core.chinacloudapi.cn",
    },
    zones: {
      AzureCloud: "privatelink.blob.core.windows.net",
      AzureUSGovernment: "privatelink.blob.core.usgovcloudapi.net",
      AzureChinaCloud: "privatelink.blob.core.chinacloudapi.cn",
    },
  },
} as const satisfies Record<
  string,
  { type: string; names: Record<CloudName, string>; zones: Record<CloudName, string> }
>;

export type PaasGroupId = keyof typeof PAAS_GROUPS;

export type ConnectTarget =
  | { kind: "alias"; ref: string; name: string; region: string }
  | { kind: "pls"; ref: string; name: string; subscriptionId: string }
  | {
      kind: "paas";
      ref: string;
      name: string;
      subscriptionId: string;
      groupId: PaasGroupId;
      /** The standard `privatelink.*` zone of the group id. */
      zone: string;
      /** The name clients use (`<name>.vault.azure.net`): inside the linked VNet it resolves to the endpoint. */
      fqdn: string;
    };

const GROUP_LIST = Object.keys(PAAS_GROUPS).join(", ");

/** The group id as Azure spells it, matched in any casing; undefined when plsctl does not know it. */
export function paasGroup(raw: string): PaasGroupId | undefined {
  return (Object.keys(PAAS_GROUPS) as PaasGroupId[]).find(
    (g) => g.toLowerCase() === raw.trim().toLowerCase(),
  );
}

/** `--pls` (+ `--group-id`): a PLS by alias or id, or a PaaS resource by id and group id. */
export function parseConnectTarget(
  raw: string,
  groupId: string | undefined,
  cloud: CloudName,
): ConnectTarget {
  // A resource id as pasted from a portal URL or a script may end in "/": the same resource.
  const value = raw.trim().startsWith("/") ? raw.trim().replace(/\/+$/, "") : raw.trim();
  const id = value.startsWith("/") ? parseResourceId(value) : undefined;
  const isPls =
    id?.provider.toLowerCase() === "microsoft.network" && id.path[0]?.toLowerCase() === "privatelinkservices";
  if (groupId === undefined || isPls || !value.startsWith("/")) {
    const ref = parsePlsRef(value);
    if (groupId !== undefined) {
      throw usageError(
        `--group-id ${groupId} is for Azure PaaS resources; a Private Link Service has no group ids.`,
        "Leave --group-id out to connect to a Private Link Service.",
      );
    }
    return ref.kind === "alias"
      ? { kind: "alias", ref: ref.alias, name: ref.name, region: ref.region }
      : { kind: "pls", ref: ref.id, name: ref.name, subscriptionId: ref.subscriptionId };
  }
  const idType = id ? `${id.provider}/${id.path[0] ?? ""}` : "";
  // The group ids plsctl knows for the resource's type, when it is one plsctl knows.
  const offered = (Object.keys(PAAS_GROUPS) as PaasGroupId[]).filter(
    (g) => PAAS_GROUPS[g].type.toLowerCase() === idType.toLowerCase(),
  );
  const takes =
    offered.length > 0
      ? ` A ${PAAS_GROUPS[offered[0] as PaasGroupId].type} resource takes --group-id ${offered.join(" or ")}.`
      : "";
  const group = paasGroup(groupId);
  if (!group) {
    throw usageError(
      `--group-id ${JSON.stringify(groupId)} is not one plsctl knows; nothing was changed.${takes}`,
      `Use one of: ${GROUP_LIST} (Key Vault, SQL server, Storage blob).`,
    );
  }
  const type = PAAS_GROUPS[group].type;
  if (id?.path.length !== 2 || idType.toLowerCase() !== type.toLowerCase()) {
    throw usageError(
      `--pls ${JSON.stringify(value)} is not the resource id of a ${type} resource, which --group-id ${group} needs; nothing was changed.${takes}`,
      offered.length > 0
        ? `Pass --group-id ${offered[0]} for this resource.`
        : `Give its id: /subscriptions/<sub>/resourceGroups/<rg>/providers/${type}/<name>.`,
    );
  }
  return {
    kind: "paas",
    ref: value,
    name: id.name,
    subscriptionId: id.subscriptionId,
    groupId: group,
    zone: PAAS_GROUPS[group].zones[cloud],
    fqdn: `${id.name.toLowerCase()}.${PAAS_GROUPS[group].names[cloud]}`,
  };
}

export function checkRequestMessage(message: string | undefined): void {
  if (message !== undefined && message.length > MAX_REQUEST_MESSAGE) {
    throw usageError(
      `--request-message is ${message.length} characters long; Azure keeps at most ${MAX_REQUEST_MESSAGE}.`,
      "Shorten it: the provider sees it next to your connection (e.g. your company and a ticket number).",
    );
  }
}

/**
 * Azure's private endpoint names: 2–64 letters, digits, `_ . -`, a letter or digit first, a letter,
 * digit or `_` last (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
 * Microsoft.Network, privateEndpoints). Private Link Service names allow 80: a default
 * `pe-<PLS name>` is cut to 64.
 */
export const MAX_ENDPOINT_NAME = 64;
const ENDPOINT_NAME = /^[A-Za-z0-9][\w.-]{0,62}\w$/;

/** A private endpoint's `--name` (connect, disconnect), refused before any request when Azure would. */
export function requireEndpointName(name: string, flag = "--name"): string {
  if (!ENDPOINT_NAME.test(name)) {
    throw usageError(
      `${flag} ${JSON.stringify(name)} is not a valid private endpoint name${name.length > MAX_ENDPOINT_NAME ? ` (${name.length} characters, at most ${MAX_ENDPOINT_NAME})` : ""}.`,
      `Use 2-${MAX_ENDPOINT_NAME} letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'.`,
    );
  }
  return name;
}

/** `--name`, or `pe-<target name>` (cut to Azure's 64 characters). */
export function endpointName(name: string | undefined, target: ConnectTarget): string {
  if (name !== undefined) return requireEndpointName(name);
  return `pe-${target.name.toLowerCase()}`.slice(0, MAX_ENDPOINT_NAME).replace(/[.-]+$/, "");
}

export interface SubnetFlags {
  subnetId?: string | undefined;
  vnet?: string | undefined;
  subnet?: string | undefined;
}

/** The subnet's resource id from `--subnet-id`, or `--vnet` + `--subnet` in the endpoint's resource group. */
export function subnetIdOf(
  f: SubnetFlags,
  at: { subscriptionId: string | undefined; resourceGroup: string },
): { subnetId: string; subscriptionId: string } {
  if (f.subnetId !== undefined) {
    if (f.vnet !== undefined || f.subnet !== undefined) {
      throw usageError("--subnet-id names the subnet alone; leave out --vnet and --subnet.");
    }
    const id = parseResourceId(f.subnetId);
    const ok =
      id?.provider.toLowerCase() === "microsoft.network" &&
      id.path.length === 4 &&
      id.path[0]?.toLowerCase() === "virtualnetworks" &&
      id.path[2]?.toLowerCase() === "subnets";
    if (!id || !ok) {
      throw usageError(
        `--subnet-id ${JSON.stringify(f.subnetId)} is not a subnet's resource id.`,
        "Give /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>, or --vnet <vnet> --subnet <subnet>.",
      );
    }
    if (at.subscriptionId && at.subscriptionId.toLowerCase() !== id.subscriptionId.toLowerCase()) {
      throw usageError(
        `--subnet-id is in subscription ${id.subscriptionId}, but --subscription is ${at.subscriptionId}.`,
        "A private endpoint lives in its virtual network's subscription: drop --subscription or make them match.",
      );
    }
    return { subnetId: f.subnetId, subscriptionId: id.subscriptionId };
  }
  if (f.vnet === undefined || f.subnet === undefined) {
    throw usageError(
      "Which subnet should the private endpoint get its IP from?",
      "Pass --vnet <vnet> --subnet <subnet> (in --resource-group), or --subnet-id <subnet resource id>.",
    );
  }
  if (!at.subscriptionId) {
    throw usageError(
      "No subscription for the private endpoint.",
      "Pass --subscription <your subscription id> (or set AZURE_SUBSCRIPTION_ID), or give --subnet-id.",
    );
  }
  return {
    subnetId: subnetResourceId(
      { subscriptionId: at.subscriptionId, resourceGroup: at.resourceGroup, name: f.vnet },
      f.subnet,
    ),
    subscriptionId: at.subscriptionId,
  };
}

const DNS_LABEL =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `--dns-zone` and `--dns-name` go together, and not with a PaaS target (it gets a zone group). */
export function checkDnsFlags(
  f: { dnsZone?: string | undefined; dnsName?: string | undefined; overwriteDns?: boolean | undefined },
  target: ConnectTarget,
): { zone: string; label: string } | undefined {
  if (f.dnsZone === undefined && f.dnsName === undefined) {
    if (f.overwriteDns) throw usageError("--overwrite-dns goes with --dns-zone and --dns-name.");
    return undefined;
  }
  if (target.kind === "paas") {
    throw usageError(
      `A ${target.groupId} endpoint gets its DNS name from Azure: plsctl links the standard zone ${target.zone} (a zone group).`,
      "Leave out --dns-zone and --dns-name.",
    );
  }
  if (f.dnsZone === undefined || f.dnsName === undefined) {
    throw usageError(
      "--dns-zone and --dns-name go together.",
      "e.g. --dns-zone fabrikam.internal --dns-name api (the endpoint answers as api.fabrikam.internal).",
    );
  }
  const zone = f.dnsZone.trim().replace(/\.$/, "").toLowerCase();
  const label = f.dnsName.trim().toLowerCase();
  if (!DNS_LABEL.test(zone) || !zone.includes(".")) {
    throw usageError(
      `--dns-zone ${JSON.stringify(f.dnsZone)} is not a DNS zone name.`,
      "e.g. fabrikam.internal",
    );
  }
  if (label !== "@" && !DNS_LABEL.test(label)) {
    throw usageError(
      `--dns-name ${JSON.stringify(f.dnsName)} is not a record name relative to the zone.`,
      "e.g. api (for api.<zone>), or @ for the zone's own name.",
    );
  }
  return { zone, label };
}

export const fqdnOf = (zone: string, label: string): string => (label === "@" ? zone : `${label}.${zone}`);

/** The metadata plsctl puts on an A record it writes, so `disconnect` deletes only its own. */
export const RECORD_OWNER = { key: "managedBy", value: "plsctl", endpointKey: "privateEndpointId" } as const;

export function recordMetadata(endpointId: string): Record<string, string> {
  return { [RECORD_OWNER.key]: RECORD_OWNER.value, [RECORD_OWNER.endpointKey]: endpointId };
}

/** Did plsctl write this record for this endpoint? (metadata keys and ids in any casing) */
export function isOurRecord(metadata: Record<string, string> | undefined, endpointId: string): boolean {
  const m = Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return (
    m[RECORD_OWNER.key.toLowerCase()] === RECORD_OWNER.value &&
    m[RECORD_OWNER.endpointKey.toLowerCase()]?.toLowerCase() === endpointId.toLowerCase()
  );
}

/**
 * The line the provider runs to approve this endpoint's Pending connection: the PLS as the partner
 * named it, the endpoint's name (approve matches a connection's endpoint name) and the partner's
 * subscription (so an endpoint of the same name from someone else is never taken).
 */
export function approveCommand(target: string, endpointName: string, partnerSubscription: string): string {
  return `plsctl approve --pls ${shellArg(target)} ${shellArg(endpointName)} --from-subscription ${shellArg(partnerSubscription)}`;
}
