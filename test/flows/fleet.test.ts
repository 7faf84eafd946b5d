/**
 * Fleet discovery with Azure Resource Graph (`--all --subscriptions`): the CI identity, whose roles
 * are scoped to the node resource group, cannot list PLSs at subscription scope, but finds them and
 * their connections with one query (RBAC-filtered); pages follow `$skipToken`; a spent quota is
 * waited out (said on stderr); a refused query falls back to listing, said on stderr.
 */
import { describe, expect, it } from "vitest";
import { fleetQuery } from "../../src/domain/fleet-query.js";
import { runConnections } from "../../src/flows/connections.js";
import { runApprove } from "../../src/flows/decide.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { graphAs, partnerEndpoints } from "../helpers/sandbox-sdk.js";

const SUB = DEFAULT_IDS.providerSubscriptionId;
const t = useSandbox();
const ci = () => flowContext(sandboxEnv(t.sb, "ci"));
const ops = () => t.sb.arm.counters().byIdentity.ci?.byOperation ?? {};
let ids: string[] = [];

describe("--all --subscriptions: Azure Resource Graph", () => {
  it("the CI identity: --all (listing) is refused; --subscriptions finds every PLS and its Pending connections in one query", async () => {
    ids = [await exposeToPartner(t, "web", "pls-web"), await exposeToPartner(t, "api", "pls-api")];
    for (const id of ids) await partnerEndpoints(t.sb, id, 2, { prefix: id.endsWith("web") ? "w" : "a" });
    const listed = await runCli(["connections", "--all"], { env: sandboxEnv(t.sb, "ci") });
    expect(listed.code).toBe(4);
    expect(listed.stderr).toMatch(/AuthorizationFailed|not authori[sz]ed/i);
    expect(listed.stderr).toContain(`add --subscriptions ${SUB}`);
    t.sb.arm.resetCounters();
    const f = ci();
    const r = await runConnections(f.ctx, { all: true, subscriptions: SUB });
    expect(r.pls.map((p) => p.name).sort()).toEqual(["pls-api", "pls-web"]);
    expect(r.connections.filter((c) => c.status === "Pending")).toHaveLength(4);
    expect(ops()).toEqual({ Resources: 1 });
    expect(f.stderr()).toBe("");
  });

  it("--subscriptions all: every subscription the identity has a role in, then one query", async () => {
    t.sb.arm.resetCounters();
    const r = await runConnections(ci().ctx, { all: true, subscriptions: "all" });
    expect(r.pls.map((p) => p.name).sort()).toEqual(["pls-api", "pls-web"]);
    expect(Object.keys(ops()).sort()).toEqual(["Resources", "Subscriptions_List"]);
    expect(ops().Resources).toBe(1);
  });

  it("approve --all --subscriptions --all-pending: one query, then one PUT per connection", async () => {
    t.sb.arm.resetCounters();
    const r = await runApprove(ci().ctx, {
      all: true,
      subscriptions: SUB,
      clusterName: "kubernetes",
      selection: { names: [], allPending: true, fromSubscriptions: [] },
    });
    expect(r.summary).toMatchObject({ approved: 4, failed: 0 });
    expect(ops()).toEqual({ Resources: 1, PrivateLinkServices_UpdatePrivateEndpointConnection: 4 });
  });

  it("pages follow $skipToken; a spent quota is waited out, said on stderr", async () => {
    t.sb.arm.setSettings({ pageSize: 1, graphQuota: { queries: 1, windowSeconds: 1 } });
    try {
      t.sb.arm.resetCounters();
      const f = ci();
      const r = await runConnections(f.ctx, { all: true, subscriptions: SUB });
      expect(r.pls).toHaveLength(2);
      expect(ops()).toEqual({ Resources: 2 });
      expect(f.stderr()).toMatch(/Resource Graph quota used up \(x-ms-user-quota-remaining: 0\); waiting 1s/);
    } finally {
      t.sb.arm.setSettings({ pageSize: 1000, graphQuota: { queries: 15, windowSeconds: 5 } });
    }
  });

  it("refused (403): said on stderr, then listed per readable resource group — the same PLSs", async () => {
    t.sb.arm.setFaults([
      {
        status: 403,
        code: "Forbidden",
        message: "Resource Graph is disabled by policy",
        match: { path: "/providers/Microsoft.ResourceGraph/resources" },
      },
    ]);
    try {
      const f = ci();
      const r = await runConnections(f.ctx, { all: true, subscriptions: SUB });
      expect(r.pls.map((p) => p.name).sort()).toEqual(["pls-api", "pls-web"]);
      expect(f.stderr()).toMatch(/Azure Resource Graph refused the query \(403 Forbidden.*\); listing/);
      expect(f.stderr()).toMatch(/listing each resource group this identity can read instead/);
    } finally {
      t.sb.arm.setFaults([]);
    }
  });

  it("bad input: --subscriptions without --all, or not GUIDs: exit 2, nothing sent", async () => {
    t.sb.arm.resetCounters();
    const env = sandboxEnv(t.sb, "ci");
    const a = await runCli(["connections", "--pls", ids[0] ?? "", "--subscriptions", SUB], { env });
    expect([a.code, a.stderr]).toEqual([2, expect.stringMatching(/--subscriptions goes with --all/)]);
    const b = await runCli(["approve", "--all", "--subscriptions", "prod,dev", "--all-pending"], { env });
    expect([b.code, b.stderr]).toEqual([2, expect.stringMatching(/prod, dev is not a subscription id/)]);
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("the sandbox refuses any other query with Resource Graph's error shape, and filters by RBAC", async () => {
    const graph = graphAs(t.sb, "ci");
    await expect(
      graph.resources({ subscriptions: [SUB], query: "resources | project id" }),
    ).rejects.toMatchObject({ statusCode: 400, code: "BadRequest" });
    const asPartner = graphAs(t.sb, "partner");
    const r = await asPartner.resources({ subscriptions: [SUB], query: fleetQuery() });
    expect(r.count).toBe(0);
  });
});

describe("Resource Graph's 429", () => {
  it("is retried once, after x-ms-user-quota-resets-after (not the 1, 2, 4 s backoff), said on stderr", async () => {
    t.sb.arm.setSettings({ graphQuota: { queries: 1, windowSeconds: 3 } });
    try {
      await graphAs(t.sb, "ci").resources({ subscriptions: [SUB], query: fleetQuery() });
      t.sb.arm.resetCounters();
      const f = ci();
      const r = await runConnections(f.ctx, { all: true, subscriptions: SUB });
      expect(r.pls).toHaveLength(2);
      // One 429, then the answer: the retry waited for the quota's reset (a 1 s backoff would 429 again).
      expect(ops()).toEqual({ Resources: 2 });
      expect(f.stderr()).toMatch(/throttl|429/i);
    } finally {
      t.sb.arm.setSettings({ graphQuota: { queries: 15, windowSeconds: 5 } });
    }
  }, 20_000);
});
