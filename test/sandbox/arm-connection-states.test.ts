/**
 * What a private link service's owner may do to a connection, through the real SDK: approve or
 * reject (PUT), remove (DELETE). Pending, Disconnected and Removed cannot be PUT; a rejected
 * connection cannot be approved; a removed one is gone (404). Strict mode makes re-approving an
 * Approved connection fail, to prove a CI never re-PUTs one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { failure, NODE_RG, PE_SUBNET_ID, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";

let arm: TestArm | undefined;
afterEach(async () => {
  await arm?.close();
  arm = undefined;
});

const plsName = "pls-a594a43c3f83348998714866bd330823";

async function start(settings: { strictReapprove?: boolean } = {}): Promise<{ t: TestArm; name: string }> {
  const t = await startTestArm({ settings });
  arm = t;
  const pls = await seedPls(t);
  await t.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", {
    location: "westeurope",
    subnet: { id: PE_SUBNET_ID },
    manualPrivateLinkServiceConnections: [{ name: "c1", privateLinkServiceId: pls.alias }],
  });
  const names: string[] = [];
  for await (const c of t.net("ci").privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName))
    names.push(c.name ?? "");
  return { t, name: names[0] ?? "" };
}

const put = (t: TestArm, name: string, status: string) =>
  t.net("ci").privateLinkServices.updatePrivateEndpointConnection(NODE_RG, plsName, name, {
    privateLinkServiceConnectionState: { status, description: `${status} by CI`, actionsRequired: "None" },
  });

const state = async (t: TestArm, name: string) =>
  (await t.net("ci").privateLinkServices.getPrivateEndpointConnection(NODE_RG, plsName, name))
    .privateLinkServiceConnectionState?.status;

describe("the provider's transitions", () => {
  it.each(["Pending", "Disconnected", "Removed"])(
    "refuses a PUT to %s (400 InvalidPrivateEndpointConnectionStatus), from Pending and from Approved",
    async (status) => {
      const { t, name } = await start();
      const fromPending = await failure(put(t, name, status));
      expect(fromPending.statusCode).toBe(400);
      expect(fromPending.code).toBe("InvalidPrivateEndpointConnectionStatus");
      expect(fromPending.message).toContain(
        `cannot be set to status '${status}' by the private link service`,
      );
      expect(await state(t, name)).toBe("Pending");
      await put(t, name, "Approved");
      expect((await failure(put(t, name, status))).code).toBe("InvalidPrivateEndpointConnectionStatus");
      expect(await state(t, name)).toBe("Approved");
    },
  );

  it("approves, rejects (also twice), and refuses Rejected -> Approved", async () => {
    const { t, name } = await start();
    expect((await put(t, name, "Approved")).privateLinkServiceConnectionState?.status).toBe("Approved");
    expect((await put(t, name, "Approved")).privateLinkServiceConnectionState?.status).toBe("Approved");
    expect((await put(t, name, "Rejected")).privateLinkServiceConnectionState?.status).toBe("Rejected");
    expect((await put(t, name, "Rejected")).privateLinkServiceConnectionState?.status).toBe("Rejected");
    const err = await failure(put(t, name, "Approved"));
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe("Approving rejected private endpoint connections is not supported.");
  });

  it("a removed connection cannot be approved (404); a name that never existed stays 'cannot be created'", async () => {
    const { t, name } = await start();
    await t.net("ci").privateLinkServices.deletePrivateEndpointConnection(NODE_RG, plsName, name);
    const gone = await failure(put(t, name, "Approved"));
    expect(gone.statusCode).toBe(404);
    expect(gone.code).toBe("NotFound");
    const pe = await t.net("partner").privateEndpoints.get("rg-partner", "pe1");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );
    const never = await failure(put(t, "pe9.00000000-0000-0000-0000-000000000000", "Approved"));
    expect(never.statusCode).toBe(400);
    expect(never.code).toBe("PrivateEndpointConnectionCannotBeCreatedByServiceProvider");
  });
});

describe("strict re-approval", () => {
  it("re-approving an Approved connection fails in strict mode and changes nothing", async () => {
    const { t, name } = await start({ strictReapprove: true });
    await put(t, name, "Approved");
    t.emu.resetCounters();
    const err = await failure(put(t, name, "Approved"));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("InvalidValuesForRequestParameters");
    expect(err.message).toContain("already Approved");
    expect(t.emu.counters().byOperation.PrivateLinkServices_UpdatePrivateEndpointConnection).toBe(1);
    expect(await state(t, name)).toBe("Approved");
    // Deciding otherwise is still allowed.
    expect((await put(t, name, "Rejected")).privateLinkServiceConnectionState?.status).toBe("Rejected");
  });

  it("is off by default: re-approving answers 200 as Azure does; the admin endpoint turns it on", async () => {
    const { t, name } = await start();
    await put(t, name, "Approved");
    expect((await put(t, name, "Approved")).privateLinkServiceConnectionState?.status).toBe("Approved");
    const r = await t.raw("PUT", "/_sandbox/settings", {
      token: t.emu.adminToken,
      body: { strictReapprove: true },
    });
    expect(r.body).toMatchObject({ strictReapprove: true });
    expect((await failure(put(t, name, "Approved"))).code).toBe("InvalidValuesForRequestParameters");
  });
});
