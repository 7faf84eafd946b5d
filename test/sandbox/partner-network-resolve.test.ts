/**
 * The partner network's client side on a hand-made ARM state: which VNet a proxy user names, what
 * a name resolves to in a VNet (linked zones only, the most specific one, CNAME chains), and which
 * endpoint an address means — ambiguous when two VNets hold the same address and none is named.
 */
import { describe, expect, it } from "vitest";
import type { ArmState, Resource } from "../../src/sandbox/arm/types.js";
import { clientVnets, findEndpoint, resolveName } from "../../src/sandbox/network/resolve.js";
import { defaultWorld } from "../../src/sandbox/world.js";

const SUB = "/subscriptions/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/resourceGroups/rg-partner/providers";
const vnetId = (name: string, rg = "rg-partner") =>
  `${SUB.replace("rg-partner", rg)}/Microsoft.Network/virtualNetworks/${name}`;

function state(): ArmState {
  const resources: Resource[] = [];
  const add = (r: { id: string; type: string; properties: Record<string, unknown> }) =>
    resources.push({ name: r.id.split("/").at(-1) ?? "", ...r });
  for (const [name, rg] of [
    ["spoke01", "rg-partner"],
    ["spoke02", "rg-partner"],
    ["spoke01", "rg-other"],
  ] as const)
    add({ id: vnetId(name, rg), type: "Microsoft.Network/virtualNetworks", properties: {} });
  const endpoint = (name: string, vnet: string, ip: string) => {
    const nic = `${SUB}/Microsoft.Network/networkInterfaces/${name}.nic`;
    add({
      id: `${SUB}/Microsoft.Network/privateEndpoints/${name}`,
      type: "Microsoft.Network/privateEndpoints",
      properties: { subnet: { id: `${vnet}/subnets/pe-subnet` }, networkInterfaces: [{ id: nic }] },
    });
    add({
      id: nic,
      type: "Microsoft.Network/networkInterfaces",
      properties: { ipConfigurations: [{ properties: { privateIPAddress: ip } }] },
    });
  };
  endpoint("pe-a", vnetId("spoke01"), "10.0.0.4");
  endpoint("pe-b", vnetId("spoke02"), "10.0.0.4");
  endpoint("pe-c", vnetId("spoke02"), "10.0.0.5");
  const zone = (name: string, linkedTo: string[]) => {
    const id = `${SUB}/Microsoft.Network/privateDnsZones/${name}`;
    add({ id, type: "Microsoft.Network/privateDnsZones", properties: {} });
    for (const v of linkedTo)
      add({
        id: `${id}/virtualNetworkLinks/${v.split("/").at(-1)}`,
        type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        properties: { virtualNetwork: { id: v } },
      });
    return {
      a: (label: string, ip: string) =>
        add({
          id: `${id}/A/${label}`,
          type: "Microsoft.Network/privateDnsZones/A",
          properties: { aRecords: [{ ipv4Address: ip }] },
        }),
      cname: (label: string, target: string) =>
        add({
          id: `${id}/CNAME/${label}`,
          type: "Microsoft.Network/privateDnsZones/CNAME",
          properties: { cnameRecord: { cname: target } },
        }),
    };
  };
  const outer = zone("fabrikam.example", [vnetId("spoke01"), vnetId("spoke02")]);
  outer.a("app.inner", "10.9.9.9");
  outer.cname("alias", "app.inner.fabrikam.example.");
  zone("inner.fabrikam.example", [vnetId("spoke01")]).a("app", "10.0.0.4");
  zone("hidden.example", []).a("app", "10.0.0.4");
  return {
    format: "plsctl-arm-state",
    version: 1,
    world: defaultWorld(),
    operations: {},
    resources: Object.fromEntries(resources.map((r) => [r.id.toLowerCase(), r])),
  };
}

const vnet = (s: ArmState, id: string) => s.resources[id.toLowerCase()] as Resource;
const allVnets = (s: ArmState) =>
  Object.values(s.resources).filter((r) => r.type.endsWith("virtualNetworks"));

describe("clientVnets", () => {
  it("takes a VNet name, a URL-encoded resource id, or nothing (every VNet)", () => {
    const s = state();
    expect(clientVnets(s, undefined)).toMatchObject({ vnets: { length: 3 } });
    expect(clientVnets(s, "SPOKE02")).toMatchObject({ vnets: [{ name: "spoke02" }] });
    expect(clientVnets(s, encodeURIComponent(vnetId("spoke01", "rg-other")))).toMatchObject({
      vnets: [{ id: vnetId("spoke01", "rg-other") }],
    });
  });

  it("says when a name is not unique, and when there is no such VNet", () => {
    expect(clientVnets(state(), "spoke01")).toEqual({
      error: expect.stringMatching(/More than one VNet is named "spoke01"; name it by its resource id/),
    });
    expect(clientVnets(state(), "nope")).toEqual({
      error: expect.stringMatching(/no VNet "nope" \(it has spoke01, spoke02, spoke01\)/),
    });
  });
});

describe("resolveName", () => {
  it("answers from the most specific linked zone, follows CNAMEs, and ignores unlinked zones", () => {
    const s = state();
    const spoke01 = vnet(s, vnetId("spoke01"));
    const spoke02 = vnet(s, vnetId("spoke02"));
    expect(resolveName(s, spoke01, "app.inner.fabrikam.example")).toEqual(["10.0.0.4"]);
    // spoke02 is linked to the outer zone only, which has its own record for the name.
    expect(resolveName(s, spoke02, "app.inner.fabrikam.example.")).toEqual(["10.9.9.9"]);
    expect(resolveName(s, spoke01, "ALIAS.fabrikam.example")).toEqual(["10.0.0.4"]);
    expect(resolveName(s, spoke01, "app.hidden.example")).toEqual([]);
  });
});

describe("findEndpoint", () => {
  it("refuses an address two VNets hold when no VNet is named, and says how to pick one", () => {
    const r = findEndpoint(state(), allVnets(state()), "10.0.0.4");
    expect(r).toEqual({
      ambiguous: true,
      error: expect.stringMatching(
        /10\.0\.0\.4 is ambiguous: pe-a \(VNet spoke01\), pe-b \(VNet spoke02\).*http:\/\/spoke01@127\.0\.0\.1:<port>/,
      ),
    });
  });

  it("picks the endpoint of the named VNet, and an address only one endpoint has without a name", () => {
    const s = state();
    expect(findEndpoint(s, [vnet(s, vnetId("spoke02"))], "10.0.0.4")).toMatchObject({
      hit: { endpoint: { name: "pe-b" } },
    });
    expect(findEndpoint(s, allVnets(s), "10.0.0.5")).toMatchObject({
      hit: { endpoint: { name: "pe-c" }, vnet: { name: "spoke02" } },
    });
    expect(findEndpoint(s, [vnet(s, vnetId("spoke01"))], "10.0.0.5")).toEqual({
      error: "No private endpoint in VNet spoke01 has the address 10.0.0.5.",
    });
  });
});
