/**
 * The results commands print: the `-o json` documents (fields are added, never renamed) and what
 * the human renderers in src/output show. Flows return them; src/output renders them.
 */
import type { ConnectionView } from "./pls.js";

/** The `-o json` document of expose and status (fields are added, never renamed). */
export interface ExposeResult {
  name: string | null;
  id: string | null;
  alias: string | null;
  resourceGroup: string;
  subscriptionId: string;
  location: string | null;
  service: { namespace: string; name: string };
  loadBalancerIp: string | null;
  natIps: string[];
  visibility: string[];
  autoApproval: string[];
  fqdns: string[];
  proxyProtocol: boolean;
  provisioningState: string;
  /** Did this run change the Service's annotations? */
  changed: boolean;
  connectCommand: string | null;
}

/** The `-o json` document of status: expose's (without `changed`), connections and warnings. */
export interface StatusResult extends Omit<ExposeResult, "changed"> {
  connections: Array<
    Pick<ConnectionView, "name" | "requesterSubscription" | "privateEndpointId" | "status" | "description">
  >;
  /** Warning events since the controller's last successful sync, oldest first, messages whole. */
  warnings: Array<{ reason: string; message: string; count: number; lastSeen: string | null }>;
}

export interface UnexposeResult {
  service: { namespace: string; name: string };
  removedAnnotations: string[];
  pls: { name: string; id: string } | null;
  deletedConnections: Array<
    Pick<ConnectionView, "name" | "requesterSubscription" | "privateEndpointId" | "status">
  >;
  plsDeleted: boolean;
  changed: boolean;
}

/** `plsctl sandbox status`. */
export interface SandboxStatus {
  running: boolean;
  stateDir: string;
  pid: number | null;
  startedAt: string | null;
  arm: string | null;
  kube: string | null;
  kubeconfig: string | null;
  identities: string[];
}

/** Where a sandbox that just started listens, and who can act in it (`plsctl sandbox up`). */
export interface SandboxEndpoints {
  stateDir: string;
  arm: { url: string };
  kube: { url: string; kubeconfigPath: string; context: string };
  identities: Array<{ name: string; displayName: string }>;
}
