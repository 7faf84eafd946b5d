/**
 * One connection pool per kubeconfig for all of a command's requests. client-node 2 builds a new
 * undici Agent — so a new TCP connection and TLS handshake — for every request
 * (KubeConfig.applySecurityAuthentication → createDispatcher, kubernetes-client/javascript
 * src/config.ts), and `status` makes five: that is four handshakes more than needed, each a few
 * milliseconds of CPU here and on the API server. The agent is kept per distinct dispatcher options
 * (createDispatcherOptions: TLS material, proxy), so a credential that changes them (an exec
 * plugin's rotated client certificate) still gets a new one.
 */
import type { Cluster, KubeConfig } from "@kubernetes/client-node";

type CreateDispatcher = (cluster: Cluster | null, agentOptions: Record<string, unknown>) => unknown;

export function shareConnections(config: KubeConfig): KubeConfig {
  // createDispatcher is private in client-node's typings; without it (another client-node), keep
  // the client's own behaviour.
  const target = config as unknown as { createDispatcher?: CreateDispatcher };
  const create = target.createDispatcher;
  if (typeof create !== "function") return config;
  const agents = new Map<string, unknown>();
  target.createDispatcher = (cluster, agentOptions) => {
    const key = JSON.stringify(config.createDispatcherOptions(cluster, agentOptions));
    if (!agents.has(key)) agents.set(key, create.call(config, cluster, agentOptions));
    return agents.get(key);
  };
  return config;
}
