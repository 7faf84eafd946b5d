/**
 * Leader election through a coordination.k8s.io/v1 Lease, as client-go's leaderelection package
 * does it (k8s.io/client-go/tools/leaderelection/leaderelection.go, tryAcquireOrRenew): a replica
 * takes the lease when it is free or when its record has not changed for leaseDurationSeconds as
 * this replica observed it (so clocks need not agree), renews it every retry period, and stops
 * acting as leader when no renewal landed for the renew deadline (< lease duration, so it has
 * stopped before anyone can take over). Released on exit (holderIdentity "") so a successor takes
 * over at once. All waits run on ctx.clock.
 */
import { randomBytes } from "node:crypto";
import type { Context } from "../../context.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import { type LeaseRecord, type LeaseSpec, type LeaseWrite, leaseKey } from "../../domain/lease.js";

/** The lease operations the elector needs; by default the Kubernetes adapters of src/kube/lease.ts. */
export interface LeaseClient {
  get(namespace: string, name: string): Promise<LeaseRecord | undefined>;
  create(namespace: string, name: string, spec: LeaseSpec): Promise<LeaseWrite>;
  update(lease: LeaseRecord, spec: LeaseSpec): Promise<LeaseWrite>;
}

export interface LeaderOptions {
  name: string;
  /** Default: the kubeconfig's namespace (in a pod: the pod's own). */
  namespace?: string;
  /** Default: `$HOSTNAME` (the pod name) plus a random suffix. */
  identity?: string;
  /** client-go's defaults: 15 s, 10 s, 2 s. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Give the lease up on exit (default true); false leaves it to expire, as a crashed replica does. */
  releaseOnCancel?: boolean;
  /** Instead of the Kubernetes adapters (instrumentation in tests). */
  leases?: LeaseClient;
}

export const LEADER_DEFAULTS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

export function defaultIdentity(hostname: string | undefined): string {
  return `${hostname || "plsctl"}_${randomBytes(4).toString("hex")}`;
}

export interface Elector {
  readonly identity: string;
  /** `namespace/name` of the lease. */
  readonly lease: string;
  readonly retryPeriodMs: number;
  readonly renewDeadlineMs: number;
  /** One attempt: true when this replica holds the lease afterwards (renewTime written now). */
  tryAcquireOrRenew(): Promise<boolean>;
  /** The holder seen at the last attempt ("" when free). */
  observedHolder(): string;
  /** When the last successful attempt started (its renewTime), on ctx.clock. */
  renewedAt(): number;
  /** Gives the lease up if this replica holds it (holderIdentity ""); never throws. */
  release(): Promise<void>;
}

async function kubeLeases(ctx: Context): Promise<{ client: LeaseClient; namespace: string }> {
  const [{ getLease, createLease, updateLease }, kube] = await Promise.all([
    import("../../kube/lease.js"),
    ctx.kube(),
  ]);
  return {
    namespace: kube.namespace,
    client: {
      get: (ns, name) => getLease(kube, ns, name),
      create: (ns, name, spec) => createLease(kube, ns, name, spec),
      update: (lease, spec) => updateLease(kube, lease, spec),
    },
  };
}

export async function createElector(ctx: Context, o: LeaderOptions): Promise<Elector> {
  const leaseDurationMs = o.leaseDurationMs ?? LEADER_DEFAULTS.leaseDurationMs;
  const renewDeadlineMs = o.renewDeadlineMs ?? LEADER_DEFAULTS.renewDeadlineMs;
  const retryPeriodMs = o.retryPeriodMs ?? LEADER_DEFAULTS.retryPeriodMs;
  if (!(leaseDurationMs > renewDeadlineMs && renewDeadlineMs > retryPeriodMs && retryPeriodMs > 0)) {
    throw new PlsctlError(
      `Leader election needs lease duration > renew deadline > retry period > 0 (got ${leaseDurationMs}, ${renewDeadlineMs}, ${retryPeriodMs} ms).`,
      { exitCode: ExitCode.Usage, code: "InvalidInput" },
    );
  }
  const fromKube = o.leases && o.namespace ? undefined : await kubeLeases(ctx);
  const leases = o.leases ?? (fromKube as { client: LeaseClient }).client;
  const namespace = o.namespace ?? fromKube?.namespace ?? "default";
  const identity = o.identity ?? defaultIdentity(ctx.env.hostname);
  const { clock } = ctx;
  const durationSeconds = Math.ceil(leaseDurationMs / 1000);

  let observed: LeaseRecord | undefined;
  let observedAt = 0;
  let holding = false;
  let renewedAt = Number.NEGATIVE_INFINITY;

  const observe = (l: LeaseRecord, at: number) => {
    if (!observed || leaseKey(observed) !== leaseKey(l)) observedAt = at;
    observed = l;
  };

  const settle = (w: LeaseWrite, at: number): boolean => {
    // A lost race leaves `holding` as it was: the release on exit re-reads the lease anyway.
    if (w.ok) {
      holding = true;
      observed = w.lease;
      observedAt = at;
      renewedAt = at;
    }
    return w.ok;
  };

  return {
    identity,
    lease: `${namespace}/${o.name}`,
    retryPeriodMs,
    renewDeadlineMs,
    observedHolder: () => observed?.holderIdentity ?? "",
    renewedAt: () => renewedAt,
    async tryAcquireOrRenew() {
      const now = clock.now();
      const fresh: LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      };
      const current = await leases.get(namespace, o.name);
      if (!current) return settle(await leases.create(namespace, o.name, fresh), now);
      observe(current, now);
      const mine = current.holderIdentity === identity;
      const valid = observedAt + current.leaseDurationSeconds * 1000 > now;
      if (current.holderIdentity !== "" && !mine && valid) {
        holding = false;
        return false;
      }
      const spec: LeaseSpec = mine
        ? { ...fresh, acquireTime: current.acquireTime ?? now, leaseTransitions: current.leaseTransitions }
        : { ...fresh, leaseTransitions: current.leaseTransitions + 1 };
      return settle(await leases.update(current, spec), now);
    },
    async release() {
      if (!holding) return;
      holding = false;
      const now = clock.now();
      try {
        const current = await leases.get(namespace, o.name);
        if (current?.holderIdentity !== identity) return;
        // As client-go's release: holder "", a one-second duration, the transitions kept.
        await leases.update(current, {
          holderIdentity: "",
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: current.leaseTransitions,
        });
      } catch (err) {
        ctx.report.debug(`Could not release Lease ${namespace}/${o.name}: ${(err as Error).message}`);
      }
    },
  };
}
