/**
 * NetworkPolicies (networking.k8s.io/v1, through NetworkingV1Api) and CiliumNetworkPolicies
 * (cilium.io/v2, a custom resource, through CustomObjectsApi), as plsctl's PolicyState; and whether
 * the cluster serves the Cilium API at all (API discovery of cilium.io/v2).
 */
import { CustomObjectsApi, NetworkingV1Api, type V1NetworkPolicy } from "@kubernetes/client-node";
import type { Flavor, PolicyObject } from "../domain/netpol.js";
import { MANAGED_BY, SERVICE_LABEL } from "../domain/netpol.js";
import type { PolicyState } from "../domain/netpol-compare.js";
import { hasStatus, kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

export interface ExistingPolicy extends PolicyState {
  name: string;
  resourceVersion: string;
  generation: number | undefined;
}

const CILIUM = { group: "cilium.io", version: "v2", plural: "ciliumnetworkpolicies" } as const;

const clients = new WeakMap<Kube, { net: NetworkingV1Api; custom: CustomObjectsApi }>();

function apis(kube: Kube) {
  let c = clients.get(kube);
  if (!c) {
    const config = apiOf(kube).target.config;
    c = { net: config.makeApiClient(NetworkingV1Api), custom: config.makeApiClient(CustomObjectsApi) };
    clients.set(kube, c);
  }
  return c;
}

type Raw = {
  kind?: string;
  metadata?: {
    name?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
};

function existing(o: Raw, kind: string): ExistingPolicy {
  return {
    kind: o.kind ?? kind,
    name: o.metadata?.name ?? "",
    labels: o.metadata?.labels ?? {},
    annotations: o.metadata?.annotations ?? {},
    // client-node's models are plain JSON here; only the spec's meaning is compared.
    spec: JSON.parse(JSON.stringify(o.spec ?? {})) as Record<string, unknown>,
    resourceVersion: o.metadata?.resourceVersion ?? "",
    generation: o.metadata?.generation,
  };
}

const kindOf = (flavor: Flavor) => (flavor === "cilium" ? "CiliumNetworkPolicy" : "NetworkPolicy");

export async function readPolicy(
  kube: Kube,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<ExistingPolicy | undefined> {
  try {
    const o =
      flavor === "cilium"
        ? ((await apis(kube).custom.getNamespacedCustomObject({ ...CILIUM, namespace, name })) as Raw)
        : await apis(kube).net.readNamespacedNetworkPolicy({ name, namespace });
    return existing(o, kindOf(flavor));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw kubeError(err, `read ${kindOf(flavor)} ${namespace}/${name}`, kube.server);
  }
}

/** Creates the policy, or replaces it at `resourceVersion` (409 if someone changed it meanwhile). */
export async function writePolicy(
  kube: Kube,
  flavor: Flavor,
  policy: PolicyObject,
  resourceVersion?: string,
): Promise<ExistingPolicy> {
  const { name, namespace } = policy.metadata;
  const body = {
    ...policy,
    metadata: { ...policy.metadata, ...(resourceVersion ? { resourceVersion } : {}) },
  };
  const verb = resourceVersion ? "replace" : "create";
  try {
    const { net, custom } = apis(kube);
    let o: Raw;
    if (flavor === "cilium") {
      o = (
        resourceVersion
          ? await custom.replaceNamespacedCustomObject({ ...CILIUM, namespace, name, body })
          : await custom.createNamespacedCustomObject({ ...CILIUM, namespace, body, fieldManager: "plsctl" })
      ) as Raw;
    } else {
      const np = body as V1NetworkPolicy;
      o = resourceVersion
        ? await net.replaceNamespacedNetworkPolicy({ name, namespace, body: np, fieldManager: "plsctl" })
        : await net.createNamespacedNetworkPolicy({ namespace, body: np, fieldManager: "plsctl" });
    }
    return existing(o, kindOf(flavor));
  } catch (err) {
    throw kubeError(err, `${verb} ${kindOf(flavor)} ${namespace}/${name}`, kube.server);
  }
}

/** Whether the cluster serves cilium.io/v2 ciliumnetworkpolicies (API discovery). */
export async function servesCiliumPolicies(kube: Kube): Promise<boolean> {
  try {
    const list = await apis(kube).custom.getAPIResources({ group: CILIUM.group, version: CILIUM.version });
    return list.resources.some((r) => r.name === CILIUM.plural);
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw kubeError(err, `discover ${CILIUM.group}/${CILIUM.version}`, kube.server);
  }
}

/**
 * The NetworkPolicies plsctl wrote for a Service: one list in its namespace, by label. Undefined
 * when this identity may not list NetworkPolicies (status then skips the check).
 */
export async function listPlsctlNetworkPolicies(
  kube: Kube,
  namespace: string,
  service: string,
): Promise<ExistingPolicy[] | undefined> {
  try {
    const list = await apis(kube).net.listNamespacedNetworkPolicy({
      namespace,
      labelSelector: `${MANAGED_BY}=plsctl,${SERVICE_LABEL}=${service}`,
    });
    return list.items.map((o) => existing(o, "NetworkPolicy"));
  } catch (err) {
    if (hasStatus(err, 403) || hasStatus(err, 404)) return undefined;
    throw kubeError(err, `list NetworkPolicies in ${namespace}`, kube.server);
  }
}
