/** resolvePls: the PLS a command works on, from a Service or from --pls <id | alias>, against the sandbox. */
import { beforeAll, describe, expect, it } from "vitest";
import { parsePlsRef } from "../../src/domain/pls-ref.js";
import { resolvePls } from "../../src/flows/support/resolve-pls.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { A, createService, PLS_CREATE } from "../sandbox/helpers/services.js";

const PROV = DEFAULT_IDS.providerSubscriptionId;
const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let made: { id: string; alias: string };

const ops = (identity: string) => t.sb.arm.counters().byIdentity[identity]?.byOperation ?? {};

beforeAll(async () => {
  await createService(t.core, "web", { ...PLS_CREATE, [`${A}azure-pls-name`]: "pls-web" });
  await t.sb.controller.idle();
  const { ctx } = flowContext(t.env);
  const r = await resolvePls(ctx, { service: "web" });
  made = { id: r.pls.id, alias: r.pls.alias ?? "" };
  expect(made.alias).toMatch(/^pls-web\./);
});

describe("resolvePls", () => {
  it("finds a Service's PLS where the controller put it", async () => {
    const { ctx } = flowContext(t.env);
    const r = await resolvePls(ctx, { service: "web" });
    expect(r).toMatchObject({ by: "service", pls: { name: "pls-web", id: made.id } });
    expect(r.service?.name).toBe("web");
  });

  it("reads a PLS by its resource id, without Kubernetes (one GET)", async () => {
    const { ctx } = flowContext({ ...t.env, KUBECONFIG: "/nonexistent/kubeconfig" });
    t.sb.arm.resetCounters();
    const r = await resolvePls(ctx, { pls: made.id });
    expect(r).toMatchObject({ by: "id", pls: { name: "pls-web", alias: made.alias } });
    expect(ops("provider")).toEqual({ PrivateLinkServices_Get: 1 });
  });

  it("uses the id's own subscription, not --subscription", async () => {
    const { ctx } = flowContext({ ...t.env, AZURE_SUBSCRIPTION_ID: PART });
    const r = await resolvePls(ctx, { pls: made.id });
    expect(r.pls.subscriptionId).toBe(PROV);
  });

  it("says which id does not exist (exit 3)", async () => {
    const { ctx } = flowContext(t.env);
    const gone = made.id.replace(/pls-web$/, "pls-gone");
    await expect(resolvePls(ctx, { pls: gone })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(
        /pls-gone does not exist in resource group MC_rg-aks_aks-demo_westeurope/i,
      ),
    });
  });

  it("refuses an id in a subscription of another tenant with exit 4, naming the tenant problem", async () => {
    const { ctx } = flowContext(sandboxEnv(t.sb, "partner"));
    await expect(resolvePls(ctx, { pls: made.id })).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/read Private Link Service pls-web.*another tenant/),
    });
  });

  it("resolves an alias, in any casing, by listing the subscription's PLSs", async () => {
    const { ctx } = flowContext(t.env);
    t.sb.arm.resetCounters();
    const r = await resolvePls(ctx, { pls: made.alias.toUpperCase() });
    expect(r).toMatchObject({ by: "alias", pls: { id: made.id } });
    expect(ops("provider")).toEqual({ PrivateLinkServices_ListBySubscription: 1 });
  });

  it("resolves an alias for an identity with resource-group rights only (CI): its readable groups, the node group first, stopping at the match", async () => {
    const { ctx } = flowContext(sandboxEnv(t.sb, "ci"));
    t.sb.arm.resetCounters();
    const r = await resolvePls(ctx, { pls: made.alias });
    expect(r).toMatchObject({ by: "alias", pls: { id: made.id } });
    // The subscription-wide list is refused (403); then the groups it can read, and one list.
    expect(ops("ci")).toEqual({
      PrivateLinkServices_ListBySubscription: 1,
      ResourceGroups_List: 1,
      PrivateLinkServices_List: 1,
    });
  });

  it("the partner's identity naming the provider's alias: exit 4, it cannot read that PLS", async () => {
    const shared = await exposeToPartner(t, "shared", "pls-shared");
    const alias = (await resolvePls(flowContext(t.env).ctx, { pls: shared })).pls.alias ?? "";
    const { ctx } = flowContext(sandboxEnv(t.sb, "partner"));
    await expect(resolvePls(ctx, { pls: alias })).rejects.toMatchObject({
      exitCode: 4,
      code: "PlsNotReadable",
      message: expect.stringMatching(/exists, but not in subscription .*: this identity cannot read it/),
      hint: expect.stringMatching(/provider's/),
    });
  });

  it("says which alias was not found in which subscription (exit 3)", async () => {
    const { ctx } = flowContext(t.env);
    const other = made.alias.replace(/^pls-web\.[0-9a-f-]+/, "pls-web.00000000-0000-4000-8000-000000000000");
    const err = await resolvePls(ctx, { pls: other }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      exitCode: 3,
      message: `No Private Link Service with alias ${other} in subscription ${PROV} (searched every one this identity can read).`,
      hint: expect.stringMatching(/--subscription .*plsctl expose.*plsctl status/),
    });
  });

  it("without --subscription, searches the subscriptions the identity has a role in", async () => {
    const { ctx } = flowContext({ ...t.env, AZURE_SUBSCRIPTION_ID: undefined });
    t.sb.arm.resetCounters();
    await expect(resolvePls(ctx, { pls: made.alias })).resolves.toMatchObject({
      by: "alias",
      pls: { id: made.id },
    });
    expect(ops("provider")).toEqual({ Subscriptions_List: 1, PrivateLinkServices_ListBySubscription: 1 });
  });

  it("refuses a malformed value before any request (exit 2)", async () => {
    const { ctx } = flowContext(t.env);
    t.sb.arm.resetCounters();
    for (const bad of [
      "pls-web",
      "",
      "pls-web.not-a-guid.westeurope.azure.privatelinkservice",
      `/subscriptions/${PROV}/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb`,
      `/subscriptions/${PROV}/resourceGroups/rg`,
    ]) {
      await expect(resolvePls(ctx, { pls: bad })).rejects.toMatchObject({
        exitCode: 2,
        hint: expect.stringMatching(/resource id .* or its alias/),
      });
    }
    expect(t.sb.arm.counters().total).toBe(0);
  });
});

const PLS_ID = `/subscriptions/${PROV}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p`;

describe("parsePlsRef", () => {
  it("tells ids from aliases", () => {
    expect(parsePlsRef(` ${PLS_ID} `)).toMatchObject({
      kind: "id",
      id: PLS_ID,
      name: "p",
      resourceGroup: "rg",
    });
    expect(
      parsePlsRef("my.pls.1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b.westeurope.azure.privatelinkservice"),
    ).toEqual({
      kind: "alias",
      alias: "my.pls.1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b.westeurope.azure.privatelinkservice",
      name: "my.pls",
      region: "westeurope",
    });
  });
});
