/**
 * The soak's model and its comparison with the sandbox's state (scripts/soak): the model follows the
 * documented behaviour, the comparison reports every difference (so a soak with 0 mismatches means
 * something), and the soak stays independent of plsctl's flows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareState } from "../../scripts/soak/compare.js";
import { Model } from "../../scripts/soak/model.js";
import { plsId } from "../../scripts/soak/ops.js";
import { partner } from "../../scripts/soak/world.js";
import type { ArmState, Resource } from "../../src/sandbox/arm/types.js";

const ALIAS = "pls-svc-01.0000.westeurope.azure.privatelinkservice";
const p1 = partner(1);
const peId = `/subscriptions/${p1.subscriptionId}/resourceGroups/${p1.resourceGroup}/providers/Microsoft.Network/privateEndpoints/pe-svc-01`;
const nicId = `/subscriptions/${p1.subscriptionId}/resourceGroups/${p1.resourceGroup}/providers/Microsoft.Network/networkInterfaces/pe-svc-01.nic.1`;
const recordId = `/subscriptions/${p1.subscriptionId}/resourceGroups/${p1.resourceGroup}/providers/Microsoft.Network/privateDnsZones/${p1.dnsZone}/A/svc-01`;

const pls = (status: string): Resource => ({
  id: plsId("svc-01"),
  name: "pls-svc-01",
  type: "Microsoft.Network/privateLinkServices",
  properties: {
    provisioningState: "Succeeded",
    alias: ALIAS,
    privateEndpointConnections: [
      { properties: { privateEndpoint: { id: peId }, privateLinkServiceConnectionState: { status } } },
    ],
  },
});
const endpoint = (status: string): Resource => ({
  id: peId,
  name: "pe-svc-01",
  type: "Microsoft.Network/privateEndpoints",
  properties: {
    provisioningState: "Succeeded",
    manualPrivateLinkServiceConnections: [{ properties: { privateLinkServiceConnectionState: { status } } }],
    networkInterfaces: [{ id: nicId }],
  },
});
const nic: Resource = {
  id: nicId,
  name: "pe-svc-01.nic.1",
  type: "Microsoft.Network/networkInterfaces",
  properties: { ipConfigurations: [{ properties: { privateIPAddress: "10.1.0.4" } }] },
};
const record = (ip: string): Resource => ({
  id: recordId,
  name: "svc-01",
  type: "Microsoft.Network/privateDnsZones/A",
  properties: { aRecords: [{ ipv4Address: ip }], metadata: { managedBy: "plsctl", privateEndpointId: peId } },
});

const state = (...resources: Resource[]): ArmState =>
  ({ resources: Object.fromEntries(resources.map((r) => [r.id.toLowerCase(), r])) }) as unknown as ArmState;

const exposedAnnotations = new Map([
  [
    "svc-01",
    {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      "service.beta.kubernetes.io/azure-pls-create": "true",
      "service.beta.kubernetes.io/azure-pls-name": "pls-svc-01",
      "service.beta.kubernetes.io/azure-pls-visibility": "*",
      "plsctl.io/pls-id": plsId("svc-01"),
      "plsctl.io/pls-alias": ALIAS,
    },
  ],
]);

function connectedModel(): Model {
  const m = new Model(["svc-01", "svc-02"]);
  m.apply({ kind: "expose", service: "svc-01" }, ALIAS);
  m.apply({ kind: "connect", service: "svc-01", partner: 1, via: "alias" });
  m.apply({ kind: "approve", service: "svc-01", partner: 1 });
  return m;
}

describe("soak model", () => {
  it("follows the documented transitions and refuses what a user would not run", () => {
    const m = connectedModel();
    expect(m.endpoint(1, "svc-01")).toBe("Approved");
    expect(m.allows({ kind: "connect", service: "svc-01", partner: 1, via: "id" })).toBe(false);
    expect(m.allows({ kind: "connect", service: "svc-02", partner: 1, via: "id" })).toBe(false); // not exposed
    m.apply({ kind: "reject", service: "svc-01", partner: 1 });
    expect(m.allows({ kind: "approve", service: "svc-01", partner: 1 })).toBe(false); // Rejected stays refused
    m.apply({ kind: "unexpose", service: "svc-01" });
    expect(m.endpoint(1, "svc-01")).toBe("Disconnected");
    expect(m.allows({ kind: "reject", service: "svc-01", partner: 1 })).toBe(false);
    m.apply({ kind: "disconnect", service: "svc-01", partner: 1 });
    expect(m.endpoint(1, "svc-01")).toBeUndefined();
  });
});

describe("soak comparison", () => {
  const matching = (): ArmState => state(pls("Approved"), endpoint("Approved"), nic, record("10.1.0.4"));

  it("finds nothing when the sandbox holds what the model expects", () => {
    expect(compareState(connectedModel(), matching(), exposedAnnotations)).toEqual([]);
  });

  it("reports each difference: connection state, DNS record, annotation, leftover PLS and endpoint", () => {
    const drifted = state(pls("Pending"), endpoint("Approved"), nic, record("10.1.0.9"));
    const out = compareState(connectedModel(), drifted, new Map([["svc-01", {}]]));
    expect(out.some((l) => l.includes("connection of") && l.includes("Pending, expected Approved"))).toBe(
      true,
    );
    expect(out.some((l) => l.includes("DNS record svc-01.p01.internal: points at 10.1.0.9"))).toBe(true);
    expect(out.some((l) => l.includes("annotation plsctl.io/pls-alias is absent"))).toBe(true);

    const empty = new Model(["svc-01", "svc-02"]);
    const leftovers = compareState(empty, matching(), new Map());
    expect(leftovers).toContain("PLS pls-svc-01 exists, expected none (svc-01 is not exposed)");
    expect(leftovers.some((l) => l.includes("pe-svc-01: the endpoint exists, expected none"))).toBe(true);
  });
});

describe("soak independence", () => {
  it("imports nothing from plsctl's flows, commands or adapters: only the sandbox", () => {
    const dir = join("scripts", "soak");
    const imports = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), "utf8").matchAll(/from "(\.\.\/\.\.\/src\/[^"]+)"/g)].map(
          (m) => `${f}: ${m[1]}`,
        ),
      );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !i.includes("../../src/sandbox/"))).toEqual([]);
  });
});
