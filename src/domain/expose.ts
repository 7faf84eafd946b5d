/**
 * `plsctl expose` input: flags checked with the controller's own rules (and clearer words) before
 * anything is written, and turned into the annotations the controller reads.
 */
import { ANN, type AnnotationChanges } from "./annotations.js";
import { usageError } from "./errors.js";
import {
  requireFqdn,
  requireGuid,
  requireIpv4,
  requirePlsName,
  requireResourceGroup,
  requireSubnetName,
} from "./names.js";

export interface ExposeFlags {
  plsName?: string | undefined;
  plsResourceGroup?: string | undefined;
  natSubnet?: string | undefined;
  natIpCount?: string | undefined;
  natIp?: string[] | undefined;
  fqdn?: string[] | undefined;
  proxyProtocol?: boolean | undefined;
  visibility?: string[] | undefined;
  autoApprove?: string[] | undefined;
  internalSubnet?: string | undefined;
  makeInternal?: boolean | undefined;
}

/** Validated settings; undefined = "leave as it is on the Service". */
export interface ExposeSpec {
  plsName?: string;
  plsResourceGroup?: string;
  natSubnet?: string;
  natIpCount?: number;
  natIps?: string[];
  fqdns?: string[];
  proxyProtocol?: boolean;
  visibility?: string[];
  autoApproval?: string[];
  internalSubnet?: string;
  makeInternal: boolean;
}

const MAX_NAT_IPS = 8;

function parseCount(raw: string): number {
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n)) {
    throw usageError(`--nat-ip-count ${JSON.stringify(raw)} is not a whole number.`, "Use 1 to 8.");
  }
  if (n < 1 || n > MAX_NAT_IPS) {
    throw usageError(
      `--nat-ip-count ${n} is out of range: a Private Link Service has 1 to 8 NAT IP configurations.`,
      "Use 1 to 8.",
    );
  }
  return n;
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

export function parseExposeFlags(f: ExposeFlags): ExposeSpec {
  const spec: ExposeSpec = { makeInternal: Boolean(f.makeInternal) };
  if (f.plsName !== undefined) spec.plsName = requirePlsName(f.plsName.trim());
  if (f.plsResourceGroup !== undefined) {
    spec.plsResourceGroup = requireResourceGroup(f.plsResourceGroup.trim(), "--pls-resource-group");
  }
  if (f.natSubnet !== undefined) spec.natSubnet = requireSubnetName(f.natSubnet.trim(), "--nat-subnet");
  if (f.internalSubnet !== undefined) {
    spec.internalSubnet = requireSubnetName(f.internalSubnet.trim(), "--internal-subnet");
  }
  if (f.natIp?.length) spec.natIps = unique(f.natIp.map((ip) => requireIpv4(ip, "--nat-ip")));
  if (f.natIpCount !== undefined) spec.natIpCount = parseCount(f.natIpCount);
  if (spec.natIps) {
    if (spec.natIps.length > MAX_NAT_IPS) {
      throw usageError(
        `${spec.natIps.length} --nat-ip values given; a Private Link Service has at most 8 NAT IPs.`,
      );
    }
    if (spec.natIpCount !== undefined && spec.natIpCount < spec.natIps.length) {
      throw usageError(
        `--nat-ip-count ${spec.natIpCount} is smaller than the ${spec.natIps.length} static --nat-ip addresses given.`,
        `Raise --nat-ip-count to at least ${spec.natIps.length}, or leave it out.`,
      );
    }
    spec.natIpCount ??= spec.natIps.length;
  }
  if (f.fqdn?.length) spec.fqdns = unique(f.fqdn.map(requireFqdn));
  if (f.proxyProtocol !== undefined) spec.proxyProtocol = f.proxyProtocol;
  if (f.visibility?.length) {
    const values = f.visibility.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
    spec.visibility = values.includes("*")
      ? ["*"]
      : unique(values.map((v) => requireGuid(v, "--visibility")));
  }
  if (f.autoApprove?.length) {
    const values = f.autoApprove.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
    spec.autoApproval = unique(values.map((v) => requireGuid(v, "--auto-approve")));
  }
  return spec;
}

/** The annotations `expose` owns for this spec; keys it leaves alone are absent. */
export function exposeAnnotations(spec: ExposeSpec): AnnotationChanges {
  const a: AnnotationChanges = { [ANN.plsCreate]: "true" };
  if (spec.makeInternal) a[ANN.internal] = "true";
  if (spec.internalSubnet !== undefined) a[ANN.internalSubnet] = spec.internalSubnet;
  if (spec.plsName !== undefined) a[ANN.plsName] = spec.plsName;
  if (spec.plsResourceGroup !== undefined) a[ANN.plsResourceGroup] = spec.plsResourceGroup;
  if (spec.natSubnet !== undefined) a[ANN.plsNatSubnet] = spec.natSubnet;
  if (spec.natIpCount !== undefined) a[ANN.plsNatIpCount] = String(spec.natIpCount);
  if (spec.natIps !== undefined) a[ANN.plsNatIps] = spec.natIps.join(" ");
  if (spec.fqdns !== undefined) a[ANN.plsFqdns] = spec.fqdns.join(" ");
  if (spec.proxyProtocol !== undefined) a[ANN.plsProxyProtocol] = String(spec.proxyProtocol);
  if (spec.visibility !== undefined) a[ANN.plsVisibility] = spec.visibility.join(" ");
  if (spec.autoApproval !== undefined) a[ANN.plsAutoApproval] = spec.autoApproval.join(" ");
  return a;
}
