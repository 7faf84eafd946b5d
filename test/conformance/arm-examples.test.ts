/**
 * Replays every official example in test/fixtures/arm-examples (copied from Azure/azure-rest-api-specs,
 * see the README there) through the real @azure/arm-network, @azure/arm-privatedns and
 * @azure/arm-containerservice clients against the sandbox ARM emulator, and checks the status code and the response shape (same keys, same value
 * types; ids and generated values differ). Known upstream quirks are handled as the fixtures'
 * README describes them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NODE_RG,
  PART_SUB,
  PE_SUBNET_ID,
  PROV_SUB,
  type Recorded,
  type SeededPls,
  seedPls,
  startTestArm,
  type TestArm,
} from "../sandbox/helpers/arm.js";
import { sameTenantWorld } from "../sandbox/helpers/worlds.js";
import { shapeProblems } from "./arm-shape.js";

const DIR = fileURLToPath(new URL("../fixtures/arm-examples/", import.meta.url));
type Example = {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: unknown }>;
};
const load = (f: string): Example => JSON.parse(readFileSync(`${DIR}${f}`, "utf8")) as Example;

interface Case {
  /** Runs before the recorder is cleared (look-ups the operation needs). */
  prepare?: () => Promise<void>;
  /** Runs the operation; returns nothing (the recorder captures the wire). */
  run: () => Promise<unknown>;
  /** Which recorded response is compared: the operation's first one, or the final GET of an LRO PUT. */
  method: string;
  /** Compare against the example body of this status instead of the one we answered (README quirks). */
  compareWith?: string;
  ignore?: string[];
  why?: string;
}

let arm: TestArm;
let auto: SeededPls;
let manual: SeededPls;
const ZONE = "privatelink.contoso.example";
const plsName = (p: SeededPls) => p.id.split("/").pop() ?? "";
let pecName = "";
const names = { autoPe: "pe-auto", manualPe: "pe-manual", spare: "pe-spare" };

beforeAll(async () => {
  // One tenant for both sides: the automatic-connection examples need it (ARM refuses one across tenants).
  arm = await startTestArm({ world: sameTenantWorld() });
  auto = await seedPls(arm, {
    name: "pls-auto",
    frontend: "afront0000000000000000000000000001",
    visibility: [PART_SUB],
    autoApproval: [PART_SUB],
    fqdns: ["app.contoso.example"],
  });
  manual = await seedPls(arm, {
    name: "pls-manual",
    frontend: "afront0000000000000000000000000002",
    // A third subscription is auto-approved so the example's non-empty autoApproval list has a counterpart.
    visibility: [PART_SUB, "00000000-0000-0000-0000-000000000001"],
    autoApproval: ["00000000-0000-0000-0000-000000000001"],
    fqdns: ["api.contoso.example"],
  });
  await arm.dns("partner").privateZones.createOrUpdate("rg-partner", ZONE, { location: "global" });
});
afterAll(async () => {
  await arm?.close();
});

const partner = () => arm.net("partner");
const ci = () => arm.net("ci");
const firstPecName = async (p: SeededPls) => {
  for await (const c of ci().privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName(p)))
    return c.name ?? "";
  throw new Error("no connection");
};
const peBody = (
  ex: Example,
  connKey: "privateLinkServiceConnections" | "manualPrivateLinkServiceConnections",
  plsRef: string,
) => {
  const p = (ex.parameters.parameters as { properties: Record<string, unknown> }).properties;
  const conn = (p[connKey] as { properties: Record<string, unknown> }[])[0]?.properties ?? {};
  return {
    location: "westeurope",
    subnet: { id: PE_SUBNET_ID },
    [connKey]: [
      {
        name: "plsconnection1",
        privateLinkServiceId: plsRef,
        groupIds: conn.groupIds as string[],
        requestMessage: conn.requestMessage as string,
      },
    ],
    ipConfigurations: [
      {
        name: "pestaticconfig",
        groupId: "file",
        memberName: "file",
        privateIPAddress: connKey === "manualPrivateLinkServiceConnections" ? "10.0.0.10" : "10.0.0.11",
      },
    ],
    customNetworkInterfaceName: `${connKey === "manualPrivateLinkServiceConnections" ? names.manualPe : names.autoPe}-nic`,
  };
};

const cases: Record<string, Case> = {
  "PrivateEndpointCreate.json": {
    method: "PUT",
    run: () =>
      partner().privateEndpoints.createOrUpdate(
        "rg-partner",
        names.autoPe,
        peBody(load("PrivateEndpointCreate.json"), "privateLinkServiceConnections", auto.id),
      ),
  },
  "PrivateEndpointCreateForManualApproval.json": {
    method: "PUT",
    // README: the 201 body shows an auto connection, the 200 body the manual one; compare shapes with the manual one.
    compareWith: "200",
    run: () =>
      partner().privateEndpoints.createOrUpdate(
        "rg-partner",
        names.manualPe,
        peBody(
          load("PrivateEndpointCreateForManualApproval.json"),
          "manualPrivateLinkServiceConnections",
          manual.alias,
        ),
      ),
  },
  "PrivateEndpointGet.json": {
    method: "GET",
    run: () => partner().privateEndpoints.get("rg-partner", names.autoPe),
  },
  "PrivateEndpointGetForManualApproval.json": {
    method: "GET",
    run: () => partner().privateEndpoints.get("rg-partner", names.manualPe),
  },
  "NetworkInterfaceGet.json": {
    method: "GET",
    why: "the example is a VM NIC; a private endpoint's NIC has no VM, NSG, public IP, DSCP configuration or IP prefix",
    ignore: [
      "$.properties.ipConfigurations[].properties.publicIPAddress",
      "$.properties.ipConfigurations[].properties.privateIPAddressPrefixLength",
      "$.properties.networkSecurityGroup",
      "$.properties.virtualMachine",
      "$.properties.dscpConfiguration",
      "$.properties.primary",
    ],
    run: () => partner().networkInterfaces.get("rg-partner", `${names.autoPe}-nic`),
  },
  "PrivateLinkServiceGet.json": {
    method: "GET",
    run: () => ci().privateLinkServices.get(NODE_RG, plsName(auto)),
  },
  "PrivateLinkServiceList.json": {
    method: "GET",
    run: async () => {
      for await (const _ of ci().privateLinkServices.list(NODE_RG)) void _;
    },
  },
  "PrivateLinkServiceListPrivateEndpointConnection.json": { method: "GET", run: () => firstPecName(manual) },
  "PrivateLinkServiceGetPrivateEndpointConnection.json": {
    method: "GET",
    prepare: async () => {
      pecName = await firstPecName(manual);
    },
    run: () => ci().privateLinkServices.getPrivateEndpointConnection(NODE_RG, plsName(manual), pecName),
  },
  "PrivateLinkServiceUpdatePrivateEndpointConnection.json": {
    method: "PUT",
    prepare: async () => {
      pecName = await firstPecName(manual);
    },
    run: () => {
      const p = (
        load("PrivateLinkServiceUpdatePrivateEndpointConnection.json").parameters.parameters as {
          properties: { privateLinkServiceConnectionState: { status: string; description: string } };
        }
      ).properties;
      return ci().privateLinkServices.updatePrivateEndpointConnection(NODE_RG, plsName(manual), pecName, {
        name: pecName,
        privateLinkServiceConnectionState: p.privateLinkServiceConnectionState,
      });
    },
  },
  "CheckPrivateLinkServiceVisibility.json": {
    method: "POST",
    run: () =>
      partner().privateLinkServices.checkPrivateLinkServiceVisibility("westeurope", {
        privateLinkServiceAlias: manual.alias,
      }),
  },
  "CheckPrivateLinkServiceVisibilityByResourceGroup.json": {
    method: "POST",
    run: () =>
      partner().privateLinkServices.checkPrivateLinkServiceVisibilityByResourceGroup(
        "rg-partner",
        "westeurope",
        { privateLinkServiceAlias: manual.alias },
      ),
  },
  "AutoApprovedPrivateLinkServicesGet.json": {
    method: "GET",
    run: async () => {
      for await (const _ of partner().privateLinkServices.listAutoApprovedPrivateLinkServices("westeurope"))
        void _;
    },
  },
  "AutoApprovedPrivateLinkServicesResourceGroupGet.json": {
    method: "GET",
    run: async () => {
      for await (const _ of partner().privateLinkServices.listAutoApprovedPrivateLinkServicesByResourceGroup(
        "rg-partner",
        "westeurope",
      ))
        void _;
    },
  },
  "PrivateZonePut.json": {
    method: "PUT",
    run: () =>
      arm.dns("partner").privateZones.createOrUpdate("rg-partner", "privatezone1.com", {
        location: "Global",
        tags: { key1: "value1" },
      }),
  },
  "PrivateZoneGet.json": {
    method: "GET",
    run: () => arm.dns("partner").privateZones.get("rg-partner", "privatezone1.com"),
  },
  "VirtualNetworkLinkPut.json": {
    method: "PUT",
    run: () =>
      arm.dns("partner").virtualNetworkLinks.createOrUpdate("rg-partner", "privatezone1.com", "link1", {
        location: "Global",
        tags: { key1: "value1" },
        virtualNetwork: { id: PE_SUBNET_ID.replace(/\/subnets\/.*$/, "") },
        registrationEnabled: false,
      }),
  },
  "RecordSetAPut.json": {
    method: "PUT",
    run: () =>
      arm.dns("partner").recordSets.createOrUpdate("rg-partner", "privatezone1.com", "A", "recordA", {
        metadata: { key1: "value1" },
        ttl: 3600,
        aRecords: [{ ipv4Address: "1.2.3.4" }],
      }),
  },
  "PrivateEndpointDnsZoneGroupCreate.json": {
    method: "PUT",
    run: () =>
      partner().privateDnsZoneGroups.createOrUpdate("rg-partner", names.autoPe, "testPdnsgroup", {
        privateDnsZoneConfigs: [
          {
            name: "zone1",
            privateDnsZoneId: `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateDnsZones/${ZONE}`,
          },
        ],
      }),
  },
  "PrivateEndpointDnsZoneGroupGet.json": {
    method: "GET",
    run: () => partner().privateDnsZoneGroups.get("rg-partner", names.autoPe, "testPdnsgroup"),
  },
  "PrivateEndpointDnsZoneGroupList.json": {
    method: "GET",
    run: async () => {
      for await (const _ of partner().privateDnsZoneGroups.list("rg-partner", names.autoPe)) void _;
    },
  },
  "PrivateEndpointDnsZoneGroupDelete.json": {
    method: "DELETE",
    run: () => partner().privateDnsZoneGroups.delete("rg-partner", names.autoPe, "testPdnsgroup"),
  },
  "PrivateLinkServiceDeletePrivateEndpointConnection.json": {
    method: "DELETE",
    prepare: async () => {
      pecName = await firstPecName(manual);
    },
    run: () => ci().privateLinkServices.deletePrivateEndpointConnection(NODE_RG, plsName(manual), pecName),
  },
  "PrivateEndpointDelete.json": {
    method: "DELETE",
    run: () => partner().privateEndpoints.delete("rg-partner", names.autoPe),
  },
  "ManagedClustersGet.json": {
    method: "GET",
    // The example's api-version (2026-04-01, what arm-containerservice 25.3 sends).
    why: "the example cluster's own user tags",
    ignore: ["$.tags.archv2", "$.tags.tier"],
    run: () =>
      arm.aks("provider", undefined, { apiVersion: "2026-04-01" }).managedClusters.get("rg-aks", "aks-demo"),
  },
  "listPrivateLinkResources.json": {
    method: "GET",
    why: "Microsoft.KeyVault 2024-11-01: the project has no Key Vault SDK, so a raw GET, recorded here",
    run: async () => {
      const url = `/subscriptions/${PROV_SUB}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo/privateLinkResources?api-version=2024-11-01`;
      const r = await arm.raw("GET", url);
      arm.recorded.push({ method: "GET", url, status: r.status, headers: {}, body: r.text });
    },
  },
};

describe("ARM conformance: every official example through the real SDK clients", () => {
  it("has a case for every example file", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.filter((f) => !cases[f])).toEqual([]);
  });

  for (const [file, c] of Object.entries(cases)) {
    it(file, async () => {
      const ex = load(file);
      await c.prepare?.();
      arm.recorded.length = 0;
      await c.run();
      const own = arm.recorded.filter(
        (r) => !/\/operations\/|operationResults|privateDnsOperation/i.test(r.url),
      );
      const initial: Recorded | undefined = own.find((r) => r.method === c.method);
      expect(initial, `no ${c.method} response recorded`).toBeDefined();
      if (!initial) return;
      const statuses = Object.keys(ex.responses);
      expect(statuses).toContain(String(initial.status));
      const expectedBody = ex.responses[c.compareWith ?? String(initial.status)]?.body;
      let actual = initial.body ? JSON.parse(initial.body) : undefined;
      let expected = expectedBody;
      if (expected === undefined && c.method === "PUT") {
        // Bodiless async answer (e.g. 202): compare the resource the final GET returned.
        const final = [...own].reverse().find((r) => r.method === "GET");
        actual = final?.body ? JSON.parse(final.body) : undefined;
        expected = ex.responses["200"]?.body ?? ex.responses["201"]?.body;
      }
      if (expected !== undefined) expect(shapeProblems(expected, actual, c.ignore)).toEqual([]);
      if (c.method === "PUT" && initial.status !== 200 && initial.status !== 201) {
        expect(initial.headers["azure-asyncoperation"] ?? initial.headers.location).toBeDefined();
      }
    });
  }
});
