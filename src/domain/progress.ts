/**
 * What a flow reports while it works, as typed events: flows emit them through `ctx.progress`,
 * src/output/progress.ts puts them in words, and the reporter shows them (a spinner on a
 * terminal, one line each otherwise). Service references read `namespace/name`.
 */
export type ProgressEvent =
  // expose
  | { kind: "annotated"; service: string; changed: boolean }
  | { kind: "reconcile-requested"; service: string }
  | { kind: "not-waiting"; service: string }
  | { kind: "pls-ready"; name: string }
  // waiting for the AKS controller
  | { kind: "waiting-lb-ip" }
  | { kind: "waiting-pls" }
  | { kind: "lb-ip-assigned" }
  | { kind: "pls-provisioning"; name: string; state: string }
  | { kind: "pls-waiting-lb-ip"; name: string }
  | { kind: "pls-catching-up"; name: string; missing: string[] }
  | { kind: "waiting-sync"; service: string }
  | { kind: "pls-provisioned"; name: string }
  // unexpose
  | { kind: "removing-annotations"; service: string }
  | { kind: "removing-connection"; name: string }
  | { kind: "deleting-pls"; name: string }
  | { kind: "unexposed"; service: string; changed: boolean }
  // connect, disconnect (partner side)
  | {
      kind: "connect-mode";
      manual: boolean;
      why:
        | "alias"
        | "auto-approved"
        | "not-auto-approved"
        | "paas-same-subscription"
        | "paas-other-subscription"
        | "linked-authorization-failed"
        | "other-tenant"
        | "other-tenant-refused";
    }
  | {
      kind: "alias-not-visible-yet";
      alias: string;
      retryInMs: number;
      /** On the first retry: how long plsctl keeps trying (the user hears why it waits and how to stop). */
      first?: { budgetMs: number };
    }
  | { kind: "endpoint-reused"; name: string; state: string }
  // connect --replace: the old endpoint (its target and connection state) is deleted, then the new one made
  | { kind: "replacing-endpoint"; name: string; target: string; state: string }
  | { kind: "old-endpoint-deleted"; name: string; target: string }
  | { kind: "creating-endpoint"; name: string; manual: boolean }
  | { kind: "endpoint-created"; name: string; state: string; privateIp: string | null }
  | { kind: "dns-zone"; zone: string; created: boolean; linked: boolean; id?: string; central?: boolean }
  | { kind: "dns-record"; fqdn: string; ip: string; changed: boolean }
  | { kind: "zone-group"; zone: string; changed: boolean }
  | { kind: "waiting-approval"; name: string; state: string; approveCommand: string | null }
  | { kind: "deleting-record"; fqdn: string }
  | { kind: "deleting-endpoint"; name: string }
  // netpol --apply; policy reads `namespace/name`
  | {
      kind: "policy-applied";
      policyKind: string;
      policy: string;
      action: "created" | "replaced" | "unchanged";
    }
  // approve, reject, remove
  | {
      kind: "deciding";
      verb: "approve" | "reject" | "remove";
      count: number;
      concurrency: number;
      /** The writes by what they do (approve --enforce also rejects and removes). */
      writes: { approve: number; reject: number; remove: number };
    }
  /** A write was interrupted (Ctrl-C): how many of the writes had landed. */
  | {
      kind: "decide-interrupted";
      done: number;
      count: number;
      /** The writes that landed, and those planned, by kind. */
      writes: { approve: number; reject: number; remove: number };
      planned: { approve: number; reject: number; remove: number };
    }
  // any Azure request: a retry after 429/503/busy, a 5xx, or a dropped connection
  | ({ kind: "arm-retry" } & RetryNotice)
  /** Any Azure request's final answer, after retries (for metrics; not shown). */
  | { kind: "arm-answer"; method: string; status: number }
  // sandbox and demo
  | { kind: "sandbox-starting"; realistic: boolean }
  | { kind: "deploying-sample-app"; file: string }
  /** demo: who acts and the command line they type, before the step runs. */
  | { kind: "demo-step"; actor: string; command: string }
  | { kind: "sandbox-resetting" }
  | { kind: "sandbox-reset" }
  | { kind: "sandbox-stopped" }
  // continuous runs (--watch) and leader election (--leader-elect); lease reads `namespace/name`
  | { kind: "leader-waiting"; identity: string; lease: string; holder: string }
  | { kind: "leader-elected"; identity: string; lease: string }
  | { kind: "leader-lost"; identity: string; lease: string; reason: string }
  | { kind: "watch-pass-done"; pass: number; summary: string | undefined; nextInMs: number | undefined };

/** One retry about to happen: what Azure answered (or that the connection dropped), and the wait. */
export interface RetryNotice {
  reason: "throttled" | "busy" | "server" | "dropped";
  method: string;
  /** The resource the request was for: the last two segments of its path ("privateEndpointConnections/pe-1"). */
  resource: string;
  status: number | null;
  code: string | null;
  waitMs: number;
  /** 1 for the first retry of this request. */
  retry: number;
}
