/**
 * World files can hold another cluster's PLS (on its own load balancer, in a shared resource group,
 * with identical tags) and the cluster's backend pool type; problems are named by path.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadWorldFile, type WorldFileError } from "../../src/sandbox/world-file.js";
import { FOREIGN_PLS, OTHER_NODE_RG, SHARED_RG, sharedPlsWorld } from "../helpers/shared-pls-world.js";
import { startTestArm } from "./helpers/arm.js";

const dir = mkdtempSync(join(tmpdir(), "plsctl-world-pls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("privateLinkServices and loadBalancerBackendPoolType in a world file", () => {
  it("seeds the load balancer and the PLS, tags, NAT IP and visibility as given", async () => {
    const w = sharedPlsWorld("default/sample-app");
    for (const mc of w.managedClusters) mc.loadBalancerBackendPoolType = "NodeIP";
    const loaded = loadWorldFile(write("shared.yaml", stringify(w)));
    expect(loaded).toEqual(w);
    const arm = await startTestArm({ world: loaded });
    try {
      const pls = await arm.net("provider").privateLinkServices.get(SHARED_RG, FOREIGN_PLS);
      expect(pls.tags).toEqual({
        "k8s-azure-cluster-name": "kubernetes",
        "k8s-azure-owner-service": "default/sample-app",
      });
      expect(pls.alias).toMatch(/^pls-web\.[0-9a-f-]{36}\.westeurope\.azure\.privatelinkservice$/);
      expect(pls.ipConfigurations?.[0]?.privateIPAddress).toBe("10.50.0.11");
      expect(pls.visibility?.subscriptions).toEqual([w.subscriptions[1]?.id]);
      const lb = await arm.net("provider").loadBalancers.get(OTHER_NODE_RG, "kubernetes-internal");
      expect(pls.loadBalancerFrontendIpConfigurations?.[0]?.id).toBe(lb.frontendIPConfigurations?.[0]?.id);
      expect(lb.frontendIPConfigurations?.[0]?.privateIPAddress).toBe("10.50.0.10");
      const mc = await arm.aks("provider").managedClusters.get("rg-aks", "aks-demo");
      expect(mc.networkProfile?.loadBalancerProfile?.backendPoolType).toBe("NodeIP");
    } finally {
      await arm.close();
    }
  });

  it("names every problem by its path", () => {
    const w = sharedPlsWorld() as unknown as {
      privateLinkServices: Record<string, unknown>[];
      managedClusters: Record<string, unknown>[];
    };
    const p = w.privateLinkServices[0] ?? {};
    p.resourceGroup = "rg-nope";
    p.natIp = "10.99.0.1";
    p.subnet = { resourceGroup: "rg-other", vnetName: "other-vnet", name: "nope" };
    (p.loadBalancer as Record<string, unknown>).privateIp = "not-an-ip";
    p.visibility = ["someone"];
    if (w.managedClusters[0]) w.managedClusters[0].loadBalancerBackendPoolType = "PodIP";
    let err: WorldFileError | undefined;
    try {
      loadWorldFile(write("bad.yaml", stringify(w)));
    } catch (e) {
      err = e as WorldFileError;
    }
    expect(err?.problems).toEqual(
      expect.arrayContaining([
        'managedClusters[0].loadBalancerBackendPoolType: must be "NodeIPConfiguration" or "NodeIP"',
        expect.stringMatching(/^privateLinkServices\[0\]\.resourceGroup: "rg-nope" is not in resourceGroups/),
        "privateLinkServices[0].visibility: must be a list of subscription ids (or *)",
        "privateLinkServices[0].subnet: is not a subnet of virtualNetworks",
        'privateLinkServices[0].loadBalancer.privateIp: "not-an-ip" is not an IPv4 address',
      ]),
    );
  });
});
