/**
 * coordination.k8s.io/v1 Leases through client-node's CoordinationV1Api, as plsctl's LeaseRecord.
 * Writes are guarded: create answers 409 AlreadyExists when another replica created the lease
 * first, update answers 409 Conflict when the resourceVersion is stale; both come back as
 * `{ ok: false, conflict: true }`, every other failure as a PlsctlError.
 */
import { CoordinationV1Api, type V1Lease, V1MicroTime } from "@kubernetes/client-node";
import type { LeaseRecord, LeaseSpec, LeaseWrite } from "../domain/lease.js";
import { hasStatus, kubeError } from "./errors.js";
import { apiOf, type Kube } from "./handle.js";

const clients = new WeakMap<Kube, CoordinationV1Api>();

function coordination(kube: Kube): CoordinationV1Api {
  let api = clients.get(kube);
  if (!api) {
    api = apiOf(kube).target.config.makeApiClient(CoordinationV1Api);
    clients.set(kube, api);
  }
  return api;
}

/** client-node returns MicroTimes as the wire's strings, whatever its types say. */
const ms = (t: unknown): number | undefined => {
  if (t === undefined || t === null) return undefined;
  const n = new Date(t as string | Date).getTime();
  return Number.isNaN(n) ? undefined : n;
};

function record(l: V1Lease): LeaseRecord {
  const s = l.spec ?? {};
  return {
    namespace: l.metadata?.namespace ?? "",
    name: l.metadata?.name ?? "",
    resourceVersion: l.metadata?.resourceVersion ?? "",
    holderIdentity: s.holderIdentity ?? "",
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: ms(s.acquireTime),
    renewTime: ms(s.renewTime),
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

function body(namespace: string, name: string, spec: LeaseSpec, resourceVersion?: string): V1Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      holderIdentity: spec.holderIdentity,
      leaseDurationSeconds: spec.leaseDurationSeconds,
      leaseTransitions: spec.leaseTransitions,
      // MicroTime: six fractional digits on the wire, as the apiserver requires.
      ...(spec.acquireTime !== undefined ? { acquireTime: new V1MicroTime(spec.acquireTime) } : {}),
      ...(spec.renewTime !== undefined ? { renewTime: new V1MicroTime(spec.renewTime) } : {}),
    },
  };
}

export async function getLease(
  kube: Kube,
  namespace: string,
  name: string,
): Promise<LeaseRecord | undefined> {
  try {
    return record(await coordination(kube).readNamespacedLease({ name, namespace }));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw kubeError(err, `read Lease ${namespace}/${name}`, kube.server);
  }
}

export async function createLease(
  kube: Kube,
  namespace: string,
  name: string,
  spec: LeaseSpec,
): Promise<LeaseWrite> {
  try {
    const created = await coordination(kube).createNamespacedLease({
      namespace,
      body: body(namespace, name, spec),
    });
    return { ok: true, lease: record(created) };
  } catch (err) {
    if (hasStatus(err, 409)) return { ok: false, conflict: true };
    throw kubeError(err, `create Lease ${namespace}/${name}`, kube.server);
  }
}

/** Replaces the lease's spec, only if it is still at `lease.resourceVersion`. */
export async function updateLease(kube: Kube, lease: LeaseRecord, spec: LeaseSpec): Promise<LeaseWrite> {
  const { namespace, name } = lease;
  try {
    const updated = await coordination(kube).replaceNamespacedLease({
      name,
      namespace,
      body: body(namespace, name, spec, lease.resourceVersion),
    });
    return { ok: true, lease: record(updated) };
  } catch (err) {
    if (hasStatus(err, 409)) return { ok: false, conflict: true };
    throw kubeError(err, `update Lease ${namespace}/${name}`, kube.server);
  }
}
