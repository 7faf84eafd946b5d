/** Private DNS through the real privatedns client, and zone groups writing the endpoint's A records. */
import type { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PART_SUB, PE_SUBNET_ID, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";

let arm: TestArm;
beforeEach(async () => {
  arm = await startTestArm();
});
afterEach(async () => {
  await arm.close();
});
const restError = async (p: Promise<unknown>): Promise<RestError> => {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
};
const ZONE = "privatelink.contoso.example";
const zoneId = `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateDnsZones/${ZONE}`;
const vnetId = PE_SUBNET_ID.replace(/\/subnets\/.*$/, "");

describe("private DNS", () => {
  it("zone, VNet link and A record (the explicit path plsctl takes)", async () => {
    const dns = arm.dns("partner");
    const zone = await dns.privateZones.createOrUpdate("rg-partner", ZONE, { location: "global" });
    expect(zone).toMatchObject({ location: "global", provisioningState: "Succeeded", numberOfRecordSets: 1 });
    const link = await dns.virtualNetworkLinks.createOrUpdate("rg-partner", ZONE, "spoke01", {
      location: "global",
      virtualNetwork: { id: vnetId },
      registrationEnabled: false,
    });
    expect(link).toMatchObject({ virtualNetworkLinkState: "Completed", registrationEnabled: false });
    const rec = await dns.recordSets.createOrUpdate("rg-partner", ZONE, "A", "app", {
      ttl: 300,
      aRecords: [{ ipv4Address: "10.0.0.4" }],
    });
    expect(rec).toMatchObject({ fqdn: `app.${ZONE}.`, ttl: 300, aRecords: [{ ipv4Address: "10.0.0.4" }] });
    expect(await dns.privateZones.get("rg-partner", ZONE)).toMatchObject({
      numberOfRecordSets: 2,
      numberOfVirtualNetworkLinks: 1,
    });
    const all = [];
    for await (const r of dns.recordSets.list("rg-partner", ZONE)) all.push(r.name);
    expect(all).toEqual(["app"]);
    const conflict = await restError(dns.privateZones.delete("rg-partner", ZONE));
    expect(conflict.statusCode).toBe(409);
    const badLink = await restError(
      dns.virtualNetworkLinks.createOrUpdate("rg-partner", ZONE, "x", {
        location: "global",
        virtualNetwork: { id: `${vnetId}-nope` },
      }),
    );
    expect(badLink.statusCode).toBe(400);
    await dns.recordSets.delete("rg-partner", ZONE, "A", "app");
    expect((await restError(dns.recordSets.get("rg-partner", ZONE, "A", "app"))).statusCode).toBe(404);
  });

  it("a zone group writes A records for the PLS fqdns with the endpoint's IP and removes them with the endpoint", async () => {
    const pls = await seedPls(arm, { fqdns: ["app.contoso.example"] });
    await arm.dns("partner").privateZones.createOrUpdate("rg-partner", ZONE, { location: "global" });
    const net = arm.net("partner");
    const pe = await net.privateEndpoints.createOrUpdate("rg-partner", "pe1", {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    });
    expect(pe.customDnsConfigs).toEqual([{ fqdn: "app.contoso.example", ipAddresses: ["10.0.0.4"] }]);
    const group = await net.privateDnsZoneGroups.createOrUpdate("rg-partner", "pe1", "default", {
      privateDnsZoneConfigs: [{ name: "contoso", privateDnsZoneId: zoneId }],
    });
    expect(group.privateDnsZoneConfigs?.[0]?.recordSets).toEqual([
      expect.objectContaining({
        recordType: "A",
        recordSetName: "app",
        ipAddresses: ["10.0.0.4"],
        fqdn: `app.${ZONE}`,
      }),
    ]);
    const rec = await arm.dns("partner").recordSets.get("rg-partner", ZONE, "A", "app");
    expect(rec.aRecords).toEqual([{ ipv4Address: "10.0.0.4" }]);
    await net.privateEndpoints.delete("rg-partner", "pe1");
    expect(
      (await restError(arm.dns("partner").recordSets.get("rg-partner", ZONE, "A", "app"))).statusCode,
    ).toBe(404);
    const nic = await restError(
      net.networkInterfaces.get("rg-partner", pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? ""),
    );
    expect(nic.statusCode).toBe(404);
  });

  it("a zone group to a missing zone is refused", async () => {
    const pls = await seedPls(arm);
    const net = arm.net("partner");
    await net.privateEndpoints.createOrUpdate("rg-partner", "pe1", {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    });
    const err = await restError(
      net.privateDnsZoneGroups.createOrUpdate("rg-partner", "pe1", "default", {
        privateDnsZoneConfigs: [{ name: "z", privateDnsZoneId: zoneId }],
      }),
    );
    expect(err.statusCode).toBe(400);
  });
});
