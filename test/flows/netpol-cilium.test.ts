/**
 * `plsctl netpol --flavor cilium --apply` on a cluster that runs Cilium (the world's
 * `networkDataplane: cilium`, as Azure CNI powered by Cilium): the sandbox then serves cilium.io/v2
 * CiliumNetworkPolicy; the policy is created, left alone on a re-run, and kubectl lists it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultWorld } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites } from "../helpers/sandbox-sdk.js";
import { kubectlBinaries } from "../sandbox/helpers/kube.js";
import { kubeConfigOf } from "../sandbox/helpers/sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

function ciliumWorld() {
  const world = defaultWorld();
  const [cluster] = world.managedClusters;
  if (cluster) cluster.networkDataplane = "cilium";
  return world;
}

const t = useSandbox({ world: ciliumWorld() });

const CNP = { group: "cilium.io", version: "v2", plural: "ciliumnetworkpolicies", namespace: "default" };

describe("netpol --flavor cilium on a Cilium cluster", () => {
  it("creates the CiliumNetworkPolicy, then writes nothing on a re-run", async () => {
    await createService(t.core, "web", INTERNAL, { externalTrafficPolicy: "Local" });
    const exposed = await runCli(["expose", "web", "-o", "json"], { env: t.env });
    expect(exposed.code, exposed.stderr).toBe(0);
    const natIps: string[] = JSON.parse(exposed.stdout).natIps;

    const first = await runCli(["netpol", "web", "--flavor", "cilium", "--apply"], { env: t.env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("CiliumNetworkPolicy default/web-private-link created");
    const custom = kubeConfigOf(t.sb).makeApiClient(CustomObjectsApi);
    const stored = (await custom.getNamespacedCustomObject({ ...CNP, name: "web-private-link" })) as {
      metadata: { resourceVersion: string; generation: number };
      spec: unknown;
    };
    expect(stored.spec).toEqual({
      endpointSelector: { matchLabels: { app: "web" } },
      ingress: [
        {
          fromCIDR: natIps.map((ip) => `${ip}/32`),
          toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }],
        },
      ],
    });

    await t.sb.controller.idle();
    const writes = kubeWrites(t.sb);
    const again = await runCli(["netpol", "web", "--flavor", "cilium", "--apply"], { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("is up to date; nothing changed");
    expect(kubeWrites(t.sb)).toBe(writes);
    const after = (await custom.getNamespacedCustomObject({
      ...CNP,
      name: "web-private-link",
    })) as typeof stored;
    expect(after.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);

    const kubectl = kubectlBinaries().at(-1);
    if (!kubectl) return; // no kubectl on this machine: the client-node reads above stand
    const { stdout } = await promisify(execFile)(kubectl.bin, [
      "--kubeconfig",
      t.sb.kube.kubeconfigPath,
      "get",
      "cnp",
      "-o",
      "yaml",
    ]);
    expect(parse(stdout).items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      "web-private-link",
    ]);
  });
});
