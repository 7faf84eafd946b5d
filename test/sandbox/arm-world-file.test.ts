/** Loading a sandbox world from YAML/JSON, with every problem named by its path. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { defaultWorld } from "../../src/sandbox/world.js";
import { loadWorldFile, validateWorld, WorldFileError } from "../../src/sandbox/world-file.js";
import { startTestArm } from "./helpers/arm.js";

const dir = mkdtempSync(join(tmpdir(), "plsctl-world-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("loadWorldFile", () => {
  it("loads the default world from YAML and from JSON", () => {
    expect(loadWorldFile(write("w.yaml", stringify(defaultWorld())))).toEqual(defaultWorld());
    expect(loadWorldFile(write("w.json", JSON.stringify(defaultWorld())))).toEqual(defaultWorld());
  });

  it("lists every problem with its path and what to do", () => {
    const w = defaultWorld() as unknown as Record<string, unknown[]>;
    const ids = w.identities as { tenantId: string; roleAssignments: { role: string }[] }[];
    if (ids[0]) ids[0].tenantId = "not-a-tenant";
    const ra = ids[1]?.roleAssignments[0];
    if (ra) ra.role = "Approver Supreme";
    const vnets = w.virtualNetworks as { subnets: { addressPrefix: string }[] }[];
    const sn = vnets[1]?.subnets[0];
    if (sn) sn.addressPrefix = "192.168.0.0/24";
    const p = write("bad.yaml", stringify(w));
    let err: unknown;
    try {
      loadWorldFile(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorldFileError);
    const msg = (err as Error).message;
    expect(msg).toContain(`Invalid sandbox world in ${p}`);
    expect(msg).toContain('identities[0].tenantId: "not-a-tenant" is not the id of any entry in tenants');
    expect(msg).toContain(
      'identities[1].roleAssignments[0].role: "Approver Supreme" is neither a built-in role',
    );
    expect(msg).toContain("virtualNetworks[1].subnets[0].addressPrefix");
    expect((err as WorldFileError).hint).toMatch(/Fix the file/);
  });

  it("checks a custom role's id (a GUID) instead of failing on it", () => {
    const w = defaultWorld();
    const role = { name: "Approver", actions: ["Microsoft.Network/*/read"] };
    const n = w.roles?.length ?? 0;
    w.roles = [
      ...(w.roles ?? []),
      { ...role, id: "not-a-guid" },
      { ...role, name: "Reader of links", id: "0a1b2c3d-0000-4000-8000-000000000001" },
    ] as never;
    expect(() => validateWorld(w)).toThrow(WorldFileError);
    try {
      validateWorld(w);
    } catch (e) {
      expect((e as WorldFileError).problems).toEqual([
        `roles[${n}].id: must be a GUID (the role definition's name in ARM)`,
      ]);
    }
  });

  it("lists the problems in the order of the file, cluster by cluster", () => {
    const w = defaultWorld();
    const first = w.managedClusters[0];
    if (!first) throw new Error("no cluster");
    w.managedClusters = [
      first,
      {
        ...first,
        resourceGroup: "rg-nope",
        nodes: first.nodes.slice(0, 1).map((n) => ({ ...n, internalIp: "10.99.0.4" })),
      },
    ];
    let err: unknown;
    try {
      validateWorld(w);
    } catch (e) {
      err = e;
    }
    expect((err as WorldFileError).problems).toEqual([
      `managedClusters[1].name: "${first.name}" is the name of another managed cluster`,
      `managedClusters[1].resourceGroup: "rg-nope" is not in resourceGroups for subscription ${first.subscriptionId}`,
      expect.stringMatching(
        /^managedClusters\[1\]\.nodes\[0\]\.internalIp: "10\.99\.0\.4" is not inside the cluster subnet/,
      ),
    ]);
  });

  it("checks the PaaS lists: each entry in a resource group of the world, with a name", () => {
    const w = defaultWorld();
    w.keyVaults = [
      { ...(w.keyVaults?.[0] ?? { subscriptionId: "", location: "" }), resourceGroup: "rg-nope", name: "kv" },
    ];
    w.storageAccounts = [
      {
        subscriptionId: w.subscriptions[0]?.id ?? "",
        resourceGroup: "rg-data",
        location: "westeurope",
      } as never,
    ];
    let err: unknown;
    try {
      loadWorldFile(write("paas.yaml", stringify(w)));
    } catch (e) {
      err = e;
    }
    expect((err as WorldFileError).problems).toEqual([
      `keyVaults[0].resourceGroup: "rg-nope" is not in resourceGroups for subscription ${w.subscriptions[0]?.id}`,
      expect.stringMatching(/^storageAccounts\[0\]\.name/),
    ]);
  });

  it("takes networkDataplane azure or cilium, and reports it on the managed cluster", async () => {
    const w = defaultWorld();
    const mc = w.managedClusters[0];
    if (mc) mc.networkDataplane = "cilium";
    const loaded = loadWorldFile(write("cilium.yaml", stringify(w)));
    expect(loaded.managedClusters[0]?.networkDataplane).toBe("cilium");
    const arm = await startTestArm({ world: loaded });
    try {
      const got = await arm.aks("provider").managedClusters.get("rg-aks", "aks-demo");
      expect(got.networkProfile?.networkDataplane).toBe("cilium");
    } finally {
      await arm.close();
    }
    const bad = stringify(w).replace("networkDataplane: cilium", "networkDataplane: calico");
    expect(() => loadWorldFile(write("calico.yaml", bad))).toThrow(
      /managedClusters\[0\]\.networkDataplane: must be "azure" or "cilium"/,
    );
  });

  it("reports unreadable and unparsable files", () => {
    expect(() => loadWorldFile(join(dir, "missing.yaml"))).toThrow(/cannot read the file/);
    expect(() => loadWorldFile(write("broken.yaml", "tenants: [\n  - id: x\n  bad"))).toThrow(
      /not valid YAML\/JSON/,
    );
    expect(() => loadWorldFile(write("list.yaml", "- a\n- b\n"))).toThrow(/must be a mapping/);
  });

  it("a loaded world drives the emulator (another region and cluster)", async () => {
    const w = defaultWorld();
    const mc = w.managedClusters[0];
    if (mc) mc.name = "aks-other";
    const loaded = loadWorldFile(write("other.yaml", stringify(w)));
    const arm = await startTestArm({ world: loaded });
    try {
      const got = await arm.aks("provider").managedClusters.get("rg-aks", "aks-other");
      expect(got.name).toBe("aks-other");
    } finally {
      await arm.close();
    }
  });
});
