/**
 * ConfigMaps through client-node (CoreV1Api), as plain records: what the partner inventory
 * (src/flows/support/inventory.ts) reads and writes. Writes are guarded: create answers 409 when the
 * ConfigMap appeared meanwhile, replace answers 409 when its resourceVersion is stale; both come
 * back as `{ conflict: true }` for the caller to re-read and merge; every other failure is a
 * PlsctlError (403 → exit 4).
 */
import type { V1ConfigMap } from "@kubernetes/client-node";
import { hasStatus, kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

export interface ConfigMapRecord {
  namespace: string;
  name: string;
  resourceVersion: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}

export interface ConfigMapWrite {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  data: Record<string, string>;
  /** Absent: create; present: replace that version. */
  resourceVersion?: string | undefined;
}

function record(c: V1ConfigMap): ConfigMapRecord {
  return {
    namespace: c.metadata?.namespace ?? "",
    name: c.metadata?.name ?? "",
    resourceVersion: c.metadata?.resourceVersion ?? "",
    labels: c.metadata?.labels ?? {},
    data: c.data ?? {},
  };
}

export async function readConfigMap(
  kube: Kube,
  namespace: string,
  name: string,
): Promise<ConfigMapRecord | undefined> {
  try {
    return record(await apiOf(kube).core.readNamespacedConfigMap({ name, namespace }));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw kubeError(err, `read ConfigMap ${namespace}/${name}`, kube.server);
  }
}

export async function writeConfigMap(
  kube: Kube,
  w: ConfigMapWrite,
): Promise<{ conflict: false; record: ConfigMapRecord } | { conflict: true }> {
  const body: V1ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: w.labels,
      ...(w.resourceVersion ? { resourceVersion: w.resourceVersion } : {}),
    },
    data: w.data,
  };
  const core = apiOf(kube).core;
  try {
    const out = w.resourceVersion
      ? await core.replaceNamespacedConfigMap({
          name: w.name,
          namespace: w.namespace,
          body,
          fieldManager: "plsctl",
        })
      : await core.createNamespacedConfigMap({ namespace: w.namespace, body, fieldManager: "plsctl" });
    return { conflict: false, record: record(out) };
  } catch (err) {
    if (hasStatus(err, 409)) return { conflict: true };
    throw kubeError(err, `write ConfigMap ${w.namespace}/${w.name}`, kube.server);
  }
}
