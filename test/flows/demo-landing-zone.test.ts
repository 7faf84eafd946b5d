/**
 * The walkthrough of `plsctl demo --world examples/landing-zone.yaml`, run in process on a sandbox
 * of that world so its state can be read around it: the demo's PLS lands in the shared rg-pls; the
 * other cluster's PLS there (identical tags, its own load balancer) is byte-for-byte the same after
 * and no write went to it or its load balancer; the partner's A record is in the hub's central
 * zone, and no private DNS zone or link was created in the partner's resource group.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoResult } from "../../src/domain/demo.js";
import { walkthrough } from "../../src/flows/demo.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { loadWorldFile } from "../../src/sandbox/world-file.js";
import { flowContext } from "../helpers/flow-context.js";
import { tempDir } from "../helpers/temp.js";
import { seedTls } from "../helpers/tls.js";

const LANDING_ZONE = fileURLToPath(new URL("../../examples/landing-zone.yaml", import.meta.url));
const PROV = "/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const PART = "/subscriptions/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const HUB = "/subscriptions/5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
const FOREIGN_PLS = `${PROV}/resourceGroups/rg-pls/providers/Microsoft.Network/privateLinkServices/pls-sample-app`;
const FOREIGN_LB = `${PROV}/resourceGroups/MC_rg-aks-other_aks-other_westeurope/providers/Microsoft.Network/loadBalancers/kubernetes-internal`;
const HUB_ZONE = `${HUB}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/fabrikam.internal`;

let sb: Sandbox;
let out: DemoResult;
const foreignBefore: Record<string, string> = {};
const raw = (id: string) => JSON.stringify(sb.arm.state().resources[id.toLowerCase()]);
const ids = () => Object.keys(sb.arm.state().resources);
const dir = tempDir("plsctl-demo-lz-");

beforeAll(async () => {
  seedTls(dir);
  sb = await startSandbox({ stateDir: dir, world: loadWorldFile(LANDING_ZONE) });
  for (const id of [FOREIGN_PLS, FOREIGN_LB]) foreignBefore[id] = raw(id);
  sb.arm.resetCounters();
  out = await walkthrough(flowContext({}).ctx, sb, { realistic: false, world: LANDING_ZONE });
});

afterAll(async () => sb?.close());

describe("the walkthrough on examples/landing-zone.yaml", () => {
  it("ends with the partner reaching the app through a PLS in rg-pls", () => {
    expect(out.verify).toMatchObject({ reached: true, status: 200 });
    expect(out.expose.id).toBe(
      `${PROV}/resourceGroups/rg-pls/providers/Microsoft.Network/privateLinkServices/pls-app`,
    );
    expect(ids()).toContain(out.expose.id?.toLowerCase());
    expect(
      ids().filter((k) => /\/resourcegroups\/mc_rg-aks_aks-demo_westeurope\/.*privatelinkservices/.test(k)),
    ).toEqual([]);
  });

  it("leaves the other cluster's PLS and load balancer byte-for-byte as they were, with no write to either", () => {
    expect(foreignBefore[FOREIGN_PLS]).toContain('"k8s-azure-owner-service":"default/sample-app"');
    for (const id of [FOREIGN_PLS, FOREIGN_LB]) expect(raw(id)).toBe(foreignBefore[id]);
    const touched = Object.keys(sb.arm.counters().writesByPath).filter(
      (k) =>
        k.includes("/privatelinkservices/pls-sample-app") ||
        k.includes("/mc_rg-aks-other_aks-other_westeurope/"),
    );
    expect(touched).toEqual([]);
    // The demo's own PLS was written: the counters did see the walkthrough's writes.
    expect(
      Object.keys(sb.arm.counters().writesByPath).some((k) => k.endsWith("/privatelinkservices/pls-app")),
    ).toBe(true);
  });

  it("writes the A record into the hub's linked zone; no zone or link in the partner's resource group", () => {
    expect(out.connect.dns).toMatchObject({ zoneId: HUB_ZONE, central: true, record: "app" });
    const record = sb.arm.state().resources[`${HUB_ZONE}/A/app`.toLowerCase()];
    const props = (record?.properties ?? {}) as { aRecords?: Array<{ ipv4Address: string }> };
    expect(props.aRecords).toEqual([{ ipv4Address: out.connected.privateIp }]);
    const partnerDns =
      `${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/privateDnsZones`.toLowerCase();
    expect(ids().filter((k) => k.startsWith(partnerDns))).toEqual([]);
    const dnsWrites = Object.keys(sb.arm.counters().writesByPath).filter((k) =>
      k.includes("/privatednszones/"),
    );
    expect(dnsWrites.length).toBeGreaterThan(0);
    expect(dnsWrites.every((k) => k.includes(HUB_ZONE.toLowerCase()))).toBe(true);
  });
});
