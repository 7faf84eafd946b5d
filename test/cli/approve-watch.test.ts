/** `approve --watch` through the CLI on an injected clock: passes, JSON lines, the Lease, flag rules. */
import { beforeAll, describe, expect, it } from "vitest";
import { getLease } from "../../src/kube/lease.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const _PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();

beforeAll(async () => {
  const plsId = await exposeToPartner(t, "watched", "pls-watched");
  await partnerEndpoints(t.sb, plsId, 2, { prefix: "pe-watch", message: "fabrikam" });
});

describe("plsctl approve --watch", () => {
  it("runs a pass every --interval until --for; -o json is one document per pass; nothing is written twice", async () => {
    t.sb.arm.resetCounters();
    const clock = new FakeClock(Date.now());
    const argv = ["approve", "watched", "--all-pending", "--watch", "--interval", "30s", "--for", "95s"];
    const r = await runClock(clock, runCli([...argv, "-o", "json"], { env: t.env, clock }));
    expect(r.code, r.stderr).toBe(0);
    const passes = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // 30 s ± 10 % between passes within 95 s: the pass at 0 and two or three more.
    expect(passes.length).toBeGreaterThanOrEqual(3);
    expect(passes.length).toBeLessThanOrEqual(4);
    expect(passes[0].summary.approved).toBe(2);
    // Later passes find nothing Pending any more: nothing to approve, nothing written.
    for (const later of passes.slice(1)) expect(later.summary.approved).toBe(0);
    expect(armWrites(t.sb, "provider")).toBe(2);
    expect(r.stderr).toMatch(/Pass 1 done: 2 approved/);
  });

  it("--leader-elect holds a Lease while it acts and gives it up on the way out", async () => {
    const clock = new FakeClock(Date.now());
    const r = await runClock(
      clock,
      runCli(
        [
          "approve",
          "watched",
          "--all-pending",
          "--watch",
          "--for",
          "40s",
          "--leader-elect",
          "--lease-name",
          "approver",
        ],
        { env: { ...t.env, HOSTNAME: "approver-0" }, clock },
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/approver-0/);
    const kube = await flowContext(t.env).ctx.kube();
    const lease = await getLease(kube, "default", "approver");
    expect(lease?.holderIdentity ?? "").toBe("");
    expect(lease?.leaseTransitions ?? 0).toBeGreaterThanOrEqual(0);
  });

  it.each([[["--interval", "10s"]], [["--for", "1m"]], [["--leader-elect"]]])(
    "%j without --watch: exit 2 before anything is sent",
    async (flags) => {
      t.sb.arm.resetCounters();
      const r = await runCli(["approve", "watched", "--all-pending", ...flags], { env: t.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/go with --watch/);
      expect(t.sb.arm.counters().total).toBe(0);
    },
  );
});
