/**
 * The Kubernetes side as plsctl sees it: adapters over @kubernetes/client-node that take and
 * return plsctl's own types. Loaded lazily, only by commands that talk to a cluster.
 */
import { CoreV1Api } from "@kubernetes/client-node";
import type { PlsctlEnv } from "../env.js";
import { resolveKubeTarget } from "./config.js";
import { shareConnections } from "./connections.js";
import { type Kube, makeKube } from "./handle.js";

export type { Kube } from "./handle.js";

export interface KubeOptions {
  env: PlsctlEnv;
  kubeconfig: string | undefined;
  context: string | undefined;
  namespace: string | undefined;
  signal: AbortSignal;
  debug: (message: string) => void;
  /** Told the kubeconfig user's bearer token, so that output never shows it. */
  addSecret?: (secret: string) => void;
}

export async function createKube(o: KubeOptions): Promise<Kube> {
  const target = resolveKubeTarget(o.env, o);
  const token = target.config.getCurrentUser()?.token;
  if (token) o.addSecret?.(token);
  o.debug(
    `Kubernetes context ${target.contextName} (${target.server}) from ${target.source}, namespace ${target.namespace}`,
  );
  return makeKube(
    { namespace: target.namespace, contextName: target.contextName, server: target.server },
    {
      target,
      core: shareConnections(target.config).makeApiClient(CoreV1Api),
      signal: o.signal,
      debug: o.debug,
    },
  );
}
