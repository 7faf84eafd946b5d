/**
 * A provider with four exposed Services and a partner with endpoints to them, set up through the
 * real SDKs (Kubernetes as the provider; ARM as partner and provider), for the partner network's
 * tests: `web` (the sample app, `externalTrafficPolicy: Cluster`), `web-local` (same pod, `Local`),
 * `generic` (another image), `empty` (no pod); endpoints Approved, one Pending, one to reject; a
 * private zone linked to spoke01 with `web` in it, and one not linked.
 */
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import type { V1Pod } from "@kubernetes/client-node";
import { DEFAULT_IDS } from "../../../src/sandbox/world.js";
import type { FlowSandbox } from "../../helpers/flow-sandbox.js";
import { networkAs, partnerEndpoint } from "../../helpers/sandbox-sdk.js";
import { A, createService, PLS_CREATE } from "./services.js";

const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const PART = DEFAULT_IDS.partnerSubscriptionId;
const SPOKE = `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01`;
export const LINKED_ZONE = "privatelink.fabrikam.example";
export const UNLINKED_ZONE = "unlinked.fabrikam.example";

export interface Target {
  ip: string;
  natIps: string[];
}

export interface PartnerWorld {
  web: Target;
  local: Target;
  generic: Target;
  empty: Target;
  pending: Target;
  rejectable: Target;
  nodeIps: string[];
  names: { linked: string; unlinked: string };
  decide(endpoint: string, status: "Approved" | "Rejected"): Promise<void>;
}

function pod(name: string, app: string, image: string): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app } },
    spec: { containers: [{ name: app, image, ports: [{ containerPort: 80, protocol: "TCP" }] }] },
  };
}

export async function partnerWorld(t: FlowSandbox): Promise<PartnerWorld> {
  const provider = networkAs(t.sb, "provider");
  const partner = networkAs(t.sb, "partner");
  await t.core.createNamespacedPod({
    namespace: "default",
    body: pod("hello-1", "hello", "mcr.microsoft.com/azuredocs/aks-helloworld:v1"),
  });
  await t.core.createNamespacedPod({ namespace: "default", body: pod("generic-1", "generic", "nginx:1.27") });
  const services: Array<[string, string, "Cluster" | "Local"]> = [
    ["web", "hello", "Cluster"],
    ["web-local", "hello", "Local"],
    ["generic", "generic", "Cluster"],
    ["empty", "nobody", "Cluster"],
  ];
  for (const [name, app, policy] of services) {
    await createService(
      t.core,
      name,
      { ...PLS_CREATE, [`${A}azure-pls-name`]: `pls-${name}`, [`${A}azure-pls-visibility`]: PART },
      {
        selector: { app },
        externalTrafficPolicy: policy,
        ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 80 }],
      },
    );
  }
  await t.sb.controller.idle();

  const plsId = (name: string) =>
    `/subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/pls-${name}`;
  const decide = async (endpoint: string, status: "Approved" | "Rejected") => {
    for (const [svc] of services) {
      for await (const c of provider.privateLinkServices.listPrivateEndpointConnections(
        NODE_RG,
        `pls-${svc}`,
      )) {
        if (!c.privateEndpoint?.id?.endsWith(`/privateEndpoints/${endpoint}`)) continue;
        await provider.privateLinkServices.updatePrivateEndpointConnection(
          NODE_RG,
          `pls-${svc}`,
          c.name ?? "",
          {
            privateLinkServiceConnectionState: {
              status,
              description: `${status} by the test`,
              actionsRequired: "None",
            },
          },
        );
      }
    }
  };
  const target = async (endpoint: string, svc: string): Promise<Target> => {
    const pe = await partner.privateEndpoints.get("rg-partner", endpoint);
    const nicName = pe.networkInterfaces?.[0]?.id?.split("/").at(-1) ?? "";
    const nic = await partner.networkInterfaces.get("rg-partner", nicName);
    const pls = await provider.privateLinkServices.get(NODE_RG, `pls-${svc}`);
    return {
      ip: nic.ipConfigurations?.[0]?.privateIPAddress ?? "",
      natIps: (pls.ipConfigurations ?? []).map((c) => c.privateIPAddress ?? ""),
    };
  };
  const endpoints: Array<[string, string, boolean]> = [
    ["pe-web", "web", true],
    ["pe-local", "web-local", true],
    ["pe-generic", "generic", true],
    ["pe-empty", "empty", true],
    ["pe-pending", "web", false],
    ["pe-reject", "web", true],
  ];
  for (const [endpoint, svc, approve] of endpoints) {
    await partnerEndpoint(t.sb, endpoint, plsId(svc));
    if (approve) await decide(endpoint, "Approved");
  }
  const web = await target("pe-web", "web");

  const token = t.sb.arm.tokens.partner ?? "";
  const dns = new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    PART,
    {
      endpoint: t.sb.arm.url,
      tlsOptions: { ca: t.sb.arm.caCertPem },
      retryOptions: { maxRetries: 0 },
    } as never,
  );
  const poll = { updateIntervalInMs: 10 };
  for (const zone of [LINKED_ZONE, UNLINKED_ZONE]) {
    await dns.privateZones.beginCreateOrUpdateAndWait("rg-partner", zone, { location: "global" }, poll);
    await dns.recordSets.createOrUpdate("rg-partner", zone, "A", "web", {
      ttl: 300,
      aRecords: [{ ipv4Address: web.ip }],
    });
  }
  await dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
    "rg-partner",
    LINKED_ZONE,
    "spoke01",
    { location: "global", virtualNetwork: { id: SPOKE }, registrationEnabled: false },
    poll,
  );

  return {
    web,
    local: await target("pe-local", "web-local"),
    generic: await target("pe-generic", "generic"),
    empty: await target("pe-empty", "empty"),
    pending: await target("pe-pending", "web"),
    rejectable: await target("pe-reject", "web"),
    nodeIps: t.sb.cluster.nodes.map((n) => n.internalIp),
    names: { linked: `web.${LINKED_ZONE}`, unlinked: `web.${UNLINKED_ZONE}` },
    decide,
  };
}
