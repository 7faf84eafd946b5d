/**
 * The objects a fresh AKS cluster has, built from the world: the four system namespaces, one Node
 * per world node (labels and providerID exactly as AKS sets them), and the `kubernetes` Service
 * (10.0.0.1) with its Endpoints, plus `kube-dns` (10.0.0.10) in kube-system.
 */
import { randomUUID } from "node:crypto";
import type { ManagedClusterSpec, WorldSpec } from "../world.js";
import { findResource, type KObj, type ResourceDef } from "./resources.js";

export const API_SERVER_IP = "20.31.112.17";

function must(plural: string, group = ""): ResourceDef {
  const r = findResource(group, "v1", plural);
  if (!r) throw new Error(`resource ${plural} missing`);
  return r;
}

function meta(name: string, now: string, extra: Partial<KObj["metadata"]> = {}): KObj["metadata"] {
  return { name, uid: randomUUID(), creationTimestamp: now, ...extra };
}

/** `aks-nodepool1-11106896-vmss` → `nodepool1`. */
function agentPool(vmss: string): string {
  return /^aks-([a-z0-9]+)-/.exec(vmss)?.[1] ?? "nodepool1";
}

export function nodeObjects(cluster: ManagedClusterSpec, now: string): KObj[] {
  const rgLower = cluster.nodeResourceGroup.toLowerCase();
  return cluster.nodes.map((n, i) => {
    const pool = agentPool(n.vmssName);
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: meta(n.name, now, {
        labels: {
          agentpool: pool,
          "beta.kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/instance-type": "Standard_DS2_v2",
          "beta.kubernetes.io/os": "linux",
          "failure-domain.beta.kubernetes.io/region": cluster.location,
          "failure-domain.beta.kubernetes.io/zone": "0",
          "kubernetes.azure.com/agentpool": pool,
          "kubernetes.azure.com/cluster": cluster.nodeResourceGroup,
          "kubernetes.azure.com/mode": "system",
          "kubernetes.azure.com/node-image-version": "AKSUbuntu-2204gen2containerd-202501.12.0",
          "kubernetes.azure.com/nodepool-type": "VirtualMachineScaleSets",
          "kubernetes.azure.com/os-sku": "Ubuntu",
          "kubernetes.azure.com/role": "agent",
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/hostname": n.name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/role": "agent",
          "node-role.kubernetes.io/agent": "",
          "node.kubernetes.io/instance-type": "Standard_DS2_v2",
          "topology.kubernetes.io/region": cluster.location,
          "topology.kubernetes.io/zone": "0",
        },
        annotations: {
          "node.alpha.kubernetes.io/ttl": "0",
          "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        },
      }),
      spec: {
        podCIDR: `10.244.${i}.0/24`,
        podCIDRs: [`10.244.${i}.0/24`],
        providerID: `azure:///subscriptions/${cluster.subscriptionId}/resourceGroups/${rgLower}/providers/Microsoft.Compute/virtualMachineScaleSets/${n.vmssName}/virtualMachines/${n.instanceId}`,
      },
      status: {
        addresses: [
          { type: "InternalIP", address: n.internalIp },
          { type: "Hostname", address: n.name },
        ],
        allocatable: { cpu: "1900m", "ephemeral-storage": "119703055367", memory: "4652480Ki", pods: "110" },
        capacity: { cpu: "2", "ephemeral-storage": "129886128Ki", memory: "7097792Ki", pods: "110" },
        conditions: [
          [
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
          ],
          ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
          ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
          ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
        ].map(([type, status, reason, message]) => ({
          type,
          status,
          reason,
          message,
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        })),
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: "amd64",
          bootID: randomUUID(),
          containerRuntimeVersion: "containerd://1.7.25-1",
          kernelVersion: "5.15.0-1079-azure",
          kubeProxyVersion: `v${cluster.kubernetesVersion}`,
          kubeletVersion: `v${cluster.kubernetesVersion}`,
          machineID: randomUUID().replace(/-/g, ""),
          operatingSystem: "linux",
          osImage: "Ubuntu 22.04.5 LTS",
          systemUUID: randomUUID(),
        },
      },
    };
  });
}

/** The objects a new cluster has: namespaces, `cluster`'s nodes (default: the world's first), the API Services. */
export function seedObjects(
  world: WorldSpec,
  now: string,
  cluster: ManagedClusterSpec | undefined = world.managedClusters[0],
): { r: ResourceDef; obj: KObj }[] {
  const out: { r: ResourceDef; obj: KObj }[] = [];
  const ns = must("namespaces");
  for (const name of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    out.push({
      r: ns,
      obj: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: meta(name, now, { labels: { "kubernetes.io/metadata.name": name } }),
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      },
    });
  }
  const leases = findResource("coordination.k8s.io", "v1", "leases");
  for (const n of cluster ? nodeObjects(cluster, now) : []) {
    out.push({ r: must("nodes"), obj: n });
    // The kubelet's heartbeat lease, which `kubectl describe node` shows.
    if (leases) {
      out.push({
        r: leases,
        obj: {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: meta(n.metadata.name ?? "", now, {
            namespace: "kube-node-lease",
            ownerReferences: [{ apiVersion: "v1", kind: "Node", name: n.metadata.name, uid: n.metadata.uid }],
          }),
          spec: {
            holderIdentity: n.metadata.name,
            leaseDurationSeconds: 40,
            renewTime: now.replace("Z", ".000000Z"),
          },
        },
      });
    }
  }
  const svc = must("services");
  out.push({
    r: svc,
    obj: {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("kubernetes", now, {
        namespace: "default",
        generation: 1,
        labels: { component: "apiserver", provider: "kubernetes" },
      }),
      spec: {
        clusterIP: "10.0.0.1",
        clusterIPs: ["10.0.0.1"],
        internalTrafficPolicy: "Cluster",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }],
        sessionAffinity: "None",
        type: "ClusterIP",
      },
      status: { loadBalancer: {} },
    },
  });
  out.push({
    r: must("endpoints"),
    obj: {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: meta("kubernetes", now, {
        namespace: "default",
        labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
      }),
      subsets: [
        { addresses: [{ ip: API_SERVER_IP }], ports: [{ name: "https", port: 443, protocol: "TCP" }] },
      ],
    },
  });
  const slices = findResource("discovery.k8s.io", "v1", "endpointslices");
  if (slices) {
    out.push({
      r: slices,
      obj: {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: meta("kubernetes", now, {
          namespace: "default",
          generation: 1,
          labels: {
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            "kubernetes.io/service-name": "kubernetes",
          },
        }),
        addressType: "IPv4",
        endpoints: [{ addresses: [API_SERVER_IP], conditions: { ready: true } }],
        ports: [{ name: "https", port: 443, protocol: "TCP" }],
      },
    });
  }
  out.push({
    r: svc,
    obj: {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("kube-dns", now, {
        namespace: "kube-system",
        generation: 1,
        labels: {
          "addonmanager.kubernetes.io/mode": "Reconcile",
          "k8s-app": "kube-dns",
          "kubernetes.io/cluster-service": "true",
          "kubernetes.io/name": "CoreDNS",
        },
      }),
      spec: {
        clusterIP: "10.0.0.10",
        clusterIPs: ["10.0.0.10"],
        internalTrafficPolicy: "Cluster",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        ],
        selector: { "k8s-app": "kube-dns" },
        sessionAffinity: "None",
        type: "ClusterIP",
      },
      status: { loadBalancer: {} },
    },
  });
  return out;
}
