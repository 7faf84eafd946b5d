/**
 * The final state a reliability test compares with a clean run's: the Service's Private Link
 * annotations (names, ids and aliases replaced by placeholders, so two Services compare), its PLS
 * as ARM has it, and the connections on it. Read through the real SDK clients.
 */
import type { FlowSandbox } from "../helpers/flow-sandbox.js";
import { networkAs } from "../helpers/sandbox-sdk.js";

export const NODE_RG = "MC_rg-aks_aks-demo_westeurope";

export interface FinalState {
  annotations: Record<string, string>;
  pls: {
    provisioningState: string | undefined;
    visibility: string[];
    autoApproval: string[];
    natIps: number;
    proxyProtocol: boolean;
    connections: Array<{ endpoint: string; status: string | undefined }>;
  } | null;
}

/** Replaces the Service's name, the PLS name and any GUID-shaped alias part with placeholders. */
function placeholders(value: string, service: string, pls: string): string {
  return value
    .replaceAll(pls, "<pls>")
    .replaceAll(service, "<service>")
    .replace(/\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\./gi, ".<guid>.");
}

export async function finalState(t: FlowSandbox, service: string, plsName: string): Promise<FinalState> {
  const svc = await t.core.readNamespacedService({ name: service, namespace: "default" });
  const annotations = Object.fromEntries(
    Object.entries(svc.metadata?.annotations ?? {})
      .filter(([k]) => k.includes("azure-pls-") || k.startsWith("plsctl.io/"))
      .map(([k, v]) => [k, placeholders(v, service, plsName)]),
  );
  const net = networkAs(t.sb, "provider");
  let pls: FinalState["pls"] = null;
  try {
    const p = await net.privateLinkServices.get(NODE_RG, plsName);
    const connections: NonNullable<FinalState["pls"]>["connections"] = [];
    for await (const c of net.privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName))
      connections.push({
        endpoint: c.privateEndpoint?.id?.split("/").pop() ?? "",
        status: c.privateLinkServiceConnectionState?.status,
      });
    pls = {
      provisioningState: p.provisioningState,
      visibility: [...(p.visibility?.subscriptions ?? [])].sort(),
      autoApproval: [...(p.autoApproval?.subscriptions ?? [])].sort(),
      natIps: p.ipConfigurations?.length ?? 0,
      proxyProtocol: Boolean(p.enableProxyProtocol),
      connections: connections.sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  return { annotations, pls };
}

/** The partner's endpoints in rg-partner: name, provisioning state, connection status. */
export async function partnerState(t: FlowSandbox): Promise<Array<Record<string, string | undefined>>> {
  const out: Array<Record<string, string | undefined>> = [];
  for await (const pe of networkAs(t.sb, "partner").privateEndpoints.list("rg-partner")) {
    const c = [
      ...(pe.manualPrivateLinkServiceConnections ?? []),
      ...(pe.privateLinkServiceConnections ?? []),
    ];
    out.push({
      name: pe.name,
      provisioningState: pe.provisioningState,
      status: c[0]?.privateLinkServiceConnectionState?.status,
      target: c[0]?.privateLinkServiceId?.toLowerCase(),
    });
  }
  return out.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** Write requests per `METHOD path` (any identity) whose path matches `re`, since the counters' last reset. */
export function writesTo(t: FlowSandbox, re: RegExp): Record<string, number> {
  const w = t.sb.arm.counters().writesByPath;
  return Object.fromEntries(Object.entries(w).filter(([k]) => re.test(k)));
}
