/** expose refuses, before writing, a PLS on a cluster whose load balancers use IP-based backend pools. */
import { describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const world = defaultWorld();
for (const mc of world.managedClusters) mc.loadBalancerBackendPoolType = "NodeIP";
const t = useSandbox({ world });

describe("expose on a cluster with backendPoolType NodeIP", () => {
  it("exits 2 with Azure's reason and the az command that fixes it; writes nothing", async () => {
    await createService(t.core, "web", INTERNAL);
    await t.sb.controller.idle();
    const before = { kube: kubeWrites(t.sb), arm: armWrites(t.sb, "provider") };
    const r = await runCli(["expose", "web"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /IP-based load balancer backend pools[\s\S]*PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer/,
    );
    expect(r.stderr).toMatch(
      /az aks update -g rg-aks -n aks-demo --load-balancer-backend-pool-type nodeIPConfiguration/,
    );
    expect({ kube: kubeWrites(t.sb), arm: armWrites(t.sb, "provider") }).toEqual(before);
  });
});
