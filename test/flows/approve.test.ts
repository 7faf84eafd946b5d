/**
 * approve / reject / remove against the sandbox, through the real SDK: selection (every selector
 * and their AND), the rules per state, one list and one write per changed connection (the
 * sandbox's counters), dry runs and re-runs that write nothing, paging, the CI and partner identities.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Selection } from "../../src/domain/decide.js";
import { runApprove, runDecide } from "../../src/flows/decide.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner, removePartnerEndpoints } from "../helpers/partner.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs, partnerEndpoints } from "../helpers/sandbox-sdk.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const OTHER = "0f0e0d0c-0b0a-4909-8807-060504030201";
const t = useSandbox();
let plsId = "";
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";

const sel = (s: Partial<Selection>): Selection => ({
  names: [],
  allPending: false,
  fromSubscriptions: [],
  ...s,
});
const ops = (identity = "ci") => t.sb.arm.counters().byIdentity[identity]?.byOperation ?? {};
const ci = () => flowContext(sandboxEnv(t.sb, "ci")).ctx;

/** The connections' states by endpoint name, read as the provider. */
async function states(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const c of networkAs(t.sb, "provider").privateLinkServices.listPrivateEndpointConnections(
    NODE_RG,
    "pls-web",
  )) {
    out[(c.name ?? "").split(".")[0] ?? ""] = c.privateLinkServiceConnectionState?.status ?? "";
  }
  return out;
}

/** Deletes every partner endpoint, then asks for `n` fresh Pending connections. */
async function fresh(n: number, o: { prefix?: string; message?: string } = {}) {
  await removePartnerEndpoints(t);
  const names = await partnerEndpoints(t.sb, plsId, n, o);
  t.sb.arm.resetCounters();
  return names;
}

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
});

beforeEach(() => t.sb.arm.setSettings({ pageSize: 1000, strictReapprove: false }));

describe("approve", () => {
  it("approves the Pending connections of --all-pending: one list, one PUT each, nothing else", async () => {
    await fresh(3);
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ allPending: true }) });
    expect(r.summary).toMatchObject({ approved: 3, failed: 0 });
    expect(r.exitCode).toBe(0);
    expect(ops()).toEqual({
      PrivateLinkServices_Get: 1,
      PrivateLinkServices_ListPrivateEndpointConnections: 1,
      PrivateLinkServices_UpdatePrivateEndpointConnection: 3,
    });
    expect(await states()).toEqual({ "pe-1": "Approved", "pe-2": "Approved", "pe-3": "Approved" });
    expect(r.results[0]).toMatchObject({
      pls: "pls-web",
      requester: PART,
      from: "Pending",
      to: "Approved",
      outcome: "approved",
    });
  });

  it("a re-run writes nothing (Approved is skipped, never re-PUT — strict mode proves it)", async () => {
    await fresh(2);
    await runApprove(ci(), { pls: plsId, selection: sel({ allPending: true }) });
    t.sb.arm.setSettings({ strictReapprove: true });
    t.sb.arm.resetCounters();
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ names: ["pe-1", "pe-2"] }) });
    expect(r.summary).toMatchObject({ skipped: 2, approved: 0, failed: 0 });
    expect(r.results[0]?.reason).toMatch(/already Approved.*not idempotent/);
    expect(armWrites(t.sb, "ci")).toBe(0);
    expect(r.exitCode).toBe(0);
  });

  it("--dry-run plans and writes nothing", async () => {
    await fresh(2);
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ allPending: true }), dryRun: true });
    expect(r).toMatchObject({ dryRun: true, summary: { approved: 2 } });
    expect(r.results.map((d) => d.action)).toEqual(["approve", "approve"]);
    expect(armWrites(t.sb, "ci")).toBe(0);
    expect(await states()).toEqual({ "pe-1": "Pending", "pe-2": "Pending" });
  });

  it("refuses to approve a Rejected connection (exit 1, the fix named) and skips nothing else silently", async () => {
    await fresh(2);
    await runDecide(ci(), "reject", { pls: plsId, selection: sel({ names: ["pe-1"] }) });
    t.sb.arm.resetCounters();
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ names: ["pe-1", "pe-2"] }) });
    const byName = Object.fromEntries(r.results.map((d) => [d.name.split(".")[0], d]));
    expect(byName["pe-1"]).toMatchObject({
      outcome: "refused",
      reason: expect.stringMatching(/partner must delete their private endpoint and create a new one/),
    });
    expect(byName["pe-2"]).toMatchObject({ outcome: "approved" });
    expect(r.exitCode).toBe(1);
    expect(ops().PrivateLinkServices_UpdatePrivateEndpointConnection).toBe(1);
  });

  it("selectors combine with AND: --from-subscription and --message-match", async () => {
    await fresh(2, { prefix: "a", message: "fabrikam prod" });
    await partnerEndpoints(t.sb, plsId, 2, { prefix: "b", message: "test please" });
    t.sb.arm.resetCounters();
    const none = await runApprove(ci(), { pls: plsId, selection: sel({ fromSubscriptions: [OTHER] }) });
    expect(none.results).toEqual([]);
    const failIfNone = await runApprove(ci(), {
      pls: plsId,
      selection: sel({ fromSubscriptions: [OTHER] }),
      failIfNone: true,
    });
    expect(failIfNone.exitCode).toBe(1);
    const r = await runApprove(ci(), {
      pls: plsId,
      selection: sel({ fromSubscriptions: [PART], messageMatch: /^fabrikam / }),
    });
    expect(r.results.map((d) => d.name.split(".")[0]).sort()).toEqual(["a-1", "a-2"]);
    expect(await states()).toEqual({
      "a-1": "Approved",
      "a-2": "Approved",
      "b-1": "Pending",
      "b-2": "Pending",
    });
  });

  it("names select by connection name or endpoint name; an unknown name is exit 3 before any write", async () => {
    const [first] = await fresh(2);
    const full = Object.keys(await states()).length;
    expect(full).toBe(2);
    await expect(
      runApprove(ci(), { pls: plsId, selection: sel({ names: ["pe-1", "pe-nope"] }) }),
    ).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/pe-nope/) });
    expect(armWrites(t.sb, "ci")).toBe(0);
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ names: [first ?? ""] }) });
    expect(r.summary.approved).toBe(1);
  });

  it("no selector: exit 2, no request", async () => {
    t.sb.arm.resetCounters();
    await expect(runApprove(ci(), { pls: plsId, selection: sel({}) })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/never approves connections implicitly/),
    });
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("follows nextLink: every page of a long list is read, once", async () => {
    await fresh(5);
    t.sb.arm.setSettings({ pageSize: 2 });
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ allPending: true }) });
    expect(r.summary.approved).toBe(5);
    expect(ops()).toMatchObject({
      PrivateLinkServices_ListPrivateEndpointConnections: 3,
      PrivateLinkServices_UpdatePrivateEndpointConnection: 5,
    });
  });

  it("the partner's identity cannot approve: exit 4, one clear sentence", async () => {
    await fresh(1);
    const partner = flowContext(sandboxEnv(t.sb, "partner")).ctx;
    await expect(
      runApprove(partner, { pls: plsId, selection: sel({ allPending: true }) }),
    ).rejects.toMatchObject({ exitCode: 4 });
    expect(ops("partner").PrivateLinkServices_UpdatePrivateEndpointConnection).toBeUndefined();
  });
});

describe("reject and remove", () => {
  it("reject acts on Pending and Approved; Rejected is skipped", async () => {
    await fresh(3);
    await runApprove(ci(), { pls: plsId, selection: sel({ names: ["pe-2"] }) });
    await runDecide(ci(), "reject", { pls: plsId, selection: sel({ names: ["pe-3"] }) });
    t.sb.arm.resetCounters();
    const r = await runDecide(ci(), "reject", { pls: plsId, selection: sel({ fromSubscriptions: [PART] }) });
    expect(r.summary).toMatchObject({ rejected: 2, skipped: 1 });
    expect(await states()).toEqual({ "pe-1": "Rejected", "pe-2": "Rejected", "pe-3": "Rejected" });
    expect(ops().PrivateLinkServices_UpdatePrivateEndpointConnection).toBe(2);
  });

  it("remove deletes the connection; the partner's endpoint is Disconnected", async () => {
    await fresh(2);
    const r = await runDecide(ci(), "remove", { pls: plsId, selection: sel({ names: ["pe-1"] }) });
    expect(r.summary.removed).toBe(1);
    expect(await states()).toEqual({ "pe-2": "Pending" });
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-1");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );
  });
});
