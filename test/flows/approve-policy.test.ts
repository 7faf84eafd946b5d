/**
 * approve --policy against the sandbox: what an entry allows is approved with its description;
 * --enforce rejects the rest and the drift (Approved connections no entry allows any more),
 * --prune removes the drift; and 100 Pending under 20 % injected 429/503 are each approved once.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Selection } from "../../src/domain/decide.js";
import { runConnections } from "../../src/flows/connections.js";
import { runApprove } from "../../src/flows/decide.js";
import { readPolicyFile, readSelection } from "../../src/flows/support/selection.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner, removePartnerEndpoints } from "../helpers/partner.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { networkAs, partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const t = useSandbox();
let plsId = "";

const sel = (s: Partial<Selection>): Selection => ({
  names: [],
  allPending: false,
  fromSubscriptions: [],
  ...s,
});
const ci = (clock?: FakeClock) => flowContext(sandboxEnv(t.sb, "ci"), clock ? { clock } : {}).ctx;
const ops = () => t.sb.arm.counters().byIdentity.ci?.byOperation ?? {};

async function connections(): Promise<Record<string, { status: string; description: string }>> {
  const out: Record<string, { status: string; description: string }> = {};
  for await (const c of networkAs(t.sb, "provider").privateLinkServices.listPrivateEndpointConnections(
    NODE_RG,
    "pls-web",
  )) {
    out[(c.name ?? "").split(".")[0] ?? ""] = {
      status: c.privateLinkServiceConnectionState?.status ?? "",
      description: c.privateLinkServiceConnectionState?.description ?? "",
    };
  }
  return out;
}

const fresh = () => removePartnerEndpoints(t);

function policyFile(text: string): string {
  const file = join(tempDir("plsctl-policy-"), "partners.yaml");
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
});

const POLICY = `partners:
  - name: fabrikam
    subscriptions: [${PART}]
    message: "^fabrikam "
    services: [default/web]
    description: "Fabrikam, contract 2026-114"
`;

describe("approve --policy", () => {
  it("approves what an entry allows, with the entry's description; leaves the rest without --enforce", async () => {
    await fresh();
    await partnerEndpoints(t.sb, plsId, 2, { prefix: "fab", message: "fabrikam prod" });
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "odd", message: "hello" });
    const policy = await readPolicyFile(policyFile(POLICY));
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ policy }) });
    expect(r.results.map((d) => [d.name.split(".")[0], d.outcome, d.rule])).toEqual([
      ["fab-1", "approved", "fabrikam"],
      ["fab-2", "approved", "fabrikam"],
    ]);
    const now = await connections();
    expect(now["fab-1"]).toEqual({
      status: "Approved",
      description: `Fabrikam, contract 2026-114 [plsctl rule=fabrikam rev=${policy.revision}]`,
    });
    expect(now["odd-1"]?.status).toBe("Pending");
  });

  it("--enforce rejects what no entry allows, and the drift; --prune removes the drift instead", async () => {
    await fresh();
    await partnerEndpoints(t.sb, plsId, 2, { prefix: "fab", message: "fabrikam prod" });
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "odd", message: "hello" });
    const first = await readPolicyFile(policyFile(POLICY));
    await runApprove(ci(), { pls: plsId, selection: sel({ policy: first }) });
    // The contract ends: fabrikam's entry now names another service, so its Approved connections drifted.
    const narrowed = await readPolicyFile(policyFile(POLICY.replace("default/web", "default/other")));
    t.sb.arm.resetCounters();
    const dry = await runApprove(ci(), {
      pls: plsId,
      selection: sel({ policy: narrowed, enforce: true }),
      dryRun: true,
    });
    expect(dry.results.map((d) => [d.name.split(".")[0], d.from, d.action])).toEqual([
      ["fab-1", "Approved", "reject"],
      ["fab-2", "Approved", "reject"],
      ["odd-1", "Pending", "reject"],
    ]);
    expect(dry.results[0]?.reason).toMatch(/drift/);
    expect(ops().PrivateLinkServices_UpdatePrivateEndpointConnection).toBeUndefined();
    const pruned = await runApprove(ci(), {
      pls: plsId,
      selection: sel({ policy: narrowed, enforce: true, prune: true }),
    });
    expect(pruned.summary).toMatchObject({ removed: 2, rejected: 1, failed: 0 });
    const now = await connections();
    expect(Object.keys(now)).toEqual(["odd-1"]);
    expect(now["odd-1"]?.status).toBe("Rejected");
  });
});

describe("audit: the rule and the policy revision in every description", () => {
  it("connections parses them back; --enforce under a new revision keeps what the entry approved, rejects what was approved by hand", async () => {
    await fresh();
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "fab", message: "fabrikam prod" });
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "hand", message: "fabrikam by hand" });
    const v1 = await readSelection({
      names: [],
      allPending: false,
      fromSubscriptions: [],
      policy: policyFile(POLICY),
      policyRevision: "0a1b2c3d4e5f60718293",
    });
    await runApprove(ci(), { pls: plsId, selection: { ...v1, names: ["fab-1"] } });
    await runApprove(ci(), { pls: plsId, selection: sel({ names: ["hand-1"] }), description: "ticket 7" });
    const listed = await runConnections(ci(), { pls: plsId });
    const by = (n: string) => listed.connections.find((c) => c.name.startsWith(n));
    expect([by("fab-1")?.rule, by("fab-1")?.revision]).toEqual(["fabrikam", "0a1b2c3d4e5f"]);
    expect(by("hand-1")?.description).toBe("ticket 7 [plsctl rule=cli]");
    expect([by("hand-1")?.rule, by("hand-1")?.revision]).toEqual(["cli", null]);
    // A new revision of the policy (same entries): fab-1 was approved by the entry, hand-1 was not.
    const v2 = await readPolicyFile(policyFile(`${POLICY}# reviewed 2027\n`));
    const r = await runApprove(ci(), { pls: plsId, selection: sel({ policy: v2, enforce: true }) });
    expect(r.results.map((d) => [d.name.split(".")[0], d.action])).toEqual([
      ["fab-1", "none"],
      ["hand-1", "reject"],
    ]);
    expect(r.results[1]?.description).toBe(`Rejected by plsctl [plsctl rule=enforce rev=${v2.revision}]`);
    expect((await connections())["fab-1"]?.status).toBe("Approved");
  });

  it("the sandbox refuses a description over 128 characters as Azure's 400", async () => {
    await fresh();
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "long", message: "x" });
    const [c] = (await runConnections(ci(), { pls: plsId })).connections;
    await expect(
      networkAs(t.sb, "provider").privateLinkServices.updatePrivateEndpointConnection(
        NODE_RG,
        "pls-web",
        c?.name ?? "",
        {
          privateLinkServiceConnectionState: { status: "Approved", description: "d".repeat(129) },
        },
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: "InvalidPrivateLinkServiceConnectionStateDescription" });
  });
});

describe("throttling", () => {
  it("100 Pending under 20 % injected 429/503: each selected connection approved exactly once, none other touched", async () => {
    await fresh();
    await partnerEndpoints(t.sb, plsId, 100, { prefix: "many", message: "fabrikam prod", concurrency: 16 });
    await partnerEndpoints(t.sb, plsId, 5, { prefix: "keep", message: "other" });
    t.sb.arm.resetCounters();
    t.sb.arm.setFaults([
      {
        status: 429,
        code: "SubscriptionRequestsThrottled",
        retryAfter: 1,
        probability: 0.1,
        match: { method: "PUT", path: "**/privateEndpointConnections/*" },
      },
      {
        status: 503,
        retryAfter: 2,
        probability: 0.1,
        match: { method: "PUT", path: "**/privateEndpointConnections/*" },
      },
    ]);
    const clock = new FakeClock(Date.now());
    const r = await runClock(
      clock,
      runApprove(ci(clock), { pls: plsId, selection: sel({ allPending: true, messageMatch: /^fabrikam / }) }),
    ).finally(() => t.sb.arm.setFaults([]));
    expect(r.summary).toMatchObject({ approved: 100, failed: 0 });
    const now = await connections();
    const approved = Object.entries(now)
      .filter(([, c]) => c.status === "Approved")
      .map(([n]) => n);
    expect(approved).toHaveLength(100);
    expect(approved.every((n) => n.startsWith("many-"))).toBe(true);
    expect(
      Object.entries(now)
        .filter(([n]) => n.startsWith("keep-"))
        .every(([, c]) => c.status === "Pending"),
    ).toBe(true);
    const counted = ops();
    // Every PUT beyond the 100 was answered by a fault (a retry): each connection was written once.
    expect(counted.PrivateLinkServices_UpdatePrivateEndpointConnection).toBeGreaterThan(100);
    expect(clock.sleeps.length).toBe(
      (counted.PrivateLinkServices_UpdatePrivateEndpointConnection ?? 0) - 100,
    );
  }, 120_000);
});
