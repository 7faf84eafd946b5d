/**
 * For sandboxes of several clusters (examples/two-clusters.yaml): an identity's environment, a
 * client of one cluster's Kubernetes API by its kubeconfig context, and a hello Pod behind an
 * internal LoadBalancer Service in that cluster.
 */
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { identityEnv } from "../../../src/flows/sandbox/index.js";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { INTERNAL, lbService } from "./services.js";

/** The environment `plsctl sandbox env --as <identity>` gives, read from the running sandbox. */
export function identityEnvOf(sb: Sandbox, as: string): Record<string, string> {
  const id = sb.runtime.identities.find((i) => i.name === as);
  if (!id) throw new Error(`no identity ${as}`);
  return identityEnv(sb.runtime, id).env;
}

export function coreOf(sb: Sandbox, context: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(sb.runtime.kube.kubeconfigPath);
  kc.setCurrentContext(context);
  return kc.makeApiClient(CoreV1Api);
}

/** A Pod `<svc>-1` labelled `app: <svc>` and the internal LoadBalancer Service `<svc>` in front of it. */
export async function deployHello(sb: Sandbox, context: string, svc: string): Promise<void> {
  const core = coreOf(sb, context);
  await core.createNamespacedPod({
    namespace: "default",
    body: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `${svc}-1`, labels: { app: svc } },
      spec: { containers: [{ name: "hello", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
    },
  });
  await core.createNamespacedService({
    namespace: "default",
    body: lbService(svc, INTERNAL, { ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 80 }] }),
  });
}
