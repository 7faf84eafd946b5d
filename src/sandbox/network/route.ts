/**
 * Where a partner's connection ends: destination (an endpoint's IP, or a name in a private zone
 * linked to the client's VNet) → private endpoint, whose connection must be Approved → Private
 * Link Service → its load balancer frontend → the Kubernetes Service behind that frontend → the
 * Service port equal to the destination port → a ready pod from the Service's Endpoints → the
 * NetworkPolicy gate. Read from the emulators' in-process state at connection time; nothing here
 * opens a socket.
 *
 * The source address the pod sees follows AKS: with `externalTrafficPolicy: Local` the PLS NAT IP
 * the connection was translated to; with `Cluster` (the default) kube-proxy SNATs to the node that
 * forwarded it (learn.microsoft.com/azure/private-link/private-link-service-overview, "Source NAT";
 * kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer,
 * "Preserving the client source IP").
 */
import type { ArmState, Resource } from "../arm/types.js";
import { arr, obj, str } from "../arm/util.js";
import { defaultLoadBalancerName } from "../controller/names.js";
import type { KObj } from "../kube/resources.js";
import type { GatePod, IngressGate } from "./gate.js";
import { clientVnets, findEndpoint, isIpv4, lower } from "./resolve.js";

export interface KubeSource {
  list(plural: string, namespace?: string): KObj[];
}

/** One managed cluster: where its controller puts load balancers, and its Kubernetes API. */
export interface ClusterSource {
  name: string;
  subscriptionId: string;
  /** The resource group of its load balancers (cloud-config `resourceGroup`: the node resource group). */
  loadBalancerResourceGroup: string;
  kube: KubeSource;
}

export interface NetworkSources {
  arm(): Readonly<ArmState>;
  /** The cluster's Kubernetes API (the only one, or the first of `clusters`). */
  kube: KubeSource;
  /**
   * Every cluster of the world, when there are several: a connection goes to the cluster whose
   * load balancer holds the PLS's frontend.
   */
  clusters?: () => ClusterSource[];
}

/** Why a connection did not go through; the proxy maps each to its protocol's answer. */
export type FailureKind =
  | "bad-vnet"
  | "unknown-address"
  | "ambiguous"
  | "not-approved"
  | "not-a-service"
  | "port-refused"
  | "no-ready-pod"
  | "dropped";

export interface RouteFailure {
  kind: FailureKind;
  reason: string;
  /** A name's addresses in the client VNets, when it was a name (the proxy reports them). */
  resolved?: string[];
}

/** A connection that reaches a pod, and what the pod sees of it. */
export interface Route {
  destination: string;
  endpointId: string;
  vnet: string;
  plsId: string;
  service: { namespace: string; name: string; port: number };
  pod: GatePod & { node: string; ip: string; image: string; env: Record<string, string> };
  podPort: number;
  sourceIp: string;
  /** The same words as `plsctl demo -o json`'s `verify.sourceKind` (a documented contract). */
  sourceKind: "nat-ip" | "node-ip";
  /**
   * Set when the PLS has proxy protocol on (`enableProxyProtocol`): what the partner network puts in
   * the PROXY protocol v2 header it sends the pod first (proxy-v2.ts).
   */
  proxyProtocol?: ProxyProtocolInfo;
}

export interface ProxyProtocolInfo {
  /** The connection's `linkIdentifier` (absent when ARM holds none that is a uint32). */
  linkId?: number;
  /** The client's address in its VNet, the header's source. */
  clientIp: string;
}

type D = Record<string, unknown>;
const fail = (kind: FailureKind, reason: string): RouteFailure => ({ kind, reason });
const dict = (v: unknown): D => (v && typeof v === "object" && !Array.isArray(v) ? (v as D) : {});
const list = (v: unknown): D[] => (Array.isArray(v) ? v.map(dict) : []);

/** A stable small hash, so the same endpoint gets the same NAT IP every time. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function connectionOf(
  state: Readonly<ArmState>,
  pe: Resource,
): { pls?: Resource; status: string; linkIdentifier?: string } {
  for (const r of Object.values(state.resources)) {
    if (lower(r.type) !== "microsoft.network/privatelinkservices") continue;
    const pec = arr(r.properties.privateEndpointConnections)
      .map(obj)
      .find((p) => lower(str(obj(obj(p.properties).privateEndpoint).id)) === lower(pe.id));
    if (pec)
      return {
        pls: r,
        status: str(obj(obj(pec.properties).privateLinkServiceConnectionState).status) ?? "Pending",
        ...(str(obj(pec.properties).linkIdentifier)
          ? { linkIdentifier: str(obj(pec.properties).linkIdentifier) }
          : {}),
      };
  }
  const conns = ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"].flatMap((k) =>
    arr(pe.properties[k]).map(obj),
  );
  const status = str(obj(obj(conns[0]?.properties).privateLinkServiceConnectionState).status);
  return { status: status ?? "Disconnected" };
}

function frontendsOf(state: Readonly<ArmState>, pls: Resource): Array<{ name: string; ip: string }> {
  return arr(pls.properties.loadBalancerFrontendIpConfigurations).flatMap((f) => {
    const id = lower(str(obj(f).id));
    const lb = state.resources[id.replace(/\/frontendipconfigurations\/[^/]+$/, "")];
    const fe = arr(lb?.properties.frontendIPConfigurations)
      .map(obj)
      .find((x) => lower(str(x.id)) === id);
    return fe ? [{ name: lower(str(fe.name)), ip: str(obj(fe.properties).privateIPAddress) ?? "" }] : [];
  });
}

/**
 * The cluster behind a PLS: the one whose controller owns the load balancer of its frontend (the
 * load balancer lives in the cluster's node resource group; cloud-provider-azure
 * pkg/provider/azure_loadbalancer.go puts it in cloud-config `resourceGroup`). The first cluster
 * when nothing else matches.
 */
function clusterOf(src: NetworkSources, pls: Resource): { name?: string; kube: KubeSource } {
  const clusters = src.clusters?.() ?? [];
  for (const f of arr(pls.properties.loadBalancerFrontendIpConfigurations)) {
    const parts = str(obj(f).id)?.split("/") ?? [];
    const sub = lower(parts[2]);
    const rg = lower(parts[4]);
    const hit = clusters.find(
      (c) => lower(c.subscriptionId) === sub && lower(c.loadBalancerResourceGroup) === rg,
    );
    if (hit) return { name: hit.name, kube: hit.kube };
  }
  return { ...(clusters[0] ? { name: clusters[0].name } : {}), kube: src.kube };
}

/** The Service the controller made this frontend for: by its frontend name, else by its ingress IP. */
function serviceOf(kube: KubeSource, frontends: Array<{ name: string; ip: string }>): KObj | undefined {
  const lbs = kube.list("services").filter((s) => dict(s.spec).type === "LoadBalancer");
  const byName = lbs.find((s) =>
    frontends.some((f) => f.name.startsWith(lower(defaultLoadBalancerName(s.metadata.uid ?? "")))),
  );
  if (byName) return byName;
  return lbs.find((s) =>
    list(dict(dict(s.status).loadBalancer).ingress).some((i) => frontends.some((f) => f.ip && f.ip === i.ip)),
  );
}

export interface RouteOptions {
  user?: string | undefined;
  gate: IngressGate;
  /** Picks one of `n` ready pods (round robin by default). */
  pick: (serviceKey: string, n: number) => number;
}

export function routeConnection(
  src: NetworkSources,
  host: string,
  port: number,
  o: RouteOptions,
): Route | RouteFailure {
  const state = src.arm();
  const vnets = clientVnets(state, o.user);
  if ("error" in vnets) return fail("bad-vnet", vnets.error);
  const found = findEndpoint(state, vnets.vnets, host);
  if ("error" in found)
    return {
      ...fail(found.ambiguous ? "ambiguous" : "unknown-address", found.error),
      ...(found.resolved ? { resolved: found.resolved } : {}),
    };
  const { endpoint, ip, vnet } = found.hit;
  const failed = (kind: FailureKind, reason: string): RouteFailure =>
    isIpv4(host) ? fail(kind, reason) : { kind, reason, resolved: [ip] };
  const conn = connectionOf(state, endpoint);
  if (conn.status !== "Approved" || !conn.pls)
    return failed(
      "not-approved",
      `Private endpoint ${endpoint.name} is not connected: its connection is ${conn.status}${conn.status === "Pending" ? " (the provider has not approved it yet)" : ""}.`,
    );
  const pls = conn.pls;
  const cluster = clusterOf(src, pls);
  const kube = cluster.kube;
  const svc = serviceOf(kube, frontendsOf(state, pls));
  if (!svc)
    return failed(
      "not-a-service",
      `No Kubernetes Service is behind Private Link Service ${pls.name}'s frontend.`,
    );
  const ns = svc.metadata.namespace ?? "default";
  const svcName = svc.metadata.name ?? "";
  const spec = dict(svc.spec);
  const ports = list(spec.ports).filter((p) => (p.protocol ?? "TCP") === "TCP");
  const sp = ports.find((p) => p.port === port);
  if (!sp)
    return failed(
      "port-refused",
      `Service ${ns}/${svcName} has no TCP port ${port} (it has ${ports.map((p) => p.port).join(", ") || "none"}): connection refused.`,
    );
  const eps = kube.list("endpoints", ns).find((e) => e.metadata.name === svcName);
  const ready = list(dict(eps).subsets).flatMap((s) => {
    const ep = list(s.ports).find((p) => (sp.name ? p.name === sp.name : true));
    const podPort = typeof ep?.port === "number" ? ep.port : undefined;
    return podPort === undefined ? [] : list(s.addresses).map((a) => ({ a, podPort }));
  });
  if (ready.length === 0)
    return failed("no-ready-pod", `Service ${ns}/${svcName} has no ready pod: connection refused.`);
  const chosen = ready[o.pick(`${ns}/${svcName}`, ready.length) % ready.length] ?? ready[0];
  const podName = str(dict(chosen?.a.targetRef).name) ?? "";
  const pod = kube.list("pods", ns).find((p) => p.metadata.name === podName);
  if (!pod || !chosen)
    return failed("no-ready-pod", `Service ${ns}/${svcName} has no ready pod: connection refused.`);
  const container = list(dict(pod.spec).containers)[0] ?? {};
  const declared = list(dict(pod.spec).containers).flatMap((c) => list(c.ports).map((p) => p.containerPort));
  if (declared.length > 0 && !declared.includes(chosen.podPort))
    return failed(
      "port-refused",
      `Pod ${ns}/${podName} does not listen on port ${chosen.podPort}: connection refused.`,
    );
  const local = spec.externalTrafficPolicy === "Local";
  const natIps = arr(pls.properties.ipConfigurations).flatMap(
    (c) => str(obj(obj(c).properties).privateIPAddress) ?? [],
  );
  const nodeIps = kube
    .list("nodes")
    .flatMap((n) => list(dict(n.status).addresses).filter((a) => a.type === "InternalIP"))
    .flatMap((a) => (typeof a.address === "string" ? [a.address] : []));
  const pool = local ? natIps : nodeIps;
  const sourceIp = pool[hash(lower(endpoint.id)) % Math.max(pool.length, 1)] ?? "";
  const gatePod: GatePod = {
    name: podName,
    namespace: ns,
    labels: { ...(pod.metadata.labels ?? {}) },
    ...(cluster.name ? { cluster: cluster.name } : {}),
  };
  const verdict = o.gate(gatePod, sourceIp, chosen.podPort, "TCP");
  if (!verdict.allowed)
    return failed(
      "dropped",
      `A NetworkPolicy${verdict.policy ? ` (${verdict.policy})` : ""} drops connections from ${sourceIp} to pod ${ns}/${podName} port ${chosen.podPort}.`,
    );
  return {
    destination: ip,
    endpointId: endpoint.id,
    vnet: vnet.id,
    plsId: pls.id,
    service: { namespace: ns, name: svcName, port },
    pod: {
      ...gatePod,
      node: String(dict(pod.spec).nodeName ?? ""),
      ip: String(dict(pod.status).podIP ?? ""),
      image: String(container.image ?? ""),
      env: Object.fromEntries(
        list(container.env).flatMap((e) =>
          typeof e.name === "string" && typeof e.value === "string" ? [[e.name, e.value]] : [],
        ),
      ),
    },
    podPort: chosen.podPort,
    sourceIp,
    sourceKind: local ? "nat-ip" : "node-ip",
    ...(pls.properties.enableProxyProtocol === true
      ? { proxyProtocol: proxyProtocolInfo(vnet, endpoint, conn.linkIdentifier) }
      : {}),
  };
}

/**
 * What the PROXY protocol v2 header of a connection carries: the LINKID of its connection, and the
 * client's address. The sandbox has no client machine; it stands at the first address Azure hands
 * out (x.x.x.4) in the client VNet's first subnet that is not the endpoint's, else the endpoint's.
 */
function proxyProtocolInfo(
  vnet: Resource,
  endpoint: Resource,
  linkIdentifier: string | undefined,
): ProxyProtocolInfo {
  const peSubnet = lower(str(obj(endpoint.properties.subnet).id));
  const subnets = arr(vnet.properties.subnets).map(obj);
  const subnet = subnets.find((x) => lower(str(x.id)) !== peSubnet) ?? subnets[0];
  const prefix = str(obj(subnet?.properties).addressPrefix) ?? "";
  const base = prefix.split("/")[0]?.split(".").map(Number) ?? [];
  const clientIp = base.length === 4 ? [base[0], base[1], base[2], (base[3] ?? 0) + 4].join(".") : "0.0.0.0";
  const n = linkIdentifier !== undefined && /^\d+$/.test(linkIdentifier) ? Number(linkIdentifier) : -1;
  return { clientIp, ...(n >= 0 && n <= 0xffffffff ? { linkId: n } : {}) };
}
