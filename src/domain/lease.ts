/**
 * A coordination.k8s.io/v1 Lease as leader election reads and writes it (the fields client-go's
 * resourcelock.LeaderElectionRecord keeps), in plsctl's own terms: times in epoch milliseconds.
 */

export interface LeaseSpec {
  /** Who holds the lease; "" when it is free (released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number | undefined;
  renewTime: number | undefined;
  leaseTransitions: number;
}

export interface LeaseRecord extends LeaseSpec {
  namespace: string;
  name: string;
  /** The version a guarded update must name; another writer in between makes it a conflict. */
  resourceVersion: string;
}

/** A guarded write either lands or loses a race (409: someone else created or changed it first). */
export type LeaseWrite = { ok: true; lease: LeaseRecord } | { ok: false; conflict: true };

/** The fields a change of holder or a renewal alters: what "the record changed" means. */
export const leaseKey = (l: LeaseSpec): string =>
  JSON.stringify([l.holderIdentity, l.leaseDurationSeconds, l.acquireTime, l.renewTime, l.leaseTransitions]);
