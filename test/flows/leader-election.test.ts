/**
 * Two replicas of the watch loop with leader election against one Lease in the Kubernetes
 * emulator, over real HTTP through client-node, on a fake clock. The clock moves on only when no
 * lease request is in flight (the real adapter, counted), so a request never spans a jump of time.
 * Every pass and every leadership term is recorded per replica; no two may overlap.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Context } from "../../src/context.js";
import type { LeaseRecord } from "../../src/domain/lease.js";
import type { ProgressEvent } from "../../src/domain/progress.js";
import type { LeaseClient } from "../../src/flows/support/leader.js";
import { runWatchLoop, type WatchSummary } from "../../src/flows/support/watch-loop.js";
import { createLease, getLease, updateLease } from "../../src/kube/lease.js";
import { flowContext } from "../helpers/flow-context.js";
import { FakeClock } from "../sandbox/helpers/clock.js";
import { startTestKube, type TestKube } from "../sandbox/helpers/kube.js";

const NS = "default";
const LEASE = "plsctl-approver";
const started: TestKube[] = [];
afterEach(async () => {
  for (const k of started.splice(0)) {
    expect(k.emu.counters().unrouted).toBe(0);
    await k.stop();
  }
});

interface Span {
  id: string;
  start: number;
  end: number;
}

async function world() {
  const k = await startTestKube();
  started.push(k);
  const clock = new FakeClock(Date.parse("2025-06-01T12:00:00Z"));
  const { ctx: base } = flowContext({ KUBECONFIG: k.emu.kubeconfigPath }, { clock });
  const kube = await base.kube();
  let inFlight = 0;
  const track = async <T>(p: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await p();
    } finally {
      inFlight--;
    }
  };
  /** Successful lease writes: who wrote which renewTime. */
  const writes: Array<{ holder: string; renewTime: number | undefined }> = [];
  const noted = async (w: Promise<{ ok: boolean; lease?: LeaseRecord }>) => {
    const r = await w;
    if (r.ok && r.lease) writes.push({ holder: r.lease.holderIdentity, renewTime: r.lease.renewTime });
    return r as Awaited<ReturnType<LeaseClient["update"]>>;
  };
  const leases: LeaseClient = {
    get: (ns, name) => track(() => getLease(kube, ns, name)),
    create: (ns, name, spec) => track(() => noted(createLease(kube, ns, name, spec))),
    update: (lease, spec) => track(() => noted(updateLease(kube, lease, spec))),
  };
  const passes: Span[] = [];
  const terms: Span[] = [];
  const events: Array<{ id: string; t: number; e: ProgressEvent }> = [];

  function replica(id: string, o: { passMs: number; releaseOnCancel?: boolean }) {
    const controller = new AbortController();
    let result: WatchSummary | undefined;
    let termStart: number | undefined;
    const endTerm = () => {
      if (termStart !== undefined) terms.push({ id, start: termStart, end: clock.now() });
      termStart = undefined;
    };
    const ctx: Context = {
      ...base,
      signal: controller.signal,
      progress: (e) => {
        events.push({ id, t: clock.now(), e });
        if (e.kind === "leader-elected") termStart = clock.now();
        if (e.kind === "leader-lost") endTerm();
      },
    };
    const pass = async (c: Context) => {
      const start = clock.now();
      try {
        await c.clock.sleep(o.passMs, c.signal);
      } finally {
        passes.push({ id, start, end: clock.now() });
      }
      return id;
    };
    const done = runWatchLoop(
      ctx,
      {
        intervalMs: 5_000,
        jitter: 0,
        leader: {
          name: LEASE,
          namespace: NS,
          identity: id,
          leases,
          ...(o.releaseOnCancel === false ? { releaseOnCancel: false } : {}),
        },
      },
      pass,
    ).then((r) => {
      endTerm();
      result = r;
      return r;
    });
    return {
      id,
      done,
      stop: () => controller.abort(Object.assign(new Error("Interrupted"), { name: "AbortError" })),
      result: () => result,
      elected: () => events.filter((x) => x.id === id && x.e.kind === "leader-elected").map((x) => x.t),
    };
  }

  /** Lets every request in flight land and everything it starts settle. */
  async function quiet() {
    for (let calm = 0; calm < 3; ) {
      await new Promise((r) => setImmediate(r));
      calm = inFlight === 0 ? calm + 1 : 0;
    }
  }

  /** Moves the clock from sleep to sleep, only while nothing is in flight, until `until()` holds. */
  async function run(until: () => boolean, limitMs = 600_000) {
    const stopAt = clock.now() + limitMs;
    for (;;) {
      await quiet();
      if (until()) return;
      const due = clock.nextDue();
      if (due === undefined) throw new Error("nothing sleeps and the condition does not hold");
      if (due > stopAt) throw new Error(`still not there after ${limitMs} ms of fake time`);
      clock.advance(due - clock.now());
    }
  }

  const noOverlap = (spans: Span[]) => {
    for (const a of spans) {
      for (const b of spans) {
        if (a.id !== b.id) expect(a.end <= b.start || b.end <= a.start, JSON.stringify([a, b])).toBe(true);
      }
    }
  };

  return { k, kube, clock, replica, run, passes, terms, events, writes, noOverlap };
}

describe("leader election (two replicas, one Lease)", () => {
  it("lets one replica act at a time, renews during passes longer than the lease, hands over at once on release", async () => {
    const w = await world();
    const t0 = w.clock.now();
    // Each pass lasts 40 s: longer than the 15 s lease, so the leader must renew while it runs.
    const a = w.replica("replica-a", { passMs: 40_000 });
    await w.run(() => a.elected().length === 1);
    const b = w.replica("replica-b", { passMs: 40_000 });
    await w.run(() => w.clock.now() >= t0 + 120_000);
    expect(b.elected()).toEqual([]);
    // Passes at 0–40 s and 45–85 s are over; the third (from 90 s) still runs.
    expect(w.passes.filter((p) => p.id === "replica-a").length).toBe(2);
    expect(w.events.some((x) => x.id === "replica-b" && x.e.kind === "leader-waiting")).toBe(true);
    expect(w.events.find((x) => x.id === "replica-b")?.e).toEqual({
      kind: "leader-waiting",
      identity: "replica-b",
      lease: `${NS}/${LEASE}`,
      holder: "replica-a",
    });
    // The lease was renewed all along (every 2 s), so it never looked expired to replica-b.
    const renewals = w.writes.filter((x) => x.holder === "replica-a").map((x) => x.renewTime ?? 0);
    expect(renewals.length).toBeGreaterThan(50);

    a.stop();
    const stoppedAt = w.clock.now();
    await w.run(() => b.elected().length === 1);
    expect(a.result()).toMatchObject({ elected: 1, lost: 0, stoppedBy: "interrupted" });
    const [taken = 0] = b.elected();
    // Released: replica-b takes over at its next try, not after the lease duration.
    expect(taken - stoppedAt).toBeLessThan(2_000 * 1.2 + 1);
    const lease = await getLease(w.kube, NS, LEASE);
    expect(lease).toMatchObject({
      holderIdentity: "replica-b",
      leaseTransitions: 1,
      leaseDurationSeconds: 15,
    });

    await w.run(() => w.passes.some((p) => p.id === "replica-b"));
    b.stop();
    await b.done;
    expect((await getLease(w.kube, NS, LEASE))?.holderIdentity).toBe("");
    w.noOverlap(w.passes);
    w.noOverlap(w.terms);
    expect(w.terms.map((t) => t.id)).toEqual(["replica-a", "replica-b"]);
  });

  it("takes over from a leader that died without releasing only once the lease has expired", async () => {
    const w = await world();
    const a = w.replica("replica-a", { passMs: 1_000, releaseOnCancel: false });
    await w.run(() => a.elected().length === 1);
    const b = w.replica("replica-b", { passMs: 1_000 });
    await w.run(() => w.passes.filter((p) => p.id === "replica-a").length >= 4);
    a.stop(); // the replica dies: no release, the lease keeps its holder until it expires
    await a.done;
    const lastRenew = Math.max(
      ...w.writes.filter((x) => x.holder === "replica-a").map((x) => x.renewTime ?? 0),
    );
    expect((await getLease(w.kube, NS, LEASE))?.holderIdentity).toBe("replica-a");
    await w.run(() => b.elected().length === 1);
    const [taken = 0] = b.elected();
    expect(taken).toBeGreaterThanOrEqual(lastRenew + 15_000);
    expect(taken).toBeLessThanOrEqual(lastRenew + 15_000 + 2 * 2_400);
    expect(await getLease(w.kube, NS, LEASE)).toMatchObject({
      holderIdentity: "replica-b",
      leaseTransitions: 1,
    });
    b.stop();
    await b.done;
    w.noOverlap(w.passes);
    w.noOverlap(w.terms);
  });

  it("stops acting (aborts the running pass) when renewals fail past the renew deadline", async () => {
    const w = await world();
    const a = w.replica("replica-a", { passMs: 60_000 });
    await w.run(() => a.elected().length === 1);
    await w.run(() => w.writes.length >= 3); // a few renewals during the pass
    await w.k.emu.close(); // the API server goes away: every renewal fails from now on
    const lastRenew = Math.max(...w.writes.map((x) => x.renewTime ?? 0));
    await w.run(() => w.events.some((x) => x.e.kind === "leader-lost"));
    const lost = w.events.find((x) => x.e.kind === "leader-lost");
    expect(lost?.t).toBe(lastRenew + 10_000);
    expect(lost?.e).toMatchObject({ reason: "no renewal of the lease for 10s" });
    // The pass that was running ended when leadership did, long before its 60 s.
    expect(w.passes).toEqual([{ id: "replica-a", start: a.elected()[0], end: lastRenew + 10_000 }]);
    a.stop();
    await a.done;
    expect(a.result()).toMatchObject({ passes: 1, failures: 0, elected: 1, lost: 1 });
  });
});
