/**
 * netpol's advice about source addresses by network plugin: under Azure CNI in node-subnet mode the
 * default NAT subnet (the node subnet) is the pods' subnet, which externalTrafficPolicy: Local
 * forbids, so the advice is a dedicated NAT subnet first; with a pod subnet, overlay or kubenet,
 * only the kubectl patch.
 */
import { describe, expect, it } from "vitest";
import { defaultWorld, type ManagedClusterSpec, type WorldSpec } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

function world(network: Partial<ManagedClusterSpec>): WorldSpec {
  const w = defaultWorld();
  const mc = w.managedClusters[0];
  if (!mc) throw new Error("no cluster");
  Object.assign(mc, network);
  w.virtualNetworks[0]?.subnets.push({ name: "pod-subnet", addressPrefix: "10.226.0.0/16" });
  return w;
}

async function netpol(
  t: ReturnType<typeof useSandbox>,
  name: string,
  spec: Record<string, unknown>,
  flags: string[] = [],
) {
  await createService(t.core, name, INTERNAL, spec);
  const e = await runCli(["expose", name, ...flags], { env: t.env });
  expect(e.code, e.stderr).toBe(0);
  return runCli(["netpol", name], { env: t.env });
}

const DEDICATED = "--nat-subnet <dedicated subnet>";

describe("Azure CNI, node-subnet mode", () => {
  const t = useSandbox({ world: world({ network: "azure-cni" }) });

  it("externalTrafficPolicy: Cluster with the NAT IPs in the node subnet: first a dedicated NAT subnet, then Local", async () => {
    const r = await netpol(t, "cni-cluster", {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "the PLS NAT subnet aks-subnet is also the pods' subnet (Azure CNI in node-subnet mode",
    );
    expect(r.stderr).toContain(
      `first move the NAT IPs to a subnet of their own: plsctl expose cni-cluster -n default ${DEDICATED}`,
    );
    expect(r.stderr).toContain(`kubectl patch svc cni-cluster -n default`);
  });

  it("externalTrafficPolicy: Local with the NAT IPs in the node subnet: warns, advising a dedicated NAT subnet", async () => {
    const r = await netpol(t, "cni-local", { externalTrafficPolicy: "Local" });
    expect(r.stderr).toContain(
      "has externalTrafficPolicy: Local, but the PLS NAT subnet aks-subnet is also the pods' subnet",
    );
    expect(r.stderr).toContain(`plsctl expose cni-local -n default ${DEDICATED}`);
  });

  it("a dedicated NAT subnet: no such warning", async () => {
    const r = await netpol(t, "cni-nat", { externalTrafficPolicy: "Local" }, [
      "--nat-subnet",
      "pls-nat-subnet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("pods' subnet");
  });
});

describe("Azure CNI with a pod subnet", () => {
  const t = useSandbox({ world: world({ network: "azure-cni", podSubnetName: "pod-subnet" }) });
  it("the node subnet is not the pods': only the kubectl patch", async () => {
    const r = await netpol(t, "podsubnet", {});
    expect(r.stderr).toContain("kubectl patch svc podsubnet");
    expect(r.stderr).not.toContain(DEDICATED);
  });
});

describe("kubenet", () => {
  const t = useSandbox({ world: world({ network: "kubenet" }) });
  it("pods are outside the VNet: only the kubectl patch", async () => {
    const r = await netpol(t, "kubenet", {});
    expect(r.stderr).toContain("kubectl patch svc kubenet");
    expect(r.stderr).not.toContain(DEDICATED);
  });
});
