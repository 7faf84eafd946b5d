/**
 * NetworkPolicies (networking.k8s.io/v1) and CiliumNetworkPolicies (cilium.io/v2), as plsctl's
 * PolicyState; and whether the cluster serves the Cilium API at all (API discovery, as kubectl
 * does it: the group list, then the group version's resources). Both kinds go through
 * CustomObjectsApi, which moves plain JSON: NetworkingV1Api's models rename `from` to `_from`,
 * which would make every comparison of a read policy with the wanted one fail.
 */
import { ApisApi, CustomObjectsApi } from "@kubernetes/client-node";
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
const NETWORKING = { group: "networking.k8s.io", version: "v1", plural: "networkpolicies" } as const;
const resourceOf = (flavor: Flavor) => (flavor === "cilium" ? CILIUM : NETWORKING);

const clients = new WeakMap<Kube, { apis: ApisApi; custom: CustomObjectsApi }>();

function apis(kube: Kube) {
  let c = clients.get(kube);
  if (!c) {
    const config = apiOf(kube).target.config;
    c = { apis: config.makeApiClient(ApisApi), custom: config.makeApiClient(CustomObjectsApi) };
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
    spec: (o.spec ?? {}) as Record<string, unknown>,
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
    const o = await apis(kube).custom.getNamespacedCustomObject({ ...resourceOf(flavor), namespace, name });
    return existing(o as Raw, kindOf(flavor));
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
    const { custom } = apis(kube);
    const at = { ...resourceOf(flavor), namespace, body, fieldManager: "plsctl" };
    const o = resourceVersion
      ? await custom.replaceNamespacedCustomObject({ ...at, name })
      : await custom.createNamespacedCustomObject(at);
    return existing(o as Raw, kindOf(flavor));
  } catch (err) {
    throw kubeError(err, `${verb} ${kindOf(flavor)} ${namespace}/${name}`, kube.server);
  }
}

/** Whether the cluster serves cilium.io/v2 ciliumnetworkpolicies (API discovery). */
export async function servesCiliumPolicies(kube: Kube): Promise<boolean> {
  const gv = `${CILIUM.group}/${CILIUM.version}`;
  try {
    const groups = await apis(kube).apis.getAPIVersions();
    const group = groups.groups.find((g) => g.name === CILIUM.group);
    if (!group?.versions.some((v) => v.groupVersion === gv)) return false;
    const list = await apis(kube).custom.getAPIResources({ group: CILIUM.group, version: CILIUM.version });
    return list.resources.some((r) => r.name === CILIUM.plural);
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw kubeError(err, `discover ${gv}`, kube.server);
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
    const list = (await apis(kube).custom.listNamespacedCustomObject({
      ...NETWORKING,
      namespace,
      labelSelector: `${MANAGED_BY}=plsctl,${SERVICE_LABEL}=${service}`,
    })) as { items?: Raw[] };
    return (list.items ?? []).map((o) => existing(o, "NetworkPolicy"));
  } catch (err) {
    if (hasStatus(err, 403) || hasStatus(err, 404)) return undefined;
    throw kubeError(err, `list NetworkPolicies in ${namespace}`, kube.server);
  }
}
