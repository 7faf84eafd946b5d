/**
 * Small helpers for controller flow tests: LoadBalancer Services through client-node, their events,
 * and ARM look-ups of what the simulated cloud controller made.
 */
import { type CoreV1Api, PatchStrategy, setHeaderOptions, type V1Service } from "@kubernetes/client-node";
import type { ArmClient } from "../../../src/sandbox/controller/arm-client.js";
import type { TestSandbox } from "./sandbox.js";

export const A = "service.beta.kubernetes.io/";
export const INTERNAL = { [`${A}azure-load-balancer-internal`]: "true" };
export const PLS_CREATE = { ...INTERNAL, [`${A}azure-pls-create`]: "true" };

export function lbService(
  name: string,
  annotations: Record<string, string>,
  spec: Partial<V1Service["spec"]> = {},
) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, annotations },
    spec: {
      type: "LoadBalancer",
      selector: { app: name },
      ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 8080 }],
      ...spec,
    },
  } satisfies V1Service;
}

export async function createService(
  core: CoreV1Api,
  name: string,
  annotations: Record<string, string>,
  spec: Partial<V1Service["spec"]> = {},
): Promise<V1Service> {
  return core.createNamespacedService({ namespace: "default", body: lbService(name, annotations, spec) });
}

/** JSON merge patch of annotations (null removes a key). */
export async function annotate(core: CoreV1Api, name: string, annotations: Record<string, string | null>) {
  return core.patchNamespacedService(
    { name, namespace: "default", body: { metadata: { annotations } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

export async function eventsOf(core: CoreV1Api, name: string) {
  const list = await core.listNamespacedEvent({
    namespace: "default",
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items.map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count }));
}

export function ingressOf(svc: V1Service): string | undefined {
  return svc.status?.loadBalancer?.ingress?.[0]?.ip;
}

export interface PlsJson {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties: {
    provisioningState: string;
    alias?: string;
    loadBalancerFrontendIpConfigurations: { id: string }[];
    ipConfigurations: {
      name: string;
      properties: {
        privateIPAddress: string;
        privateIPAllocationMethod: string;
        primary: boolean;
        subnet: { id: string };
      };
    }[];
    fqdns: string[];
    enableProxyProtocol: boolean;
    visibility: { subscriptions: string[] };
    autoApproval: { subscriptions: string[] };
    privateEndpointConnections: { id: string; name: string }[];
  };
}

export function rgPath(sb: TestSandbox, rg: string, sub = sb.cluster.subscriptionId) {
  return `/subscriptions/${sub}/resourceGroups/${rg}`;
}

export async function plsIn(
  arm: ArmClient,
  sb: TestSandbox,
  rg = sb.cluster.nodeResourceGroup,
): Promise<PlsJson[]> {
  return arm.list<PlsJson>(`${rgPath(sb, rg)}/providers/Microsoft.Network/privateLinkServices`);
}

export async function subnetOf(arm: ArmClient, sb: TestSandbox, name: string) {
  const cfg = sb.cluster.cloudConfig;
  return arm.getStrict<{
    id: string;
    properties: { privateLinkServiceNetworkPolicies?: string; addressPrefix: string };
  }>(
    `${rgPath(sb, cfg.vnetResourceGroup)}/providers/Microsoft.Network/virtualNetworks/${cfg.vnetName}/subnets/${name}`,
  );
}

export interface LbJson {
  id: string;
  properties: {
    frontendIPConfigurations: {
      id: string;
      name: string;
      properties: { privateIPAddress?: string; subnet?: { id: string } };
    }[];
    loadBalancingRules: { name: string }[];
  };
}

export async function internalLb(arm: ArmClient, sb: TestSandbox): Promise<LbJson | undefined> {
  return arm.get<LbJson>(
    `${rgPath(sb, sb.cluster.nodeResourceGroup)}/providers/Microsoft.Network/loadBalancers/kubernetes-internal`,
  );
}

/** The frontend name the controller gives an internal Service: `a` + UID without dashes, cut to 32. */
export function frontendOf(svc: V1Service, subnet?: string): string {
  const base = `a${(svc.metadata?.uid ?? "").replaceAll("-", "")}`.slice(0, 32);
  return subnet ? `${base}-${subnet}` : base;
}
