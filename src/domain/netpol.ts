/**
 * The policy `plsctl netpol` writes: ingress to the Service's pods only on its target ports, only
 * from the Private Link Service's NAT IPs (traffic through Private Link reaches the load balancer
 * from those addresses, never from the partner's own CIDR) plus any `--allow-cidr`. Two flavors:
 * a `networking.k8s.io/v1` NetworkPolicy, or a `cilium.io/v2` CiliumNetworkPolicy. Pure: no I/O.
 */
import { isIPv4, isIPv6 } from "node:net";
import { usageError } from "./errors.js";
import type { ServicePortView } from "./service.js";

export const FLAVORS = ["kubernetes", "cilium"] as const;
export type Flavor = (typeof FLAVORS)[number];

export const MANAGED_BY = "app.kubernetes.io/managed-by";
/** Label naming the Service a policy is for (what `status` selects on). */
export const SERVICE_LABEL = "plsctl.io/service";
/** Annotation recording the `--allow-cidr`s (so `status` can tell them from the NAT IPs). */
export const ALLOW_CIDRS_ANNOTATION = "plsctl.io/allow-cidrs";
export const PLS_ID_ANNOTATION = "plsctl.io/pls-id";

export interface PolicyInput {
  namespace: string;
  service: string;
  /** The policy's name (`defaultPolicyName` unless --name). */
  name: string;
  selector: Record<string, string>;
  ports: ServicePortView[];
  natIps: string[];
  allowCidrs: string[];
  plsId: string;
}

export interface PolicyPort {
  port: number | string;
  protocol: string;
}

/** A Kubernetes object as plsctl writes it (plain JSON). */
export interface PolicyObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export const defaultPolicyName = (service: string): string => `${service}-private-link`;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function requirePolicyName(name: string): string {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw usageError(
      `--name ${JSON.stringify(name)} is not a valid Kubernetes object name.`,
      "Use at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit (e.g. web-private-link).",
    );
  }
  return name;
}

const ipToInt = (ip: string): number => ip.split(".").reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** An `--allow-cidr` value: IPv4 `a.b.c.d/n` (a bare address means /32), host bits zero. */
export function parseAllowCidr(value: string): string {
  const v = value.trim();
  const [ip = "", bits, ...rest] = v.split("/");
  if (isIPv6(ip)) {
    throw usageError(
      `--allow-cidr ${v} is IPv6; Private Link Service traffic reaches the pods over IPv4 only.`,
      "Give an IPv4 CIDR such as 10.0.1.0/24.",
    );
  }
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!isIPv4(ip) || rest.length > 0 || !(prefix >= 0 && prefix <= 32)) {
    throw usageError(
      `--allow-cidr ${JSON.stringify(value)} is not an IPv4 CIDR.`,
      "Give an address block such as 10.0.1.0/24, or one address such as 10.0.1.7 (meaning /32).",
    );
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = intToIp((ipToInt(ip) & mask) >>> 0);
  if (network !== ip) {
    throw usageError(
      `--allow-cidr ${v} has host bits set (the block ${network}/${prefix} starts at ${network}).`,
      `Write it as ${network}/${prefix}, or as ${ip}/32 for that one address.`,
    );
  }
  return `${ip}/${prefix}`;
}

/** The ports the pods listen on (each Service port's targetPort), once each, in Service order. */
export function targetPortsOf(ports: ServicePortView[]): PolicyPort[] {
  const out: PolicyPort[] = [];
  for (const p of ports) {
    const port: PolicyPort = { port: p.targetPort, protocol: p.protocol || "TCP" };
    if (!out.some((o) => o.port === port.port && o.protocol === port.protocol)) out.push(port);
  }
  return out;
}

/** Where traffic may come from: every NAT IP as /32, then the allowed CIDRs; once each, in that order. */
export function sourceCidrsOf(natIps: string[], allowCidrs: string[]): string[] {
  return [...new Set([...natIps.map((ip) => `${ip}/32`), ...allowCidrs])];
}

function metadataOf(i: PolicyInput): PolicyObject["metadata"] {
  const annotations: Record<string, string> = { [PLS_ID_ANNOTATION]: i.plsId };
  if (i.allowCidrs.length) annotations[ALLOW_CIDRS_ANNOTATION] = i.allowCidrs.join(",");
  return {
    name: i.name,
    namespace: i.namespace,
    labels: { [MANAGED_BY]: "plsctl", [SERVICE_LABEL]: i.service },
    annotations,
  };
}

export function buildNetworkPolicy(i: PolicyInput): PolicyObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadataOf(i),
    spec: {
      podSelector: { matchLabels: { ...i.selector } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: sourceCidrsOf(i.natIps, i.allowCidrs).map((cidr) => ({ ipBlock: { cidr } })),
          ports: targetPortsOf(i.ports).map((p) => ({ protocol: p.protocol, port: p.port })),
        },
      ],
    },
  };
}

/** Cilium's form (cilium.io/v2): ports are strings there, named ports included. */
export function buildCiliumPolicy(i: PolicyInput): PolicyObject {
  return {
    apiVersion: "cilium.io/v2",
    kind: "CiliumNetworkPolicy",
    metadata: metadataOf(i),
    spec: {
      endpointSelector: { matchLabels: { ...i.selector } },
      ingress: [
        {
          fromCIDR: sourceCidrsOf(i.natIps, i.allowCidrs),
          toPorts: [
            { ports: targetPortsOf(i.ports).map((p) => ({ port: String(p.port), protocol: p.protocol })) },
          ],
        },
      ],
    },
  };
}

export const buildPolicy = (flavor: Flavor, i: PolicyInput): PolicyObject =>
  flavor === "cilium" ? buildCiliumPolicy(i) : buildNetworkPolicy(i);
