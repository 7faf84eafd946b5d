/** --make-internal on a ClusterIP Service: one write makes it an internal LoadBalancer; no public IP ever. */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { A } from "../sandbox/helpers/services.js";

const t = useSandbox();
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";

async function clusterIpService(name: string): Promise<void> {
  await t.core.createNamespacedService({
    namespace: "default",
    body: {
      metadata: { name },
      spec: { type: "ClusterIP", selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  });
}

const publicIpWrites = () =>
  Object.entries(t.sb.arm.counters().byIdentity["aks-controller"]?.byOperation ?? {})
    .filter(([op]) => /^PublicIPAddresses_/.test(op))
    .reduce((sum, [, n]) => sum + n, 0);

describe("expose --make-internal on a ClusterIP Service", () => {
  it("refuses without --make-internal, and says it will not create a public IP", async () => {
    await clusterIpService("cip");
    await t.sb.controller.idle();
    const before = kubeWrites(t.sb);
    const r = await runCli(["expose", "cip"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/type ClusterIP; a Private Link Service needs a Service of type LoadBalancer/);
    expect(r.stderr).toMatch(/--make-internal.*same write.*no public IP/);
    expect(r.stderr).not.toMatch(/kubectl .* patch service/);
    expect(kubeWrites(t.sb)).toBe(before);
  });

  it("makes it an internal LoadBalancer with its PLS, and no public frontend ever appears", async () => {
    const r = await runCli(["expose", "cip", "--make-internal", "-o", "json"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provisioningState: "Succeeded", changed: true });
    const svc = await t.core.readNamespacedService({ name: "cip", namespace: "default" });
    expect(svc.spec?.type).toBe("LoadBalancer");
    expect(svc.metadata?.annotations?.[`${A}azure-load-balancer-internal`]).toBe("true");
    await t.sb.controller.idle();
    expect(publicIpWrites()).toBe(0);
    const net = networkAs(t.sb, "provider");
    const publicIps = [];
    for await (const p of net.publicIPAddresses.list(NODE_RG)) publicIps.push(p);
    expect(publicIps).toEqual([]);
    await expect(net.loadBalancers.get(NODE_RG, "kubernetes")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("refuses a headless Service", async () => {
    await t.core.createNamespacedService({
      namespace: "default",
      body: { metadata: { name: "headless" }, spec: { clusterIP: "None", ports: [{ port: 80 }] } },
    });
    const r = await runCli(["expose", "headless", "--make-internal"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/headless \(clusterIP: None\)/);
  });
});
