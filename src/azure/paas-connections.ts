/**
 * The private endpoint connections of a Key Vault, SQL server or Storage account, as their owner
 * decides them — through rest.ts (the network client's pipeline: same credential, retries and
 * error words), not through three more SDKs. Paths, api-versions and bodies from
 * Azure/azure-rest-api-specs:
 * - Key Vault: specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json
 *   (`PrivateEndpointConnections_ListByResource`, `_Put`, `_Delete`; examples/putPrivateEndpointConnection.json:
 *   PUT `{"properties": {"privateLinkServiceConnectionState": {"status": "Approved", "description": …}}}`, 200).
 * - SQL server: specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/PrivateEndpointConnections.json
 *   (`PrivateEndpointConnections_ListByServer`, `_CreateOrUpdate` — long-running, 200/202 —, `_Delete`).
 * - Storage account: specification/storage/resource-manager/Microsoft.Storage/stable/2023-01-01/storage.json
 *   (`PrivateEndpointConnections_List`, `_Put` 200, `_Delete` 200/204).
 * All three: `{resource id}/privateEndpointConnections[/{name}]`, the same connection shape as a
 * Private Link Service's. A decision (PUT) is authorized on `<type>/privateEndpointConnections/write`
 * ("Approve or reject a connection to a Private Endpoint resource",
 * learn.microsoft.com/azure/role-based-access-control/permissions); `privateEndpointConnectionsApproval/action`
 * is what a consumer's automatic connection is checked against.
 */

import { ExitCode, PlsctlError } from "../domain/errors.js";
import type { PaasTargetRef } from "../domain/paas-target.js";
import { type ConnectionView, connectionView, type PlsView } from "../domain/pls.js";
import { ANY_PARENT, call } from "./call.js";
import type { Azure } from "./handle.js";
import { type ArmAnswer, armList, armSend } from "./rest.js";

const API_VERSIONS: Record<string, string> = {
  "microsoft.keyvault/vaults": "2023-07-01",
  "microsoft.sql/servers": "2021-11-01",
  "microsoft.storage/storageaccounts": "2023-01-01",
};

type At = Pick<PlsView, "id" | "name">;

const typeOf = (id: string): string => /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(id)?.[1] ?? "";
const apiOf = (id: string): string => API_VERSIONS[typeOf(id).toLowerCase()] ?? "2023-07-01";
const decideAction = (id: string): string => `${typeOf(id)}/privateEndpointConnections/write`;
const connectionPath = (at: At, name: string) =>
  `${at.id}/privateEndpointConnections/${encodeURIComponent(name)}`;

interface ConnectionWire {
  id?: string;
  name?: string;
  properties?: {
    provisioningState?: string;
    privateEndpoint?: { id?: string };
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
  };
}

const toView = (c: ConnectionWire): ConnectionView =>
  connectionView({
    name: c.name,
    id: c.id,
    privateEndpointId: c.properties?.privateEndpoint?.id,
    status: c.properties?.privateLinkServiceConnectionState?.status,
    description: c.properties?.privateLinkServiceConnectionState?.description,
    actionsRequired: c.properties?.privateLinkServiceConnectionState?.actionsRequired,
    provisioningState: c.properties?.provisioningState,
  });

/** The resource, as a target to decide on (no PLS fields); undefined when ARM says it does not exist. */
export async function readPaasTarget(azure: Azure, ref: PaasTargetRef): Promise<PlsView | undefined> {
  type Body = { id?: string; name?: string; location?: string; tags?: Record<string, string> };
  const body = await call(
    azure,
    `read ${ref.label} ${ref.name} in resource group ${ref.resourceGroup}`,
    async (): Promise<Body | null> => (await armSend(azure, "GET", ref.id, apiOf(ref.id))).body as Body,
    {
      action: `${ref.type}/read`,
      scope: `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}`,
      missing: { value: () => null, allow: ["ResourceGroupNotFound"] },
    },
  );
  if (body === null) return undefined;
  return {
    id: body.id ?? ref.id,
    name: body.name ?? ref.name,
    subscriptionId: ref.subscriptionId,
    resourceGroup: ref.resourceGroup,
    location: body.location,
    alias: undefined,
    provisioningState: undefined,
    visibility: [],
    autoApproval: [],
    fqdns: [],
    proxyProtocol: false,
    natIps: [],
    natSubnetIds: [],
    natIpConfigurations: [],
    frontendIds: [],
    tags: body.tags ?? {},
    connections: [],
  };
}

/** Every connection of the resource, every page. */
export async function listPaasConnections(azure: Azure, at: At): Promise<ConnectionView[]> {
  return call(
    azure,
    `list the connections of ${at.name}`,
    async () =>
      ((await armList(azure, `${at.id}/privateEndpointConnections`, apiOf(at.id))) as ConnectionWire[]).map(
        toView,
      ),
    { action: `${typeOf(at.id)}/privateEndpointConnections/read`, scope: at.id },
  );
}

const TERMINAL = /^(succeeded|failed|canceled|cancelled)$/i;
const MAX_POLLS = 120;

/** Follows a 202 to its end: the Azure-AsyncOperation status (else the Location) — paced by retry.ts. */
async function settle(azure: Azure, first: ArmAnswer, apiVersion: string): Promise<void> {
  if (first.status !== 202) return;
  const asyncUrl = first.header("azure-asyncoperation");
  const url = asyncUrl ?? first.header("location");
  if (!url) return;
  for (let i = 0; i < MAX_POLLS; i++) {
    const r = await armSend(azure, "GET", url, apiVersion);
    if (!asyncUrl) {
      if (r.status !== 202) return;
      continue;
    }
    const b = (r.body ?? {}) as { status?: string; error?: { code?: string; message?: string } };
    if (!b.status || !TERMINAL.test(b.status)) continue;
    if (/^succeeded$/i.test(b.status)) return;
    throw new PlsctlError(
      `Azure reported ${b.error?.code ?? b.status}: ${b.error?.message ?? "the operation did not succeed"}`,
      {
        exitCode: ExitCode.Failed,
        code: b.error?.code ?? b.status,
        hint: "Re-run the same command (it writes only what is not done yet).",
      },
    );
  }
}

/** Approves or rejects one connection: one PUT of its state (no GET first: the list gave it). */
export async function setPaasConnectionState(
  azure: Azure,
  at: At,
  c: ConnectionView,
  status: "Approved" | "Rejected",
  description: string,
): Promise<void> {
  const api = apiOf(at.id);
  await call(
    azure,
    `${status === "Approved" ? "approve" : "reject"} connection ${c.name} of ${at.name}`,
    async () => {
      const body = { properties: { privateLinkServiceConnectionState: { status, description } } };
      await settle(azure, await armSend(azure, "PUT", connectionPath(at, c.name), api, body), api);
    },
    { action: decideAction(at.id), scope: at.id },
  );
}

/** Removes one connection (DELETE; a 202 is followed to its end); already gone is done. */
export async function removePaasConnection(azure: Azure, at: At, name: string): Promise<void> {
  const api = apiOf(at.id);
  await call(
    azure,
    `remove connection ${name} from ${at.name}`,
    async () => settle(azure, await armSend(azure, "DELETE", connectionPath(at, name), api), api),
    {
      action: `${typeOf(at.id)}/privateEndpointConnections/delete`,
      scope: at.id,
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}
