/**
 * Service annotations the simulated AKS cloud controller reads, parsed exactly as
 * kubernetes-sigs/cloud-provider-azure does (keys: pkg/consts/consts.go; parsing: the helpers of
 * pkg/provider/azure_privatelinkservice.go such as getPLSStaticIPs and getPLSVisibility):
 * TrimSpace/EqualFold where the real code uses them, splitting on a single space, map dedupe for
 * static IPs. Pure functions; errors carry the real message text.
 */
import { isIP } from "node:net";
import { ControllerError } from "./messages.js";

const P = "service.beta.kubernetes.io/";
export const ANN = {
  internal: `${P}azure-load-balancer-internal`,
  internalSubnet: `${P}azure-load-balancer-internal-subnet`,
  disableFloatingIp: `${P}azure-disable-load-balancer-floating-ip`,
  ipv4: `${P}azure-load-balancer-ipv4`,
  plsCreate: `${P}azure-pls-create`,
  plsName: `${P}azure-pls-name`,
  plsResourceGroup: `${P}azure-pls-resource-group`,
  plsSubnet: `${P}azure-pls-ip-configuration-subnet`,
  plsIpCount: `${P}azure-pls-ip-configuration-ip-address-count`,
  plsIps: `${P}azure-pls-ip-configuration-ip-address`,
  plsFqdns: `${P}azure-pls-fqdns`,
  plsProxyProtocol: `${P}azure-pls-proxy-protocol`,
  plsVisibility: `${P}azure-pls-visibility`,
  plsAutoApproval: `${P}azure-pls-auto-approval`,
} as const;

/**
 * The keys whose mere presence makes a non-owner Service fail the ownership check (cloud-provider-azure
 * pkg/provider/azure_privatelinkservice.go, func serviceHasAdditionalConfigs).
 */
export const ADDITIONAL_CONFIG_KEYS: readonly string[] = [
  ANN.plsName,
  ANN.plsSubnet,
  ANN.plsIpCount,
  ANN.plsIps,
  ANN.plsFqdns,
  ANN.plsProxyProtocol,
  ANN.plsVisibility,
  ANN.plsAutoApproval,
];

export type Annotations = Record<string, string>;

/** Go's strings.TrimSpace for the ASCII/Unicode whitespace a YAML value can carry. */
export function trimSpace(v: string): string {
  return v.trim();
}

function equalFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `getBoolValueFromServiceAnnotations`: EqualFold(TrimSpace(v), "true"). */
function boolTrimmed(a: Annotations, key: string): boolean {
  const v = a[key];
  return v !== undefined && equalFold(trimSpace(v), "true");
}

/** `requiresInternalLoadBalancer`: exactly "true", case-sensitive, untrimmed. */
export function isInternal(a: Annotations): boolean {
  return a[ANN.internal] === "true";
}

/**
 * The internal subnet, only for internal Services and when non-blank (cloud-provider-azure
 * pkg/provider/azure_loadbalancer.go, func getInternalSubnet).
 */
export function internalSubnet(a: Annotations): string | undefined {
  if (!isInternal(a)) return undefined;
  const v = a[ANN.internalSubnet];
  return v !== undefined && trimSpace(v) !== "" ? v : undefined;
}

/** `IsK8sServiceDisableLoadBalancerFloatingIP`: EqualFold without trim. */
export function floatingIpDisabled(a: Annotations): boolean {
  const v = a[ANN.disableFloatingIp];
  return v !== undefined && equalFold(v, "true");
}

export function plsCreate(a: Annotations): boolean {
  return boolTrimmed(a, ANN.plsCreate);
}

export function plsProxyProtocol(a: Annotations): boolean {
  return boolTrimmed(a, ANN.plsProxyProtocol);
}

/** The annotated PLS name (trimmed), or undefined when the key is absent. */
export function plsNameAnnotation(a: Annotations): string | undefined {
  const v = a[ANN.plsName];
  return v === undefined ? undefined : trimSpace(v);
}

/** PLS resource group: annotation (trimmed, non-blank), else cloud-config fallback. */
export function plsResourceGroup(a: Annotations, fallback: string): string {
  const v = a[ANN.plsResourceGroup];
  if (v !== undefined && trimSpace(v) !== "") return trimSpace(v);
  return fallback;
}

/**
 * NAT subnet name (`getPLSSubnetName`): the untrimmed ip-configuration-subnet value when non-blank,
 * else the internal subnet of an internal Service, else undefined (caller uses cloud-config subnetName).
 */
export function plsSubnetName(a: Annotations): string | undefined {
  const v = a[ANN.plsSubnet];
  if (v !== undefined && trimSpace(v) !== "") return v;
  return internalSubnet(a);
}

/** Go's strconv.ParseInt(s, 10, 32) error text, or the parsed number. */
export function goParseInt32(s: string): number | string {
  const quoted = JSON.stringify(s);
  if (!/^[+-]?[0-9]+$/.test(s)) return `strconv.ParseInt: parsing ${quoted}: invalid syntax`;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) {
    return `strconv.ParseInt: parsing ${quoted}: value out of range`;
  }
  return n;
}

/** `getPLSIPConfigCount`: default 1, range 1-8, errors as `extractInt32FromString` wraps them. */
export function plsIpConfigCount(a: Annotations): number {
  const raw = a[ANN.plsIpCount];
  if (raw === undefined) return 1;
  const val = trimSpace(raw);
  const parsed = goParseInt32(val);
  if (typeof parsed === "string") {
    throw new ControllerError(`error value: ${parsed}: ${val} value must be a whole number`);
  }
  if (parsed < 1) {
    throw new ControllerError(
      `error parsing value: minimum number of private link service ipConfig is 1, ${parsed} provided`,
    );
  }
  if (parsed > 8) {
    throw new ControllerError(
      `error parsing value: maximum number of private link service ipConfig is 8, ${parsed} provided`,
    );
  }
  return parsed;
}

function splitSpaces(v: string): string[] {
  return trimSpace(v)
    .split(" ")
    .map(trimSpace)
    .filter((t) => t !== "");
}

/** Go's net.ParseIP accepts dotted IPv4 (no leading-zero octets since Go 1.17) and IPv6. */
function goParseIp(ip: string): 4 | 6 | 0 {
  const family = isIP(ip);
  if (family === 6 && ip.includes("%")) return 0; // zones are not accepted by net.ParseIP
  if (family !== 6) return family === 4 ? 4 : 0;
  // An IPv4-mapped address (::ffff:a.b.c.d) has a 4-byte form in Go (To4() != nil).
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? 4 : 6;
}

/** `getPLSStaticIPs`: distinct static IPs (insertion order) and the first listed one as primary. */
export function plsStaticIps(a: Annotations): { ips: string[]; primary: string } {
  const raw = a[ANN.plsIps];
  const ips: string[] = [];
  let primary = "";
  if (raw === undefined) return { ips, primary };
  for (const ip of splitSpaces(raw)) {
    const family = goParseIp(ip);
    if (family === 0) throw new ControllerError(`getPLSStaticIPs: ${ip} is not a valid IP address`);
    if (family === 6) {
      throw new ControllerError(
        `getPLSStaticIPs: private link service ip config only supports IPv4, ${ip} provided`,
      );
    }
    if (!ips.includes(ip)) ips.push(ip);
    if (primary === "") primary = ip;
  }
  return { ips, primary };
}

export function plsFqdns(a: Annotations): string[] {
  const raw = a[ANN.plsFqdns];
  return raw === undefined ? [] : splitSpaces(raw);
}

/** `getPLSVisibility`: any `*` token makes the result exactly `["*"]`. */
export function plsVisibility(a: Annotations): string[] {
  const raw = a[ANN.plsVisibility];
  if (raw === undefined) return [];
  const out: string[] = [];
  for (const t of splitSpaces(raw)) {
    if (t === "*") return ["*"];
    out.push(t);
  }
  return out;
}

export function plsAutoApproval(a: Annotations): string[] {
  const raw = a[ANN.plsAutoApproval];
  return raw === undefined ? [] : splitSpaces(raw);
}

/** `serviceHasAdditionalConfigs`: presence of any listed key, whatever its value. */
export function hasAdditionalConfigs(a: Annotations): boolean {
  return ADDITIONAL_CONFIG_KEYS.some((k) => Object.hasOwn(a, k));
}
