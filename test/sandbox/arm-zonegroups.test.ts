/**
 * Private DNS zone groups as the network RP keeps them: the record goes into the target's standard
 * `privatelink.*` zone only, is named after the target resource, never replaces a record written
 * by hand, and goes away with the group and with the endpoint.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failure, PE_SUBNET_ID, PROV_SUB, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";

let arm: TestArm;
beforeEach(async () => {
  arm = await startTestArm();
});
afterEach(async () => {
  await arm.close();
});

const VAULT = `/subscriptions/${PROV_SUB}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo`;
const KV_ZONE = "privatelink.vaultcore.azure.net";
const OTHER_ZONE = "privatelink.blob.core.windows.net";
const zoneId = (z: string) =>
  `${PE_SUBNET_ID.replace(/\/providers\/.*$/, "")}/providers/Microsoft.Network/privateDnsZones/${z}`;
const opts = { updateIntervalInMs: 10 };

async function zones(...names: string[]) {
  for (const z of names)
    await arm.dns("partner").privateZones.createOrUpdate("rg-partner", z, { location: "global" }, opts);
}

const recordNames = async (zone: string) => {
  const out: string[] = [];
  for await (const r of arm.dns("partner").recordSets.listByType("rg-partner", zone, "A"))
    out.push(r.name ?? "");
  return out;
};

async function vaultEndpoint(name: string) {
  return arm.net("partner").privateEndpoints.createOrUpdate(
    "rg-partner",
    name,
    {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [
        { name: "c", privateLinkServiceId: VAULT, groupIds: ["vault"], requestMessage: "Fabrikam" },
      ],
    },
    opts,
  );
}

const group = (pe: string, zoneNames: string[]) =>
  arm.net("partner").privateDnsZoneGroups.createOrUpdate(
    "rg-partner",
    pe,
    "default",
    {
      privateDnsZoneConfigs: zoneNames.map((z) => ({
        name: z.replace(/\./g, "-"),
        privateDnsZoneId: zoneId(z),
      })),
    },
    opts,
  );

describe("a zone group on a Key Vault endpoint", () => {
  it("writes <vault> in privatelink.vaultcore.azure.net with the endpoint IP, and nothing in another zone", async () => {
    await zones(KV_ZONE, OTHER_ZONE);
    const pe = await vaultEndpoint("pe-kv");
    const ip = pe.customDnsConfigs?.[0]?.ipAddresses?.[0] ?? "";
    const g = await group("pe-kv", [KV_ZONE, OTHER_ZONE]);
    expect(g.privateDnsZoneConfigs?.map((c) => c.recordSets)).toEqual([
      [
        expect.objectContaining({
          recordType: "A",
          recordSetName: "kv-contoso-demo",
          fqdn: `kv-contoso-demo.${KV_ZONE}`,
          ipAddresses: [ip],
        }),
      ],
      [],
    ]);
    const rec = await arm.dns("partner").recordSets.get("rg-partner", KV_ZONE, "A", "kv-contoso-demo");
    expect(rec.aRecords).toEqual([{ ipv4Address: ip }]);
    expect(await recordNames(OTHER_ZONE)).toEqual([]);
    expect(await recordNames(KV_ZONE)).toEqual(["kv-contoso-demo"]);
  });

  it("never overwrites an A record written by hand, and leaves it when the group goes", async () => {
    await zones(KV_ZONE);
    await arm.dns("partner").recordSets.createOrUpdate("rg-partner", KV_ZONE, "A", "kv-contoso-demo", {
      ttl: 300,
      aRecords: [{ ipv4Address: "10.9.9.9" }],
    });
    await vaultEndpoint("pe-kv");
    const g = await group("pe-kv", [KV_ZONE]);
    expect(g.privateDnsZoneConfigs?.[0]?.recordSets).toEqual([]);
    const kept = await arm.dns("partner").recordSets.get("rg-partner", KV_ZONE, "A", "kv-contoso-demo");
    expect(kept).toMatchObject({ ttl: 300, aRecords: [{ ipv4Address: "10.9.9.9" }] });
    await arm.net("partner").privateDnsZoneGroups.delete("rg-partner", "pe-kv", "default", opts);
    await arm.net("partner").privateEndpoints.delete("rg-partner", "pe-kv", opts);
    expect(
      (await arm.dns("partner").recordSets.get("rg-partner", KV_ZONE, "A", "kv-contoso-demo")).aRecords,
    ).toEqual([{ ipv4Address: "10.9.9.9" }]);
  });

  it("its record goes with the group, and with the endpoint", async () => {
    await zones(KV_ZONE);
    await vaultEndpoint("pe-kv");
    await group("pe-kv", [KV_ZONE]);
    expect(await recordNames(KV_ZONE)).toEqual(["kv-contoso-demo"]);
    await arm.net("partner").privateDnsZoneGroups.delete("rg-partner", "pe-kv", "default", opts);
    expect(await recordNames(KV_ZONE)).toEqual([]);

    await group("pe-kv", [KV_ZONE]);
    expect(await recordNames(KV_ZONE)).toEqual(["kv-contoso-demo"]);
    // Re-putting the group rewrites its own record (it is not "written by hand").
    const again = await group("pe-kv", [KV_ZONE]);
    expect(again.privateDnsZoneConfigs?.[0]?.recordSets?.map((r) => r.recordSetName)).toEqual([
      "kv-contoso-demo",
    ]);
    await arm.net("partner").privateEndpoints.delete("rg-partner", "pe-kv", opts);
    expect(await recordNames(KV_ZONE)).toEqual([]);
    const gone = await failure(arm.net("partner").privateDnsZoneGroups.get("rg-partner", "pe-kv", "default"));
    expect(gone.statusCode).toBe(404);
  });
});

describe("a zone group on a PLS endpoint (no standard zone)", () => {
  it("writes the PLS fqdns that lie in the zone, and nothing named after the endpoint elsewhere", async () => {
    const pls = await seedPls(arm, { fqdns: ["app.contoso.example"] });
    await zones("privatelink.contoso.example", "privatelink.other.example");
    await arm.net("partner").privateEndpoints.createOrUpdate(
      "rg-partner",
      "pe1",
      {
        location: "westeurope",
        subnet: { id: PE_SUBNET_ID },
        manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
      },
      opts,
    );
    const g = await group("pe1", ["privatelink.contoso.example", "privatelink.other.example"]);
    expect(g.privateDnsZoneConfigs?.map((c) => c.recordSets?.map((r) => r.recordSetName))).toEqual([
      ["app"],
      [],
    ]);
    expect(await recordNames("privatelink.other.example")).toEqual([]);
  });

  it("leaves a hand-written record of a PLS fqdn as it is", async () => {
    const pls = await seedPls(arm, { fqdns: ["app.contoso.example"] });
    await zones("privatelink.contoso.example");
    await arm
      .dns("partner")
      .recordSets.createOrUpdate("rg-partner", "privatelink.contoso.example", "A", "app", {
        ttl: 300,
        aRecords: [{ ipv4Address: "10.9.9.9" }],
      });
    await arm.net("partner").privateEndpoints.createOrUpdate(
      "rg-partner",
      "pe1",
      {
        location: "westeurope",
        subnet: { id: PE_SUBNET_ID },
        manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
      },
      opts,
    );
    const g = await group("pe1", ["privatelink.contoso.example"]);
    expect(g.privateDnsZoneConfigs?.[0]?.recordSets).toEqual([]);
    await arm.net("partner").privateEndpoints.delete("rg-partner", "pe1", opts);
    const kept = await arm
      .dns("partner")
      .recordSets.get("rg-partner", "privatelink.contoso.example", "A", "app");
    expect(kept.aRecords).toEqual([{ ipv4Address: "10.9.9.9" }]);
  });
});
