import { describe, expect, it } from "vitest";
import {
  hasLinkId,
  parseLinkId,
  parsePrivateEndpointId,
  summarizeConnection,
} from "../../src/domain/connections.js";
import { connectionView } from "../../src/domain/pls.js";

const PE =
  "/subscriptions/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe-fabrikam";

describe("parsePrivateEndpointId", () => {
  it("reads subscription (lower case), resource group and name in any casing", () => {
    expect(
      parsePrivateEndpointId(
        "/SUBSCRIPTIONS/9A8B7C6D-5E4F-4A3B-9C2D-1E0F9A8B7C6D/ResourceGroups/RG-Partner/providers/microsoft.network/PRIVATEENDPOINTS/PE-Fabrikam",
      ),
    ).toEqual({
      subscriptionId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      resourceGroup: "RG-Partner",
      name: "PE-Fabrikam",
    });
  });

  it("refuses what is not a private endpoint id", () => {
    expect(parsePrivateEndpointId(undefined)).toBeUndefined();
    expect(parsePrivateEndpointId("")).toBeUndefined();
    expect(parsePrivateEndpointId("pe-fabrikam")).toBeUndefined();
    expect(parsePrivateEndpointId(PE.replace("privateEndpoints", "networkInterfaces"))).toBeUndefined();
    expect(parsePrivateEndpointId(`${PE}/privateDnsZoneGroups/default`)).toBeUndefined();
  });
});

describe("summarizeConnection", () => {
  it("projects every field the commands show", () => {
    const c = connectionView({
      name: "pe-fabrikam.3f2a",
      id: "/subscriptions/x/…/privateEndpointConnections/pe-fabrikam.3f2a",
      privateEndpointId: PE.replace("/subscriptions/9a8b", "/Subscriptions/9A8B"),
      status: "Pending",
      description: "Fabrikam, ticket 42",
      actionsRequired: "None",
      linkIdentifier: "536870917",
    });
    expect(summarizeConnection(c)).toEqual({
      name: "pe-fabrikam.3f2a",
      requesterSubscription: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      privateEndpointId: PE.replace("/subscriptions/9a8b", "/Subscriptions/9A8B"),
      privateEndpointName: "pe-fabrikam",
      status: "Pending",
      description: "Fabrikam, ticket 42",
      actionsRequired: "None",
      linkIdentifier: "536870917",
      // A Pending connection's description is the partner's: never read as plsctl's audit marker.
      rule: null,
      revision: null,
    });
  });

  it("turns missing fields into null, never into made-up values", () => {
    expect(summarizeConnection(connectionView({ name: "orphan" }))).toEqual({
      name: "orphan",
      requesterSubscription: null,
      privateEndpointId: null,
      privateEndpointName: null,
      status: "Unknown",
      description: null,
      actionsRequired: null,
      linkIdentifier: null,
      rule: null,
      revision: null,
    });
    // An id that is not a private endpoint's still names its subscription, but no endpoint name.
    const odd = summarizeConnection(
      connectionView({
        name: "x",
        privateEndpointId: "/subscriptions/ABC/resourceGroups/rg",
        description: "",
      }),
    );
    expect(odd).toMatchObject({ requesterSubscription: "abc", privateEndpointName: null, description: null });
  });
});

describe("parseLinkId", () => {
  it("takes unsigned 32-bit integers in decimal, normalised", () => {
    expect(parseLinkId("0")).toBe("0");
    expect(parseLinkId("536870917")).toBe("536870917");
    expect(parseLinkId("4294967295")).toBe("4294967295");
    expect(parseLinkId("007")).toBe("7");
  });

  it("refuses what is not one", () => {
    for (const bad of ["", "-1", "4294967296", "99999999999", "1.5", "0x20", "1e3", " 5", "abc"])
      expect(parseLinkId(bad), bad).toBeUndefined();
  });

  it("matches a connection by its link id, whatever zeros it was written with", () => {
    const c = summarizeConnection(connectionView({ name: "a", linkIdentifier: "42" }));
    expect(hasLinkId(c, "42")).toBe(true);
    expect(hasLinkId(c, "43")).toBe(false);
    expect(hasLinkId(summarizeConnection(connectionView({ name: "paas" })), "42")).toBe(false);
  });
});
