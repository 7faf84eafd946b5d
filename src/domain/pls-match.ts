/**
 * The Private Link Service a Service's annotations ask for, read the way the AKS controller reads
 * them (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_privatelinkservice.go,
 * getExpectedPrivateLinkService and the getPLS* helpers), and what an existing PLS does not show yet.
 * `expose` calls a PLS ready only when it shows every current annotation, not only this run's flags.
 */
import { ANN, type Annotations, isInternal, isTrue, splitList } from "./annotations.js";
import type { PlsView } from "./pls.js";

export interface ExpectedPls {
  /** azure-pls-name (trimmed); undefined: whatever the controller named it. */
  name: string | undefined;
  /** The NAT subnet's name; undefined: the cluster's default subnet. */
  natSubnet: string | undefined;
  /** NAT IP configurations; undefined when the annotation is not a number (the controller fails). */
  natIpCount: number | undefined;
  /** Static NAT IPs, the first one primary. */
  staticIps: string[];
  fqdns: string[];
  proxyProtocol: boolean;
  visibility: string[];
  autoApproval: string[];
}

/** getPLSSubnetName: the NAT subnet annotation, else the internal subnet of an internal Service. */
export function natSubnetName(a: Annotations): string | undefined {
  const nat = a[ANN.plsNatSubnet];
  if (nat !== undefined && nat.trim() !== "") return nat;
  const internal = a[ANN.internalSubnet];
  return isInternal(a) && internal !== undefined && internal.trim() !== "" ? internal : undefined;
}

/** getPLSIPConfigCount: 1 when absent; undefined when not a whole number in 1..8. */
export function natIpCountOf(a: Annotations): number | undefined {
  const raw = a[ANN.plsNatIpCount];
  if (raw === undefined) return 1;
  const v = raw.trim();
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 8 ? n : undefined;
}

/** getPLSStaticIPs: distinct, in order; the first is primary. */
export const staticIpsOf = (a: Annotations): string[] => [...new Set(splitList(a[ANN.plsNatIps]))];

export function expectedPls(a: Annotations): ExpectedPls {
  const visibility = splitList(a[ANN.plsVisibility]);
  return {
    name: a[ANN.plsName]?.trim(),
    natSubnet: natSubnetName(a),
    natIpCount: natIpCountOf(a),
    staticIps: staticIpsOf(a),
    fqdns: splitList(a[ANN.plsFqdns]),
    proxyProtocol: isTrue(a[ANN.plsProxyProtocol]),
    visibility: visibility.includes("*") ? ["*"] : visibility,
    autoApproval: splitList(a[ANN.plsAutoApproval]),
  };
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

const sameSet = (a: string[], b: string[]) => {
  const x = new Set(a.map(lower));
  const y = new Set(b.map(lower));
  return x.size === y.size && [...x].every((v) => y.has(v));
};

const subnetNameOf = (id: string | undefined) => /\/subnets\/([^/]+)$/i.exec(id ?? "")?.[1];

/**
 * What the PLS does not show yet, in words ("visibility", "NAT subnet aks-subnet", …); empty when it
 * matches. `defaultNatSubnet` is the subnet the controller uses without a NAT subnet annotation,
 * when known.
 */
export function plsMismatches(e: ExpectedPls, pls: PlsView, defaultNatSubnet?: string): string[] {
  const out: string[] = [];
  if (e.name !== undefined && lower(e.name) !== lower(pls.name)) out.push(`name ${e.name}`);
  const subnet = e.natSubnet ?? defaultNatSubnet;
  const configs = pls.natIpConfigurations;
  if (subnet !== undefined && configs.some((c) => lower(subnetNameOf(c.subnetId)) !== lower(subnet))) {
    out.push(`NAT subnet ${subnet}`);
  }
  if (e.natIpCount !== undefined && configs.length !== e.natIpCount) {
    out.push(`${e.natIpCount} NAT IP${e.natIpCount > 1 ? "s" : ""}`);
  }
  const statics = configs.filter((c) => c.isStatic).map((c) => c.privateIp ?? "");
  const primary = configs.find((c) => c.primary);
  const wantedPrimary = e.staticIps[0];
  if (
    !sameSet(statics, e.staticIps) ||
    (wantedPrimary !== undefined && primary?.privateIp !== wantedPrimary)
  ) {
    out.push(e.staticIps.length ? `static NAT IPs ${e.staticIps.join(" ")}` : "no static NAT IPs");
  }
  if (!sameSet(e.fqdns, pls.fqdns)) out.push("FQDNs");
  if (e.proxyProtocol !== pls.proxyProtocol) out.push(`proxy protocol ${e.proxyProtocol ? "on" : "off"}`);
  if (!sameSet(e.visibility, pls.visibility)) out.push("visibility");
  if (!sameSet(e.autoApproval, pls.autoApproval)) out.push("auto-approval");
  return out;
}
