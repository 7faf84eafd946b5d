/**
 * The Kubernetes emulator's NetworkPolicies as the apiserver defaults and validates them, and
 * cilium.io/v2 CiliumNetworkPolicy served exactly when the world's cluster runs Cilium.
 */
import {
  ApisApi,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  type V1NetworkPolicy,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { startTestKube, type TestKube } from "./helpers/kube.js";

let k: TestKube;
let net: NetworkingV1Api;
const client = <T>(kube: TestKube, api: new (...a: never[]) => T): T => {
  const kc = new KubeConfig();
  kc.loadFromFile(kube.emu.kubeconfigPath);
  return kc.makeApiClient(api as never) as T;
};

beforeAll(async () => {
  k = await startTestKube();
  net = client(k, NetworkingV1Api);
});
afterAll(async () => k?.stop());

const create = (name: string, spec: V1NetworkPolicy["spec"]) =>
  net.createNamespacedNetworkPolicy({ namespace: "default", body: { metadata: { name }, spec } });

async function refusal(
  name: string,
  spec: V1NetworkPolicy["spec"],
): Promise<{ code: number; message: string }> {
  const err = await create(name, spec).then(
    () => undefined,
    (e: { code: number; body: string }) => e,
  );
  if (!err) throw new Error(`${name} was accepted`);
  return { code: err.code, message: JSON.parse(err.body).message };
}

describe("NetworkPolicy defaulting", () => {
  it("defaults policyTypes from the rules and a port's protocol to TCP", async () => {
    const ingressOnly = await create("defaults-ingress", {
      podSelector: {},
      ingress: [{ ports: [{ port: 8080 }] }],
    });
    expect(ingressOnly.spec?.policyTypes).toEqual(["Ingress"]);
    expect(ingressOnly.spec?.ingress?.[0]?.ports?.[0]?.protocol).toBe("TCP");
    const both = await create("defaults-both", { podSelector: {}, egress: [{}] });
    expect(both.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
  });
});

describe("NetworkPolicy validation (422 Invalid, nothing stored)", () => {
  it.each([
    [
      "bad-cidr",
      { podSelector: {}, ingress: [{ _from: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }] },
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value',
    ],
    [
      "bad-except",
      {
        podSelector: {},
        ingress: [{ _from: [{ ipBlock: { cidr: "10.224.0.0/16", except: ["10.225.0.0/24"] } }] }],
      },
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.225.0.0/24": must be a strict subset of `cidr`',
    ],
    [
      "two-peers",
      { podSelector: {}, ingress: [{ _from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }] },
      "spec.ingress[0].from[0]: Forbidden: may not specify more than 1 peer",
    ],
    [
      "named-endport",
      { podSelector: {}, ingress: [{ ports: [{ port: "http", endPort: 9000 }] }] },
      "spec.ingress[0].ports[0].endPort: Forbidden: may not be specified when port is non-numeric",
    ],
    [
      "low-endport",
      { podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 80 }] }] },
      "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`",
    ],
    [
      "bad-protocol",
      { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: "ICMP" }] }] },
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP"',
    ],
  ] as Array<[string, V1NetworkPolicy["spec"], string]>)("refuses %s", async (name, spec, detail) => {
    const r = await refusal(name, spec);
    expect(r.code).toBe(422);
    expect(r.message).toContain(`NetworkPolicy.networking.k8s.io "${name}" is invalid`);
    expect(r.message).toContain(detail);
    const gone = await net.readNamespacedNetworkPolicy({ name, namespace: "default" }).catch((e) => e.code);
    expect(gone).toBe(404);
  });

  it("accepts a valid ipBlock with except, a named port and an endPort range", async () => {
    const ok = await create("valid", {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [
        {
          _from: [{ ipBlock: { cidr: "10.224.0.0/16", except: ["10.224.0.0/24"] } }],
          ports: [{ port: "http" }, { port: 8000, endPort: 8080, protocol: "TCP" }],
        },
      ],
    });
    expect(ok.spec?.ingress?.[0]?._from?.[0]?.ipBlock?.except).toEqual(["10.224.0.0/24"]);
  });
});

describe("cilium.io/v2 follows the cluster's dataplane", () => {
  it("is not served by default", async () => {
    const groups = await client(k, ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).not.toContain("cilium.io");
  });

  it("is served, discovered and stored on a Cilium cluster", async () => {
    const world = defaultWorld();
    const [cluster] = world.managedClusters;
    if (cluster) cluster.networkDataplane = "cilium";
    const cilium = await startTestKube({ world });
    try {
      const groups = await client(cilium, ApisApi).getAPIVersions();
      expect(groups.groups.find((g) => g.name === "cilium.io")?.preferredVersion?.groupVersion).toBe(
        "cilium.io/v2",
      );
      const custom = client(cilium, CustomObjectsApi);
      const resources = await custom.getAPIResources({ group: "cilium.io", version: "v2" });
      expect(resources.resources.find((r) => r.name === "ciliumnetworkpolicies")).toMatchObject({
        kind: "CiliumNetworkPolicy",
        namespaced: true,
        shortNames: ["cnp", "ciliumnp"],
      });
      const at = { group: "cilium.io", version: "v2", plural: "ciliumnetworkpolicies", namespace: "default" };
      await custom.createNamespacedCustomObject({
        ...at,
        body: {
          apiVersion: "cilium.io/v2",
          kind: "CiliumNetworkPolicy",
          metadata: { name: "p" },
          spec: { endpointSelector: {}, ingress: [{ fromCIDR: ["10.224.0.9/32"] }] },
        },
      });
      const got = (await custom.getNamespacedCustomObject({ ...at, name: "p" })) as {
        metadata: { generation: number };
      };
      expect(got.metadata.generation).toBe(1);
    } finally {
      await cilium.stop();
    }
  });
});
