/** Creates the objects of a YAML manifest that do not exist yet (like `kubectl create`, idempotent). */
import { type KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { usageError } from "../domain/errors.js";
import { kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

export interface Applied {
  kind: string;
  name: string;
  created: boolean;
}

export async function createMissing(kube: Kube, manifest: string, source: string): Promise<Applied[]> {
  const docs = parseAllDocuments(manifest);
  const objects: KubernetesObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw usageError(`${source} is not valid YAML: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (obj) objects.push(obj);
  }
  const api = KubernetesObjectApi.makeApiClient(apiOf(kube).target.config);
  const out: Applied[] = [];
  for (const obj of objects) {
    const kind = obj.kind ?? "Object";
    const name = obj.metadata?.name ?? "";
    const spec = {
      ...obj,
      metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? kube.namespace },
    };
    try {
      await api.create(spec);
      out.push({ kind, name, created: true });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 409)
        throw kubeError(err, `create ${kind} ${name}`, kube.server);
      out.push({ kind, name, created: false });
    }
  }
  return out;
}
