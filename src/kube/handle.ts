/**
 * The Kubernetes handle flows hold, and what stays behind it. Flows see only `Kube` (plain
 * values); the client-node clients, the kubeconfig and the abort signal sit in a module-private
 * WeakMap that only the adapters in src/kube read (`apiOf`). The layers test checks that no file
 * outside src/kube imports this module or names what it keeps.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import type { KubeTarget } from "./config.js";

export interface Kube {
  readonly namespace: string;
  readonly contextName: string;
  /** The API server's URL, for messages. */
  readonly server: string;
}

/**
 * The CoreV1Api methods plsctl calls. The bundle's CoreV1Api has only these (scripts/build.mjs reads
 * this list: CoreV1Api's ~200 other methods, and the models only they use, stay out of it); the
 * CoreApi type keeps src/kube to them.
 */
export const CORE_METHODS = [
  "createNamespacedConfigMap",
  "createNamespacedEvent",
  "listNamespacedEvent",
  "listNamespacedService",
  "listNode",
  "listServiceForAllNamespaces",
  "patchNamespacedService",
  "readNamespacedConfigMap",
  "readNamespacedService",
  "replaceNamespacedConfigMap",
] as const;
export type CoreApi = Pick<CoreV1Api, (typeof CORE_METHODS)[number]>;

/** What the adapters use. */
export interface KubeApi {
  readonly target: KubeTarget;
  readonly core: CoreApi;
  readonly signal: AbortSignal;
  readonly debug: (message: string) => void;
}

const behind = new WeakMap<Kube, KubeApi>();

export function makeKube(visible: Kube, api: KubeApi): Kube {
  const kube: Kube = Object.freeze({
    namespace: visible.namespace,
    contextName: visible.contextName,
    server: visible.server,
  });
  behind.set(kube, api);
  return kube;
}

export function apiOf(kube: Kube): KubeApi {
  const api = behind.get(kube);
  if (!api) throw new Error("not a Kubernetes handle from createKube()");
  return api;
}
