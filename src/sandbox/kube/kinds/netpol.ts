/**
 * NetworkPolicy defaulting and validation as the apiserver does it (kubernetes
 * pkg/apis/networking/v1/defaults.go and pkg/apis/networking/validation/validation.go,
 * ValidateNetworkPolicySpec): `policyTypes` defaults to [Ingress] (plus Egress when egress rules
 * exist), a port's protocol to TCP; peers, ipBlocks, ports and endPort ranges are checked.
 */
import { isIPv4, isIPv6 } from "node:net";
import { type FieldError, forbidden, invalidValue, notSupported, required } from "../errors.js";
import type { KObj } from "../resources.js";
import { type Dict, dict, ipToInt, isDict, list, type Strategy } from "./types.js";

const POLICY_TYPES = ["Ingress", "Egress"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

function parseCidr(v: unknown): { family: 4 | 6; base: number; bits: number } | undefined {
  if (typeof v !== "string") return undefined;
  const [ip = "", bits = "", ...rest] = v.split("/");
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (rest.length) return undefined;
  if (isIPv4(ip) && n >= 0 && n <= 32) return { family: 4, base: ipToInt(ip), bits: n };
  if (isIPv6(ip) && n >= 0 && n <= 128) return { family: 6, base: 0, bits: n };
  return undefined;
}

const mask = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

function ipBlockErrors(block: Dict, at: string): FieldError[] {
  if (block.cidr === undefined || block.cidr === "") return [required(`${at}.cidr`)];
  const cidr = parseCidr(block.cidr);
  if (!cidr) {
    return [
      invalidValue(
        `${at}.cidr`,
        block.cidr,
        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      ),
    ];
  }
  const errs: FieldError[] = [];
  const except = Array.isArray(block.except) ? block.except : [];
  except.forEach((e, i) => {
    const x = parseCidr(e);
    if (!x) {
      errs.push(
        invalidValue(
          `${at}.except[${i}]`,
          e,
          "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ),
      );
    } else if (
      x.family !== cidr.family ||
      x.bits <= cidr.bits ||
      (x.family === 4 && (x.base & mask(cidr.bits)) >>> 0 !== (cidr.base & mask(cidr.bits)) >>> 0)
    ) {
      errs.push(invalidValue(`${at}.except[${i}]`, e, "must be a strict subset of `cidr`"));
    }
  });
  return errs;
}

function peerErrors(peer: Dict, at: string): FieldError[] {
  const present = ["podSelector", "namespaceSelector", "ipBlock"].filter((k) => peer[k] !== undefined);
  if (present.length === 0) return [required(at, "must specify a peer")];
  if (peer.ipBlock !== undefined && present.length > 1)
    return [forbidden(at, "may not specify more than 1 peer")];
  return isDict(peer.ipBlock) ? ipBlockErrors(peer.ipBlock, `${at}.ipBlock`) : [];
}

function portErrors(p: Dict, at: string): FieldError[] {
  p.protocol ??= "TCP";
  const errs: FieldError[] = [];
  if (!PROTOCOLS.includes(String(p.protocol)))
    errs.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  const port = p.port;
  if (typeof port === "number" && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    errs.push(invalidValue(`${at}.port`, port, "must be between 1 and 65535, inclusive"));
  } else if (
    typeof port === "string" &&
    (!PORT_NAME.test(port) || !/[a-z]/.test(port) || port.includes("--"))
  ) {
    errs.push(invalidValue(`${at}.port`, port, "must be a valid port name (IANA_SVC_NAME)"));
  }
  if (p.endPort !== undefined) {
    if (port === undefined) errs.push(required(`${at}.port`, "must be specified when endPort is specified"));
    else if (typeof port === "string")
      errs.push(forbidden(`${at}.endPort`, "may not be specified when port is non-numeric"));
    else if (typeof p.endPort !== "number" || (typeof port === "number" && p.endPort < port)) {
      errs.push(invalidValue(`${at}.endPort`, p.endPort, "must be greater than or equal to `port`"));
    }
  }
  return errs;
}

function policyErrors(obj: KObj): FieldError[] {
  const sp = dict(obj as Dict, "spec");
  if (!isDict(sp.podSelector)) return [required("spec.podSelector")];
  if (sp.policyTypes === undefined) {
    sp.policyTypes = list(sp, "egress").length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  }
  const errs: FieldError[] = [];
  const types = Array.isArray(sp.policyTypes) ? sp.policyTypes : [];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(String(t))) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  for (const [dir, peers] of [
    ["ingress", "from"],
    ["egress", "to"],
  ] as const) {
    list(sp, dir).forEach((rule, i) => {
      list(rule, "ports").forEach((p, j) => {
        errs.push(...portErrors(p, `spec.${dir}[${i}].ports[${j}]`));
      });
      list(rule, peers).forEach((peer, j) => {
        errs.push(...peerErrors(peer, `spec.${dir}[${i}].${peers}[${j}]`));
      });
    });
  }
  return errs;
}

export const networkPolicyStrategy: Strategy = {
  nameRule: "dns1123subdomain",
  prepareCreate: (obj) => policyErrors(obj),
  prepareUpdate: (obj) => policyErrors(obj),
};
