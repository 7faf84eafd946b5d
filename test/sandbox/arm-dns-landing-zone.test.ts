/**
 * A landing zone's central private DNS in the sandbox: a world file's `privateDnsZones` (validated
 * with every problem named by its path, seeded with their VNet links), and Azure's rule that a VNet
 * is linked to only one zone of overlapping names — a second link fails on its long-running
 * operation with BadRequest "A virtual network cannot be linked to multiple zones with overlapping
 * namespaces…", from any resource group or subscription, and leaves no link behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadWorldFile, WorldFileError } from "../../src/sandbox/world-file.js";
import { PART_SUB, startTestArm, type TestArm } from "./helpers/arm.js";
import { HUB_RG, HUB_SUB, hubWorld, SPOKE_ID } from "./helpers/worlds.js";

const dir = mkdtempSync(join(tmpdir(), "plsctl-hub-world-"));
let arm: TestArm;
beforeAll(async () => {
  arm = await startTestArm({ world: hubWorld() });
});
afterAll(async () => {
  await arm?.close();
  rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (w: unknown): string => {
  const p = join(dir, `w${Math.random()}.yaml`);
  writeFileSync(p, stringify(w));
  try {
    loadWorldFile(p);
  } catch (e) {
    expect(e).toBeInstanceOf(WorldFileError);
    return (e as Error).message;
  }
  return "";
};

describe("world file: privateDnsZones", () => {
  it("loads a hub world as it is", () => {
    const p = join(dir, "hub.yaml");
    writeFileSync(p, stringify(hubWorld()));
    expect(loadWorldFile(p)).toEqual(hubWorld());
  });

  it("names each problem by its path", () => {
    const w = hubWorld();
    const [vault, internal] = w.privateDnsZones ?? [];
    if (!vault || !internal) throw new Error("no zones");
    vault.resourceGroup = "rg-nowhere";
    internal.name = "not a zone";
    internal.links = [
      { name: "a", virtualNetworkId: `${SPOKE_ID}-nope` },
      { name: "a", virtualNetworkId: SPOKE_ID },
    ];
    w.privateDnsZones?.push({
      subscriptionId: PART_SUB,
      resourceGroup: "rg-partner",
      name: "vaultcore.azure.net",
      links: [{ name: "spoke", virtualNetworkId: SPOKE_ID }],
    });
    const msg = problemsOf(w);
    expect(msg).toContain(
      `privateDnsZones[0].resourceGroup: "rg-nowhere" is not in resourceGroups for subscription ${HUB_SUB}`,
    );
    expect(msg).toContain('privateDnsZones[1].name: "not a zone" is not a DNS zone name');
    expect(msg).toContain("privateDnsZones[1].links[0].virtualNetworkId");
    expect(msg).toContain("privateDnsZones[1].links[1].name: duplicate link name a");
    expect(msg).toContain(
      "privateDnsZones[2].links[0].virtualNetworkId: the VNet is already linked to zone privatelink.vaultcore.azure.net (privateDnsZones[0])",
    );
  });
});

describe("a VNet linked to a hub zone", () => {
  it("the seeded zone and its link are there, readable by the partner in the hub subscription", async () => {
    const dns = arm.dns("partner", HUB_SUB);
    const zone = await dns.privateZones.get(HUB_RG, "privatelink.vaultcore.azure.net");
    expect(zone.numberOfVirtualNetworkLinks).toBe(1);
    const links = [];
    for await (const l of dns.virtualNetworkLinks.list(HUB_RG, "privatelink.vaultcore.azure.net"))
      links.push(l);
    expect(links.map((l) => [l.name, l.virtualNetwork?.id])).toEqual([["spoke01", SPOKE_ID]]);
  });

  it("refuses a second link of the same or an overlapping name from another resource group, and keeps none", async () => {
    const dns = arm.dns("partner");
    for (const zone of ["privatelink.vaultcore.azure.net", "vaultcore.azure.net", "kv.fabrikam.internal"]) {
      await dns.privateZones.createOrUpdate(
        "rg-partner",
        zone,
        { location: "global" },
        { updateIntervalInMs: 0 },
      );
      const linking = dns.virtualNetworkLinks.createOrUpdate(
        "rg-partner",
        zone,
        "spoke01",
        { location: "global", virtualNetwork: { id: SPOKE_ID }, registrationEnabled: false },
        { updateIntervalInMs: 0 },
      );
      const hub = zone.endsWith("fabrikam.internal")
        ? "fabrikam.internal"
        : "privatelink.vaultcore.azure.net";
      await expect(linking).rejects.toThrow(
        `BadRequest. A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${zone}' and '${hub}' zones.`,
      );
      const left = [];
      for await (const l of dns.virtualNetworkLinks.list("rg-partner", zone)) left.push(l);
      expect(left).toEqual([]);
    }
  });

  it("links a zone of another namespace", async () => {
    const dns = arm.dns("partner");
    await dns.privateZones.createOrUpdate(
      "rg-partner",
      "contoso.example",
      { location: "global" },
      { updateIntervalInMs: 0 },
    );
    const link = await dns.virtualNetworkLinks.createOrUpdate(
      "rg-partner",
      "contoso.example",
      "spoke01",
      { location: "global", virtualNetwork: { id: SPOKE_ID }, registrationEnabled: false },
      { updateIntervalInMs: 0 },
    );
    expect(link.virtualNetworkLinkState).toBe("Completed");
  });
});
