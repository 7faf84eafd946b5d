/**
 * Fleet discovery through Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`,
 * @azure/arm-resourcegraph, api-version 2024-04-01): one query over many subscriptions returns the
 * AKS-made Private Link Services with their connections, page by page (`$skipToken`), instead of
 * one list of PLSs per subscription and one list of connections per PLS. Resource Graph returns
 * only what the caller may read (learn.microsoft.com/azure/governance/resource-graph/overview,
 * "Permissions in Azure Resource Graph"), so an identity whose roles are scoped to resource groups
 * finds its PLSs where a subscription-wide list is refused.
 *
 * Quota: every answer carries `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after`
 * (hh:mm:ss; learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).
 * When the quota is spent and pages remain, the next page waits until it resets (told first).
 */
import type { PrivateLinkService } from "@azure/arm-network";
import { isAbortError } from "../domain/errors.js";
import { fleetQuery, parseQuotaReset } from "../domain/fleet-query.js";
import type { PlsView } from "../domain/pls.js";
import { azureError } from "./errors.js";
import { type Azure, armOf } from "./handle.js";
import { toPlsView } from "./pls.js";

/** Resource Graph said no (or could not answer): the caller lists instead, and says so. */
export class GraphRefused extends Error {
  constructor(
    readonly reason: string,
    readonly status: number | undefined,
  ) {
    super(reason);
    this.name = "GraphRefused";
  }
}

export interface FleetOptions {
  subscriptions: string[];
  clusterName?: string | undefined;
  /** Waits `ms` (the injected clock), after `onQuotaWait` said so. */
  sleep(ms: number): Promise<void>;
  onQuotaWait(ms: number): void;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

/** A Resource Graph row (ARM's JSON: id, name, location, tags, properties) as the SDK's model. */
function rowToPls(row: unknown): PlsView {
  const r = obj(row);
  const p = obj(r.properties);
  const model: PrivateLinkService = {
    id: r.id as string,
    name: r.name as string,
    location: r.location as string,
    tags: obj(r.tags) as Record<string, string>,
    alias: p.alias as string | undefined,
    provisioningState: p.provisioningState as PrivateLinkService["provisioningState"],
    visibility: { subscriptions: (obj(p.visibility).subscriptions as string[] | undefined) ?? [] },
    autoApproval: { subscriptions: (obj(p.autoApproval).subscriptions as string[] | undefined) ?? [] },
    fqdns: (p.fqdns as string[] | undefined) ?? [],
    enableProxyProtocol: Boolean(p.enableProxyProtocol),
    ipConfigurations: list(p.ipConfigurations).map((c) => ({
      name: c.name as string,
      privateIPAddress: obj(c.properties).privateIPAddress as string | undefined,
      privateIPAllocationMethod: obj(c.properties).privateIPAllocationMethod as
        | "Static"
        | "Dynamic"
        | undefined,
      primary: Boolean(obj(c.properties).primary),
      subnet: { id: obj(obj(c.properties).subnet).id as string | undefined },
    })),
    loadBalancerFrontendIpConfigurations: list(p.loadBalancerFrontendIpConfigurations).map((f) => ({
      id: f.id as string,
    })),
    privateEndpointConnections: list(p.privateEndpointConnections).map((c) => {
      const cp = obj(c.properties);
      const st = obj(cp.privateLinkServiceConnectionState);
      return {
        id: c.id as string,
        name: c.name as string,
        provisioningState: cp.provisioningState as "Succeeded",
        privateEndpoint: { id: obj(cp.privateEndpoint).id as string | undefined },
        privateLinkServiceConnectionState: {
          status: st.status as string | undefined,
          description: st.description as string | undefined,
          actionsRequired: st.actionsRequired as string | undefined,
        },
      };
    }),
  };
  return toPlsView(model);
}

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number }).statusCode;

/**
 * Every AKS-made PLS (with its connections) in the subscriptions that this identity can read.
 * Throws GraphRefused when Resource Graph refuses the query or cannot be reached past the retries,
 * except for a credential that does not work (that is the same for any other request: exit 4).
 */
export async function queryFleet(azure: Azure, o: FleetOptions): Promise<PlsView[]> {
  const arm = armOf(azure);
  const client = await arm.graph();
  const query = fleetQuery(o.clusterName);
  const out: PlsView[] = [];
  let skipToken: string | undefined;
  do {
    let remaining: string | undefined;
    let resets: string | undefined;
    let page: { data: unknown; skipToken?: string | undefined };
    try {
      page = await client.resources(
        {
          subscriptions: o.subscriptions,
          query,
          options: { resultFormat: "objectArray", ...(skipToken ? { skipToken } : {}) },
        },
        {
          abortSignal: arm.signal,
          onResponse: (res) => {
            remaining = res.headers.get("x-ms-user-quota-remaining") ?? undefined;
            resets = res.headers.get("x-ms-user-quota-resets-after") ?? undefined;
          },
        },
      );
    } catch (err) {
      if (isAbortError(err)) throw err;
      const status = statusOf(err);
      if (status === 401) throw azureError(err, "query Azure Resource Graph");
      const e = err as { code?: string; message?: string };
      throw new GraphRefused(
        `${status ?? "no answer"} ${e.code ?? ""}: ${e.message ?? String(err)}`.trim(),
        status,
      );
    }
    for (const row of Array.isArray(page.data) ? page.data : []) out.push(rowToPls(row));
    skipToken = page.skipToken;
    if (skipToken && remaining === "0") {
      const ms = parseQuotaReset(resets) ?? 5000;
      o.onQuotaWait(ms);
      await o.sleep(ms);
    }
  } while (skipToken);
  return out;
}
