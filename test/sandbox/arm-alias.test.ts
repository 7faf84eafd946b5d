/**
 * Aliases as Azure treats them: refused in an automatic connection, and unknown for a while after
 * a PLS is created (Azure/azure-rest-api-specs#20289), on the emulator's clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { failure, PART_SUB, PE_SUBNET_ID, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";
import { FakeClock } from "./helpers/clock.js";
import { sameTenantWorld } from "./helpers/worlds.js";

let arm: TestArm | undefined;
afterEach(async () => {
  await arm?.close();
  arm = undefined;
});

const endpoint = (ref: string, manual: boolean) => ({
  location: "westeurope",
  subnet: { id: PE_SUBNET_ID },
  [manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections"]: [
    { name: "c", privateLinkServiceId: ref, requestMessage: "Fabrikam" },
  ],
});

const visible = async (a: TestArm, alias: string) =>
  (
    await a
      .net("partner")
      .privateLinkServices.checkPrivateLinkServiceVisibility("westeurope", { privateLinkServiceAlias: alias })
  ).visible;

describe("an alias in an automatic connection", () => {
  it("is refused with 400 and nothing is created, even where the caller could auto-approve", async () => {
    // Partner and provider in one tenant: the only place where an automatic connection by id works.
    arm = await startTestArm({ world: sameTenantWorld() });
    const pls = await seedPls(arm, { autoApproval: [PART_SUB] });
    const net = arm.net("partner");
    const err = await failure(
      net.privateEndpoints.createOrUpdate("rg-partner", "pe1", endpoint(pls.alias, false)),
    );
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("PrivateEndpointCreationWithAliasRequiresManualApproval");
    expect(err.message).toContain("manual");
    expect((await failure(net.privateEndpoints.get("rg-partner", "pe1"))).statusCode).toBe(404);
    const conns = await arm
      .net("provider")
      .privateLinkServices.get("MC_rg-aks_aks-demo_westeurope", pls.id.split("/").pop() ?? "");
    expect(conns.privateEndpointConnections).toEqual([]);
    // The same alias in a manual connection works; the id in an automatic one too.
    await net.privateEndpoints.createOrUpdate("rg-partner", "pe1", endpoint(pls.alias, true));
    const auto = await net.privateEndpoints.createOrUpdate("rg-partner", "pe2", endpoint(pls.id, false));
    expect(auto.privateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Approved",
    );
  });
});

describe("alias propagation (aliasPropagationMs)", () => {
  it("a new PLS's alias is unknown for that long, then known; its id works meanwhile", async () => {
    const clock = new FakeClock();
    arm = await startTestArm({ clock, settings: { aliasPropagationMs: 60_000 } });
    const pls = await seedPls(arm);
    const net = arm.net("partner");
    expect(await visible(arm, pls.alias)).toBe(false);
    const err = await failure(
      net.privateEndpoints.createOrUpdate("rg-partner", "pe1", endpoint(pls.alias, true)),
    );
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe(
      "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible",
    );
    const byId = await net.privateEndpoints.createOrUpdate("rg-partner", "pe-id", endpoint(pls.id, true));
    expect(byId.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Pending",
    );

    clock.advance(59_999);
    expect(await visible(arm, pls.alias)).toBe(false);
    clock.advance(1);
    expect(await visible(arm, pls.alias)).toBe(true);
    const pe = await net.privateEndpoints.createOrUpdate("rg-partner", "pe1", endpoint(pls.alias, true));
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Pending",
    );
  });

  it("is 0 by default; the admin endpoint sets it (time counts from each PLS's creation)", async () => {
    const clock = new FakeClock();
    arm = await startTestArm({ clock });
    expect(arm.emu.settings().aliasPropagationMs).toBe(0);
    const old = await seedPls(arm, { name: "pls-old" });
    expect(await visible(arm, old.alias)).toBe(true);
    const put = await arm.raw("PUT", "/_sandbox/settings", {
      token: arm.emu.adminToken,
      body: { aliasPropagationMs: 5_000 },
    });
    expect(put.status).toBe(200);
    const fresh = await seedPls(arm, { name: "pls-new", frontend: "b594a43c3f83348998714866bd330824" });
    expect(await visible(arm, fresh.alias)).toBe(false);
    clock.advance(5_000);
    expect(await visible(arm, fresh.alias)).toBe(true);
    const bad = await arm.raw("PUT", "/_sandbox/settings", {
      token: arm.emu.adminToken,
      body: { aliasPropagationMs: -1 },
    });
    expect(bad.status).toBe(400);
  });
});
