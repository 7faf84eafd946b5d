/**
 * Network resources the AKS cloud controller drives: LB frontend IP allocation, PLS validation
 * and allocation, subnets; long-running operations with a delay; state across restarts.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RestError } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { startArmEmulator } from "../../src/sandbox/arm/index.js";
import {
  AKS_SUBNET_ID,
  NODE_RG,
  PART_SUB,
  PE_SUBNET_ID,
  PROV_SUB,
  seedPls,
  startTestArm,
  type TestArm,
} from "./helpers/arm.js";

const opened: TestArm[] = [];
const start = async (o: Parameters<typeof startTestArm>[0] = {}) => {
  const a = await startTestArm(o);
  opened.push(a);
  return a;
};
const dirs: string[] = [];
afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const restError = async (p: Promise<unknown>): Promise<RestError> => {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
};
const LB = "kubernetes-internal";
const lbBody = (fronts: { name: string; ip?: string }[]) => ({
  location: "westeurope",
  sku: { name: "Standard" as const },
  frontendIPConfigurations: fronts.map((f) => ({
    name: f.name,
    privateIPAllocationMethod: f.ip ? ("Static" as const) : ("Dynamic" as const),
    ...(f.ip ? { privateIPAddress: f.ip } : {}),
    subnet: { id: AKS_SUBNET_ID },
    privateIPAddressVersion: "IPv4" as const,
  })),
  backendAddressPools: [{ name: "kubernetes" }],
  probes: [{ name: "p80", protocol: "Tcp" as const, port: 30080, intervalInSeconds: 5, numberOfProbes: 2 }],
});

describe("load balancer frontends", () => {
  it("allocate from the subnet after the reserved and node addresses, stay stable, free on removal", async () => {
    const arm = await start();
    const net = arm.net("aks-controller");
    const lb = await net.loadBalancers.createOrUpdate(NODE_RG, LB, lbBody([{ name: "fe1" }]));
    expect(lb.frontendIPConfigurations?.[0]?.privateIPAddress).toBe("10.224.0.7");
    expect(lb.provisioningState).toBe("Succeeded");
    expect(lb.probes?.[0]?.port).toBe(30080);
    const two = await net.loadBalancers.createOrUpdate(
      NODE_RG,
      LB,
      lbBody([{ name: "fe2" }, { name: "fe1" }]),
    );
    const ips = Object.fromEntries(
      (two.frontendIPConfigurations ?? []).map((f) => [f.name, f.privateIPAddress]),
    );
    expect(ips).toEqual({ fe1: "10.224.0.7", fe2: "10.224.0.8" });
    const clash = await restError(
      net.loadBalancers.createOrUpdate(
        NODE_RG,
        LB,
        lbBody([{ name: "fe1" }, { name: "fe2" }, { name: "fe3", ip: "10.224.0.8" }]),
      ),
    );
    expect(clash.code).toBe("PrivateIPAddressInUse");
    const reserved = await restError(
      net.loadBalancers.createOrUpdate(
        NODE_RG,
        LB,
        lbBody([{ name: "fe1" }, { name: "fe3", ip: "10.224.0.5" }]),
      ),
    );
    expect(reserved.code).toBe("PrivateIPAddressInUse");
    const outside = await restError(
      net.loadBalancers.createOrUpdate(NODE_RG, LB, lbBody([{ name: "fe3", ip: "192.168.0.5" }])),
    );
    expect(outside.code).toBe("PrivateIPAddressNotInSubnet");
    await net.loadBalancers.createOrUpdate(NODE_RG, LB, lbBody([{ name: "fe2" }]));
    const three = await net.loadBalancers.createOrUpdate(
      NODE_RG,
      LB,
      lbBody([{ name: "fe2" }, { name: "fe9" }]),
    );
    expect(three.frontendIPConfigurations?.find((f) => f.name === "fe9")?.privateIPAddress).toBe(
      "10.224.0.7",
    );
  });

  it("a frontend a PLS uses carries the back reference and cannot be removed", async () => {
    const arm = await start();
    const pls = await seedPls(arm);
    const net = arm.net("aks-controller");
    // Read-only back reference on the wire (the SDK model has no field for it).
    const lb = await arm.raw(
      "GET",
      `${pls.frontendId.replace(/\/frontendIPConfigurations\/.*$/, "")}?api-version=2026-01-01`,
      { identity: "aks-controller" },
    );
    const fronts = (
      lb.body as {
        properties: { frontendIPConfigurations: { properties: { privateLinkService?: { id: string } } }[] };
      }
    ).properties.frontendIPConfigurations;
    expect(fronts[0]?.properties.privateLinkService?.id).toBe(pls.id);
    const err = await restError(net.loadBalancers.createOrUpdate(NODE_RG, LB, lbBody([{ name: "other" }])));
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain(pls.id);
  });
});

describe("private link service PUT", () => {
  const plsBody = (frontendId: string, o: { subnet?: string; n?: number; ip?: string } = {}) => ({
    location: "westeurope",
    loadBalancerFrontendIpConfigurations: [{ id: frontendId }],
    ipConfigurations: Array.from({ length: o.n ?? 1 }, (_, i) => ({
      name: `nat-${i}`,
      privateIPAllocationMethod: o.ip ? ("Static" as const) : ("Dynamic" as const),
      ...(o.ip ? { privateIPAddress: o.ip } : {}),
      subnet: { id: o.subnet ?? AKS_SUBNET_ID },
      primary: i === 0,
    })),
    visibility: { subscriptions: [PART_SUB] },
  });

  it("validates like Azure: subnet policies, frontend, name, count, one PLS per frontend", async () => {
    const arm = await start();
    const net = arm.net("aks-controller");
    const lb = await net.loadBalancers.createOrUpdate(
      NODE_RG,
      LB,
      lbBody([{ name: "fe1" }, { name: "fe2" }]),
    );
    const fe1 = lb.frontendIPConfigurations?.[0]?.id ?? "";
    const policies = await restError(net.privateLinkServices.createOrUpdate(NODE_RG, "pls1", plsBody(fe1)));
    expect(policies.code).toBe("PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled");
    const subnet = await net.subnets.get("rg-aks", "aks-vnet", "aks-subnet");
    await net.subnets.createOrUpdate("rg-aks", "aks-vnet", "aks-subnet", {
      ...subnet,
      privateLinkServiceNetworkPolicies: "Disabled",
    });
    expect(
      (await net.subnets.get("rg-aks", "aks-vnet", "aks-subnet")).privateLinkServiceNetworkPolicies,
    ).toBe("Disabled");
    const missing = await restError(
      net.privateLinkServices.createOrUpdate(NODE_RG, "pls1", plsBody(`${fe1}x`)),
    );
    expect(missing.code).toBe("InvalidResourceReference");
    const badName = await restError(net.privateLinkServices.createOrUpdate(NODE_RG, "-bad-", plsBody(fe1)));
    expect(badName.code).toBe("InvalidResourceName");
    const nine = await restError(
      net.privateLinkServices.createOrUpdate(NODE_RG, "pls1", plsBody(fe1, { n: 9 })),
    );
    expect(nine.statusCode).toBe(400);
    const created = await net.privateLinkServices.createOrUpdate(NODE_RG, "pls1", plsBody(fe1, { n: 2 }));
    expect(created.ipConfigurations?.map((i) => i.privateIPAddress)).toEqual(["10.224.0.9", "10.224.0.10"]);
    expect(created.networkInterfaces?.[0]?.id).toMatch(/\/networkInterfaces\/pls1\.nic\.[0-9a-f-]{36}$/);
    const second = await restError(net.privateLinkServices.createOrUpdate(NODE_RG, "pls2", plsBody(fe1)));
    expect(second.statusCode).toBe(400);
    const v6 = await net.loadBalancers.createOrUpdate(NODE_RG, LB, {
      ...lbBody([{ name: "fe1" }, { name: "fe2" }]),
      frontendIPConfigurations: [
        ...(lbBody([{ name: "fe1" }, { name: "fe2" }]).frontendIPConfigurations ?? []),
        {
          name: "fe6",
          privateIPAllocationMethod: "Dynamic",
          subnet: { id: AKS_SUBNET_ID },
          privateIPAddressVersion: "IPv6",
        },
      ],
    });
    const v6Id = v6.frontendIPConfigurations?.find((f) => f.name === "fe6")?.id ?? "";
    expect(
      (await restError(net.privateLinkServices.createOrUpdate(NODE_RG, "pls6", plsBody(v6Id)))).code,
    ).toBe("PrivateLinkServiceIpv6NotSupported");
    const staticTaken = await restError(
      net.privateLinkServices.createOrUpdate(
        NODE_RG,
        "pls2",
        plsBody(lb.frontendIPConfigurations?.[1]?.id ?? "", { ip: "10.224.0.9" }),
      ),
    );
    expect(staticTaken.code).toBe("PrivateIPAddressInUse");
  });

  it("keeps the alias, NAT IPs and connections across updates", async () => {
    const arm = await start();
    const pls = await seedPls(arm);
    await arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    });
    const net = arm.net("aks-controller");
    const before = await net.privateLinkServices.get(NODE_RG, pls.id.split("/").pop() ?? "");
    const updated = await net.privateLinkServices.createOrUpdate(NODE_RG, before.name ?? "", {
      ...before,
      fqdns: ["app.contoso.example"],
      enableProxyProtocol: true,
      privateEndpointConnections: [],
    });
    expect(updated.alias).toBe(pls.alias);
    expect(updated.fqdns).toEqual(["app.contoso.example"]);
    expect(updated.enableProxyProtocol).toBe(true);
    expect(updated.ipConfigurations?.[0]?.privateIPAddress).toBe(
      before.ipConfigurations?.[0]?.privateIPAddress,
    );
    expect(updated.privateEndpointConnections).toHaveLength(1);
    expect(updated.tags?.["k8s-azure-owner-service"]).toBe("default/web");
  });
});

describe("linked access and stored-as-sent resources", () => {
  it("an endpoint in a subnet the caller cannot join fails with LinkedAuthorizationFailed", async () => {
    const arm = await start();
    const pls = await seedPls(arm, { visibility: ["*"] });
    const err = await restError(
      arm.net("ci").privateEndpoints.createOrUpdate(NODE_RG, "pe-x", {
        location: "westeurope",
        subnet: { id: AKS_SUBNET_ID },
        manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
      }),
    );
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe("AuthorizationFailed");
    const w = await restError(
      arm.net("provider").privateEndpoints.createOrUpdate("rg-aks", "pe-x", {
        location: "westeurope",
        subnet: { id: PE_SUBNET_ID },
        manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
      }),
    );
    expect(w.statusCode).toBe(403);
    expect(w.code).toBe("LinkedAuthorizationFailed");
    expect(w.message).toContain("Microsoft.Network/virtualNetworks/subnets/join/action");
  });

  it("a public IP address gets its address on creation and keeps it", async () => {
    const arm = await start();
    const net = arm.net("aks-controller");
    const pip = await net.publicIPAddresses.createOrUpdate(NODE_RG, "kubernetes-a1", {
      location: "westeurope",
      sku: { name: "Standard" },
    });
    expect(pip.ipAddress).toMatch(/^20\.103\.\d+\.\d+$/);
    expect(pip.publicIPAllocationMethod).toBe("Static");
    const again = await net.publicIPAddresses.createOrUpdate(NODE_RG, "kubernetes-a1", {
      location: "westeurope",
      sku: { name: "Standard" },
      tags: { a: "b" },
    });
    expect(again.ipAddress).toBe(pip.ipAddress);
    const other = await net.publicIPAddresses.createOrUpdate(NODE_RG, "kubernetes-a2", {
      location: "westeurope",
      sku: { name: "Standard" },
    });
    expect(other.ipAddress).not.toBe(pip.ipAddress);
  });

  it("network security groups are stored as sent", async () => {
    const arm = await start();
    const net = arm.net("aks-controller");
    const nsg = await net.networkSecurityGroups.createOrUpdate(NODE_RG, "aks-agentpool-nsg", {
      location: "westeurope",
      securityRules: [
        {
          name: "allow-80",
          protocol: "Tcp",
          access: "Allow",
          direction: "Inbound",
          priority: 500,
          sourceAddressPrefix: "*",
          sourcePortRange: "*",
          destinationAddressPrefix: "10.224.0.7",
          destinationPortRange: "80",
        },
      ],
    });
    expect(nsg.securityRules?.[0]?.destinationAddressPrefix).toBe("10.224.0.7");
    expect(
      (await net.networkSecurityGroups.get(NODE_RG, "aks-agentpool-nsg")).securityRules?.[0]?.id,
    ).toMatch(/securityRules\/allow-80$/);
  });
});

describe("long-running operations with a delay", () => {
  it("stay Updating until the delay ends; the SDK polls Azure-AsyncOperation to Succeeded", async () => {
    const seeded = await startTestArm();
    const pls = await seedPls(seeded);
    await seeded.close({ keepDir: true });
    dirs.push(seeded.dir);
    const arm = await start({ stateDir: seeded.dir, lroDelayMs: 300 });
    const poller = arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    });
    await new Promise((r) => setTimeout(r, 50));
    const mid = await arm.raw(
      "GET",
      `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe1?api-version=2026-01-01`,
      { identity: "partner" },
    );
    expect((mid.body as { properties: { provisioningState: string } }).properties.provisioningState).toBe(
      "Updating",
    );
    const pe = await poller;
    expect(pe.provisioningState).toBe("Succeeded");
    // How long it took on the wall clock is a figure of `npm run bench` (scripts/bench/sandbox-delays.ts).
    const initial = arm.recorded.find((r) => r.method === "PUT" && r.url.includes("/privateEndpoints/pe1"));
    expect(initial?.status).toBe(201);
    expect(initial?.headers["azure-asyncoperation"]).toMatch(
      /\/providers\/Microsoft\.Network\/locations\/westeurope\/operations\/[0-9a-f-]{36}\?api-version=2026-01-01$/,
    );
    const polls = arm.recorded.filter((r) => r.url.includes("/operations/"));
    expect(polls.map((p) => JSON.parse(p.body ?? "{}").status)).toEqual(["InProgress", "Succeeded"]);
    expect(arm.emu.counters().byOperation.Operations_Poll).toBeGreaterThanOrEqual(2);
  });
});

describe("private endpoint NICs", () => {
  it("take the first free address of the consumer subnet, honour static requests, free them on delete", async () => {
    const arm = await start();
    const pls = await seedPls(arm);
    const net = arm.net("partner");
    const mk = (name: string, ip?: string) =>
      net.privateEndpoints.createOrUpdate("rg-partner", name, {
        location: "westeurope",
        subnet: { id: PE_SUBNET_ID },
        manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
        ...(ip ? { ipConfigurations: [{ name: "static", privateIPAddress: ip }] } : {}),
      });
    const ipOf = async (name: string) => {
      const pe = await net.privateEndpoints.get("rg-partner", name);
      const nic = await net.networkInterfaces.get(
        "rg-partner",
        pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? "",
      );
      return nic.ipConfigurations?.[0]?.privateIPAddress;
    };
    await mk("pe1");
    await mk("pe2", "10.0.0.50");
    await mk("pe3");
    expect([await ipOf("pe1"), await ipOf("pe2"), await ipOf("pe3")]).toEqual([
      "10.0.0.4",
      "10.0.0.50",
      "10.0.0.5",
    ]);
    expect((await restError(mk("pe4", "10.0.0.50"))).code).toBe("PrivateIPAddressInUse");
    await net.privateEndpoints.delete("rg-partner", "pe1");
    await mk("pe5");
    expect(await ipOf("pe5")).toBe("10.0.0.4");
  });
});

describe("a failed long-running operation", () => {
  it("ends Failed with the error; the SDK poller rejects with it", async () => {
    const arm = await start();
    const pls = await seedPls(arm);
    arm.emu.setFaults([
      {
        operation: "PrivateEndpoints_CreateOrUpdate",
        kind: "lroFailed",
        errorCode: "PrivateEndpointCreationFailed",
        errorMessage: "boom",
        times: 1,
      },
    ]);
    const body = {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    };
    await expect(
      arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", body),
    ).rejects.toThrow(/The long-running operation has failed\. PrivateEndpointCreationFailed\. boom/);
    const raw = await arm.raw(
      "GET",
      `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe1?api-version=2026-01-01`,
      { identity: "partner" },
    );
    expect((raw.body as { properties: { provisioningState: string } }).properties.provisioningState).toBe(
      "Failed",
    );
    const again = await arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", body);
    expect(again.provisioningState).toBe("Succeeded");
  });
});

describe("state", () => {
  it("survives a restart of the same state directory, tokens included", async () => {
    const first = await startTestArm();
    const pls = await seedPls(first);
    await first.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: "c", privateLinkServiceId: pls.alias }],
    });
    const tokens = { ...first.emu.tokens };
    await first.close({ keepDir: true });
    dirs.push(first.dir);
    const second = await start({ stateDir: first.dir });
    expect(second.emu.tokens).toEqual(tokens);
    const again = await second.net("ci").privateLinkServices.get(NODE_RG, pls.id.split("/").pop() ?? "");
    expect(again.alias).toBe(pls.alias);
    expect(again.privateEndpointConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe("Pending");
    const pe = await second.net("partner").privateEndpoints.get("rg-partner", "pe1");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceId).toBe(pls.alias);
  });

  it("a corrupted state file is reported with its path and never overwritten", async () => {
    const first = await startTestArm();
    await first.close({ keepDir: true });
    dirs.push(first.dir);
    const file = join(first.dir, "arm-state.json");
    writeFileSync(file, '{"format":"plsctl-arm-state", truncated');
    await expect(startArmEmulator({ stateDir: first.dir })).rejects.toThrow(
      new RegExp(`${file}.*corrupted.*remove`, "s"),
    );
    writeFileSync(file, "[]");
    await expect(startArmEmulator({ stateDir: first.dir })).rejects.toThrow(/not a plsctl ARM state/);
  });

  it("reset() returns to the world and keeps tokens; the managed cluster is there", async () => {
    const arm = await start();
    await seedPls(arm);
    const tokens = { ...arm.emu.tokens };
    await arm.emu.reset();
    expect(arm.emu.tokens).toEqual(tokens);
    const list = [];
    for await (const p of arm.net("ci").privateLinkServices.list(NODE_RG)) list.push(p);
    expect(list).toEqual([]);
    const mc = await arm.aks("provider", PROV_SUB).managedClusters.get("rg-aks", "aks-demo");
    expect(mc).toMatchObject({ nodeResourceGroup: NODE_RG, location: "westeurope" });
    expect(mc.identity?.type).toBe("SystemAssigned");
  });
});
