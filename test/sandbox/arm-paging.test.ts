/**
 * Long lists come in pages, as ARM hands them out: `pageSize` items and an absolute `nextLink`
 * with a `$skipToken`, followed by the real @azure/arm-network iterators (`for await`, `byPage()`).
 * Private endpoint connections, private link services (by resource group and subscription) and
 * private endpoints (by resource group and subscription).
 */
import { afterEach, describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { NODE_RG, PE_SUBNET_ID, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";

let arm: TestArm | undefined;
afterEach(async () => {
  await arm?.close();
  arm = undefined;
});

const plsName = "pls-a594a43c3f83348998714866bd330823";

async function endpoints(t: TestArm, ref: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await t.net("partner").privateEndpoints.createOrUpdate("rg-partner", `pe-${i}`, {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: `c${i}`, privateLinkServiceId: ref }],
    });
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("nextLink paging", () => {
  it("private endpoint connections: pages of pageSize, each nextLink an absolute https URL with $skipToken", async () => {
    const t = await startTestArm({ settings: { pageSize: 2 } });
    arm = t;
    const pls = await seedPls(t);
    await endpoints(t, pls.alias, 5);
    t.emu.resetCounters();
    t.recorded.length = 0;
    const list = () => t.net("ci").privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName);
    const pages = await collect(list().byPage());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const names = (await collect(list())).map((c) => c.name);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(5);
    expect(names.map((n) => n?.split(".")[0]).sort()).toEqual(["pe-1", "pe-2", "pe-3", "pe-4", "pe-5"]);
    // 3 pages, twice; the follow-ups went to the nextLink the emulator gave.
    expect(
      t.emu.counters().byIdentity.ci?.byOperation.PrivateLinkServices_ListPrivateEndpointConnections,
    ).toBe(6);
    const urls = t.recorded.map((r) => r.url);
    expect(urls[1]).toMatch(
      new RegExp(
        `^${t.emu.url}/subscriptions/.*/privateEndpointConnections\\?api-version=[\\d-]+&\\$skipToken=`,
      ),
    );
    const first = await t.raw(
      "GET",
      `/subscriptions/${pls.id.split("/")[2]}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/${plsName}/privateEndpointConnections?api-version=2024-05-01`,
      { identity: "ci" },
    );
    const body = first.body as { value: unknown[]; nextLink?: string };
    expect(body.value).toHaveLength(2);
    expect(body.nextLink).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/.*\?api-version=2024-05-01&\$skipToken=[\w-]+$/,
    );
    const last = await t.raw(
      "GET",
      (body.nextLink ?? "").replace(t.emu.url, "").replace(/skipToken=.*/, "skipToken=garbage"),
      {
        identity: "ci",
      },
    );
    expect(last.status).toBe(400);
    expect((last.body as { error: { code: string } }).error.code).toBe("InvalidSkipToken");
  });

  it("private link services by resource group and by subscription", async () => {
    const t = await startTestArm({ settings: { pageSize: 2 } });
    arm = t;
    for (const f of ["f1", "f2", "f3"]) await seedPls(t, { frontend: f, name: `pls-${f}` });
    const net = t.net("provider");
    expect((await collect(net.privateLinkServices.list(NODE_RG).byPage())).map((p) => p.length)).toEqual([
      2, 1,
    ]);
    const all = await collect(net.privateLinkServices.listBySubscription());
    expect(all.map((p) => p.name).sort()).toEqual(["pls-f1", "pls-f2", "pls-f3"]);
    expect((await collect(net.privateLinkServices.listBySubscription().byPage())).length).toBe(2);
  });

  it("private endpoints by resource group and by subscription", async () => {
    const t = await startTestArm({ settings: { pageSize: 2 } });
    arm = t;
    await endpoints(t, (await seedPls(t)).alias, 3);
    const net = t.net("partner");
    expect((await collect(net.privateEndpoints.list("rg-partner").byPage())).map((p) => p.length)).toEqual([
      2, 1,
    ]);
    expect((await collect(net.privateEndpoints.listBySubscription())).map((p) => p.name).sort()).toEqual([
      "pe-1",
      "pe-2",
      "pe-3",
    ]);
  });

  it("takes the page size from the world file's emulator settings and from the admin endpoint; default one page", async () => {
    const t = await startTestArm({ world: { ...defaultWorld(), emulator: { pageSize: 1 } } });
    arm = t;
    await endpoints(t, (await seedPls(t)).alias, 3);
    const list = () => t.net("ci").privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName);
    expect((await collect(list().byPage())).length).toBe(3);
    const admin = (method: string, body?: unknown) =>
      t.raw(method, "/_sandbox/settings", { token: t.emu.adminToken, body });
    const put = await admin("PUT", { pageSize: 1000 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ pageSize: 1000, strictReapprove: false });
    const one = await collect(list().byPage());
    expect(one.map((p) => p.length)).toEqual([3]);
    expect((await admin("PUT", { pageSize: 0 })).status).toBe(400);
    expect((await admin("GET")).body).toMatchObject({ pageSize: 1000 });
  });
});
