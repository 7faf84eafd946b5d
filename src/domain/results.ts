/**
 * The results commands print: the `-o json` documents (fields are added, never renamed) and what
 * the human renderers in src/output show. Flows return them; src/output renders them.
 */
import type { ConnectionSummary } from "./connections.js";
import type { PartnerRecord } from "./inventory.js";

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
  /**
   * Only after `expose --recreate-pls` made AKS replace the PLS: the one that went, what changed,
   * and the partners whose connections went with it (they must connect again to the new alias).
   */
  recreated?: {
    previousName: string;
    previousId: string;
    previousAlias: string | null;
    changes: string[];
    mustBeTold: ConnectionSummary[];
  };
  /**
   * Only when the Service's recorded exposure (the partner inventory) had another PLS: the alias
   * that went, who was connected to it and is not now, and what `--restore-partners` did for them.
   */
  aliasChanged?: AliasChange;
}

/** A recorded exposure replaced by a new PLS (new alias), and its partners. */
export interface AliasChange {
  previousId: string;
  previousAlias: string | null;
  /** Recorded partners connected before and not now (src/domain/inventory.ts missingPartners). */
  missingPartners: PartnerRecord[];
  /** Subscriptions `--restore-partners` put on the visibility and auto-approval lists; null without it. */
  restored: string[] | null;
  /** The one message to send each missing partner. */
  messages: Array<{ subscription: string | null; endpoint: string | null; message: string }>;
}

/** The `-o json` document of status: expose's (without `changed`), connections and warnings. */
export interface StatusResult extends Omit<ExposeResult, "changed"> {
  connections: ConnectionSummary[];
  /** Warning events since the controller's last successful sync, oldest first, messages whole. */
  warnings: Array<{ reason: string; message: string; count: number; lastSeen: string | null }>;
  /** plsctl's NetworkPolicies for the Service that no longer match its NAT IPs or ports (`plsctl netpol`). */
  policyWarnings: Array<{ policy: string; message: string; fix: string }>;
  /** The partner inventory (ConfigMap plsctl-partners-<service>); null when it could not be read. */
  partners: PartnerRecord[] | null;
  /** Recorded partners who were connected to an earlier PLS of the Service and have no live connection now. */
  missingPartners: PartnerRecord[];
}

export interface UnexposeResult {
  service: { namespace: string; name: string };
  removedAnnotations: string[];
  pls: { name: string; id: string } | null;
  deletedConnections: ConnectionSummary[];
  plsDeleted: boolean;
  changed: boolean;
}

/** `plsctl sandbox env`: one identity's environment (a credential by design). */
export interface EnvResult {
  identity: string;
  displayName: string;
  env: Record<string, string>;
  unset: string[];
}

/** `plsctl sandbox status`. */
export interface SandboxStatus {
  running: boolean;
  stateDir: string;
  pid: number | null;
  startedAt: string | null;
  arm: string | null;
  kube: string | null;
  /** The partner network's proxy (`http://127.0.0.1:<port>`). */
  proxy: string | null;
  kubeconfig: string | null;
  identities: string[];
  /** Every managed cluster: its Kubernetes API and kubeconfig context (the first is `kube`). */
  clusters: SandboxClusterEndpoint[];
}

/** One managed cluster of a sandbox: its Kubernetes API and its context in the sandbox's kubeconfig. */
export interface SandboxClusterEndpoint {
  name: string;
  url: string;
  context: string;
}

/** Where a sandbox that just started listens, and who can act in it (`plsctl sandbox up`). */
export interface SandboxEndpoints {
  stateDir: string;
  arm: { url: string };
  kube: { url: string; kubeconfigPath: string; context: string };
  /** Every managed cluster, the first included (absent in a sandbox.json of an older plsctl). */
  clusters?: SandboxClusterEndpoint[];
  /** The partner network's proxy (absent in a sandbox.json of an older plsctl). */
  proxy?: { url: string };
  identities: Array<{ name: string; displayName: string }>;
}

/** `plsctl sandbox requests`: the sandbox's ARM request counters. */
export interface RequestRow {
  identity: string;
  /** The REST operation id, e.g. `PrivateLinkServices_UpdatePrivateEndpointConnection`. */
  operation: string;
  method: string;
  /** The route template, e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/…`. */
  route: string;
  kind: "read" | "write";
  count: number;
}

export interface IdentityTotals {
  total: number;
  reads: number;
  writes: number;
}

/** The `-o json` document (a contract: fields are added, never renamed). */
export interface RequestsResult {
  stateDir: string;
  arm: string;
  /** Every request counted, unrouted and unauthenticated ones included. */
  total: number;
  /** Served reads: GET/HEAD and read-like POSTs, long-running-operation polls included. */
  reads: number;
  /** Served writes: PUT, PATCH, DELETE and writing POSTs (refused ones included: they were sent). */
  writes: number;
  /** Requests no route matched (also listed in `unroutedRequests`). */
  unrouted: number;
  /** Requests without a valid token. */
  unauthenticated: number;
  byIdentity: Record<string, IdentityTotals>;
  /** One row per identity and operation, ordered by identity, then writes first, then operation. */
  requests: RequestRow[];
  unroutedRequests: string[];
  /** Whether the counters were cleared after this read (`--reset`). */
  reset: boolean;
}

/** The `-o json` document of `plsctl connect` (fields are added, never renamed). */
export interface ConnectResult {
  endpoint: {
    id: string;
    name: string;
    resourceGroup: string;
    subscriptionId: string;
    location: string;
    subnetId: string;
  };
  /** What `--pls` named, as the endpoint holds it (alias, PLS id, or PaaS resource id). */
  target: string;
  targetKind: "alias" | "pls" | "paas";
  groupId: string | null;
  /** A manual connection: the provider approves it. */
  manual: boolean;
  /** Pending, Approved, Rejected, Disconnected (as Azure reports it). */
  state: string;
  description: string | null;
  privateIp: string | null;
  /** The name that resolves to the endpoint inside the linked VNet, when plsctl wrote DNS. */
  fqdn: string | null;
  dns: {
    zone: string;
    zoneId: string;
    record: string | null;
    zoneGroup: boolean;
    /** The zone is outside the endpoint's resource group: a hub's zone linked to the VNet, or --dns-zone-id. */
    central: boolean;
  } | null;
  /** For a Pending connection to a Private Link Service: the provider's exact approve line. */
  approveCommand: string | null;
  /**
   * `--replace`: the endpoint this run deleted (its target, connection state and IP) before making
   * the new one under the same name; null when nothing was replaced.
   */
  replaced: { id: string; target: string; state: string; privateIp: string | null } | null;
  /** Did this run write anything? */
  changed: boolean;
}

/** The `-o json` document of `plsctl disconnect`. */
export interface DisconnectResult {
  endpoint: { id: string; name: string; resourceGroup: string; subscriptionId: string };
  /** Whether this run deleted the endpoint (false: it was not there). */
  endpointDeleted: boolean;
  /** The A records plsctl had written for it, deleted by this run (FQDNs). */
  deletedRecords: string[];
  changed: boolean;
}

/** A fault rule in force, as `plsctl sandbox faults list` shows it. */
export interface FaultRow {
  api: "arm" | "kube";
  index: number;
  kind: string;
  match: string;
  /** How often it fired, and at most how often (null: no limit). */
  used: number;
  times: number | null;
  probability: number;
  /** The rule as the sandbox's admin API holds it (plain JSON). */
  rule: Record<string, unknown>;
}

/** The `-o json` document of `plsctl sandbox faults add|list|clear`. */
export interface FaultsResult {
  stateDir: string;
  faults: FaultRow[];
}
