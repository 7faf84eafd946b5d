/**
 * Creates the objects of a YAML manifest that do not exist yet, as `kubectl apply -f` creates them
 * (idempotent): each carries the `kubectl.kubernetes.io/last-applied-configuration` annotation that
 * kubectl's client-side apply writes, so a later `kubectl apply -f` of the same file finds nothing
 * to change (`unchanged`) instead of warning that the annotation is missing.
 */
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
    const spec = withLastApplied({
      ...obj,
      metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? kube.namespace },
    });
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

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * The object with the annotation kubectl's client-side apply computes: the object as given (its
 * namespace filled in, its annotations without this one — an empty map when it has none), encoded
 * as Go's encoding/json does (keys sorted, <, > and & escaped, a trailing newline). kubectl:
 * kubernetes/kubectl pkg/util/apply.go (GetModifiedConfiguration) and
 * k8s.io/apimachinery pkg/apis/meta/v1/unstructured (UnstructuredJSONScheme, json.Encoder).
 */
export function withLastApplied(obj: KubernetesObject): KubernetesObject {
  const { [LAST_APPLIED]: _previous, ...annotations } = obj.metadata?.annotations ?? {};
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  return {
    ...bare,
    metadata: { ...bare.metadata, annotations: { ...annotations, [LAST_APPLIED]: goJson(bare) } },
  };
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== "object") return v;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return Object.fromEntries(
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sortedKeys(x)]),
  );
}

/** What Go's json.Encoder writes for this value: sorted map keys, HTML-safe, a newline at the end. */
function goJson(v: unknown): string {
  const text = JSON.stringify(sortedKeys(v))
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return `${text}\n`;
}
