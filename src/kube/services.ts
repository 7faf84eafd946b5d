/** Services, nodes and events through client-node, returned as plsctl's own types. */
import type { V1Service } from "@kubernetes/client-node";
import type { AnnotationChanges } from "../domain/annotations.js";
import { ExitCode, PlsctlError } from "../domain/errors.js";
import type { ServiceView } from "../domain/service.js";
import { hasStatus, kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

export function serviceView(s: V1Service): ServiceView {
  const ingress = s.status?.loadBalancer?.ingress ?? [];
  return {
    namespace: s.metadata?.namespace ?? "default",
    name: s.metadata?.name ?? "",
    uid: s.metadata?.uid ?? "",
    type: s.spec?.type ?? "ClusterIP",
    annotations: s.metadata?.annotations ?? {},
    ingressIps: ingress.map((i) => i.ip).filter((ip): ip is string => typeof ip === "string"),
    ipFamilies: s.spec?.ipFamilies ?? [],
    externalTrafficPolicy: s.spec?.externalTrafficPolicy,
    loadBalancerIp: s.spec?.loadBalancerIP,
    clusterIp: s.spec?.clusterIP,
    resourceVersion: s.metadata?.resourceVersion ?? "",
    selector: s.spec?.selector,
    ports: (s.spec?.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort === undefined || p.targetPort === "" ? p.port : p.targetPort,
      protocol: p.protocol ?? "TCP",
    })),
  };
}

export async function findService(
  kube: Kube,
  namespace: string,
  name: string,
): Promise<ServiceView | undefined> {
  try {
    return serviceView(await apiOf(kube).core.readNamespacedService({ name, namespace }));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw kubeError(err, `read Service ${namespace}/${name}`, kube.server);
  }
}

export async function getService(kube: Kube, namespace: string, name: string): Promise<ServiceView> {
  const svc = await findService(kube, namespace, name);
  if (svc) return svc;
  throw new PlsctlError(`Service ${namespace}/${name} not found in context ${kube.contextName}.`, {
    exitCode: ExitCode.NotFound,
    code: "ServiceNotFound",
    hint: `List Services with: kubectl get services -n ${namespace} (or pass -n / --context).`,
  });
}

/** LoadBalancer Services cluster-wide (to see who shares a frontend); this namespace if RBAC says no. */
export async function listLoadBalancerServices(kube: Kube, namespace: string): Promise<ServiceView[]> {
  try {
    const list = await apiOf(kube).core.listServiceForAllNamespaces();
    return list.items.map(serviceView).filter((s) => s.type === "LoadBalancer");
  } catch (err) {
    if ((err as { code?: unknown }).code !== 403) throw kubeError(err, "list Services", kube.server);
    const list = await apiOf(kube)
      .core.listNamespacedService({ namespace })
      .catch((e) => {
        throw kubeError(e, `list Services in ${namespace}`, kube.server);
      });
    return list.items.map(serviceView).filter((s) => s.type === "LoadBalancer");
  }
}

/**
 * A JSON merge patch of annotations (and, to make a Service a LoadBalancer, its type) in one write.
 * With `resourceVersion` the write fails with 409 if someone changed the Service meanwhile (the
 * caller re-reads and re-diffs).
 */
export async function patchServiceAnnotations(
  kube: Kube,
  svc: { namespace: string; name: string },
  changes: AnnotationChanges,
  resourceVersion?: string,
  type?: "LoadBalancer",
): Promise<ServiceView> {
  const body = {
    metadata: { annotations: changes, ...(resourceVersion ? { resourceVersion } : {}) },
    ...(type ? { spec: { type } } : {}),
  };
  try {
    // Loaded here, not at the top: the commands that work without Kubernetes (approve --pls,
    // connections --all) import this module for its types and read-only helpers, and must not pay
    // for evaluating the Kubernetes client (its whole model catalogue) on start-up.
    const { mergePatchOptions } = await import("./merge-patch.js");
    const updated = await apiOf(kube).core.patchNamespacedService(
      { name: svc.name, namespace: svc.namespace, body, fieldManager: "plsctl" },
      mergePatchOptions(),
    );
    return serviceView(updated);
  } catch (err) {
    throw kubeError(err, `annotate Service ${svc.namespace}/${svc.name}`, kube.server);
  }
}

export const isConflict = (err: unknown): boolean =>
  err instanceof PlsctlError ? err.code === "Http409" : hasStatus(err, 409);

/** The nodes' `spec.providerID`s (AKS: azure:///subscriptions/<sub>/resourceGroups/<node rg>/…). */
export async function nodeProviderIds(kube: Kube): Promise<string[]> {
  try {
    const nodes = await apiOf(kube).core.listNode({ limit: 50 });
    return nodes.items.map((n) => n.spec?.providerID).filter((p): p is string => typeof p === "string");
  } catch (err) {
    throw kubeError(err, "list nodes", kube.server);
  }
}

/** The nodes' InternalIP addresses, by node name (they hold addresses in the cluster subnet). */
export async function nodeInternalIps(kube: Kube): Promise<Map<string, string>> {
  try {
    const out = new Map<string, string>();
    let _continue: string | undefined;
    do {
      const nodes = await apiOf(kube).core.listNode({ limit: 500, ...(_continue ? { _continue } : {}) });
      for (const n of nodes.items) {
        for (const a of n.status?.addresses ?? []) {
          if (a.type === "InternalIP") out.set(a.address, n.metadata?.name ?? "");
        }
      }
      _continue = nodes.metadata?._continue;
    } while (_continue);
    return out;
  } catch (err) {
    throw kubeError(err, "list nodes", kube.server);
  }
}
