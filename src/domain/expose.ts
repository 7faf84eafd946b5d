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

/** The flags as given; `false` is a `--no-…` flag (remove the setting). */
export interface ExposeFlags {
  plsName?: string | undefined;
  plsResourceGroup?: string | undefined;
  natSubnet?: string | undefined;
  natIpCount?: string | undefined;
  natIp?: string[] | false | undefined;
  fqdn?: string[] | false | undefined;
  proxyProtocol?: boolean | undefined;
  visibility?: string[] | false | undefined;
  autoApprove?: string[] | false | undefined;
  internalSubnet?: string | undefined;
  makeInternal?: boolean | undefined;
}

/**
 * Validated settings; undefined = "leave as it is on the Service"; an empty list = remove the
 * annotation (the controller reads a missing list annotation as an empty list).
 */
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

/** The values of a repeatable list flag; an empty one is refused (removing has its own flag). */
function listValues(values: string[], flag: string, negation: string, what: string): string[] {
  const out = values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  if (out.length === 0 || values.some((v) => v.trim() === "")) {
    throw usageError(
      `${flag} needs ${what}; an empty value is not a way to remove the setting.`,
      `To remove it, use ${negation}.`,
    );
  }
  return out;
}

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
  if (f.natIp === false) spec.natIps = [];
  else if (f.natIp?.length) {
    const ips = listValues(f.natIp, "--nat-ip", "--no-nat-ip", "an IPv4 address");
    spec.natIps = unique(ips.map((ip) => requireIpv4(ip, "--nat-ip")));
  }
  if (f.natIpCount !== undefined) spec.natIpCount = parseCount(f.natIpCount);
  if (spec.natIps?.length) {
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
  if (f.fqdn === false) spec.fqdns = [];
  else if (f.fqdn?.length) {
    spec.fqdns = unique(listValues(f.fqdn, "--fqdn", "--no-fqdns", "a domain name").map(requireFqdn));
  }
  if (f.proxyProtocol !== undefined) spec.proxyProtocol = f.proxyProtocol;
  if (f.visibility === false) spec.visibility = [];
  else if (f.visibility?.length) {
    const values = listValues(f.visibility, "--visibility", "--no-visibility", "a subscription id or '*'");
    spec.visibility = values.includes("*")
      ? ["*"]
      : unique(values.map((v) => requireGuid(v, "--visibility")));
  }
  if (f.autoApprove === false) spec.autoApproval = [];
  else if (f.autoApprove?.length) {
    const values = listValues(f.autoApprove, "--auto-approve", "--no-auto-approve", "a subscription id");
    spec.autoApproval = unique(values.map((v) => requireGuid(v, "--auto-approve")));
  }
  return spec;
}

const listOrRemove = (values: string[]): string | null => (values.length ? values.join(" ") : null);

/** The annotations `expose` owns for this spec; keys it leaves alone are absent, removed ones null. */
export function exposeAnnotations(spec: ExposeSpec): AnnotationChanges {
  const a: AnnotationChanges = { [ANN.plsCreate]: "true" };
  if (spec.makeInternal) a[ANN.internal] = "true";
  if (spec.internalSubnet !== undefined) a[ANN.internalSubnet] = spec.internalSubnet;
  if (spec.plsName !== undefined) a[ANN.plsName] = spec.plsName;
  if (spec.plsResourceGroup !== undefined) a[ANN.plsResourceGroup] = spec.plsResourceGroup;
  if (spec.natSubnet !== undefined) a[ANN.plsNatSubnet] = spec.natSubnet;
  if (spec.natIpCount !== undefined) a[ANN.plsNatIpCount] = String(spec.natIpCount);
  if (spec.natIps !== undefined) a[ANN.plsNatIps] = listOrRemove(spec.natIps);
  if (spec.fqdns !== undefined) a[ANN.plsFqdns] = listOrRemove(spec.fqdns);
  if (spec.proxyProtocol !== undefined) a[ANN.plsProxyProtocol] = String(spec.proxyProtocol);
  if (spec.visibility !== undefined) a[ANN.plsVisibility] = listOrRemove(spec.visibility);
  if (spec.autoApproval !== undefined) a[ANN.plsAutoApproval] = listOrRemove(spec.autoApproval);
  return a;
}
