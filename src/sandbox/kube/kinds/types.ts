/** What a kind-specific strategy gets and does (defaulting, allocation, validation, update rules). */
import type { FieldError } from "../errors.js";
import type { KObj } from "../resources.js";
import type { Store } from "../store.js";

export interface KindCtx {
  store: Store;
  now: () => Date;
}

export interface Strategy {
  /** Defaults, allocates and validates a new object (metadata already filled); returns field errors. */
  prepareCreate?(obj: KObj, ctx: KindCtx): FieldError[];
  /** Same for an update of `old` (main resource; status already carried over). */
  prepareUpdate?(obj: KObj, old: KObj, ctx: KindCtx): FieldError[];
  /** Name rule: DNS-1035 label (services), DNS-1123 label (namespaces) or DNS-1123 subdomain. */
  nameRule: "dns1035" | "dns1123label" | "dns1123subdomain";
}

export type Dict = Record<string, unknown>;

export const isDict = (v: unknown): v is Dict => v !== null && typeof v === "object" && !Array.isArray(v);

export function dict(parent: Dict, key: string): Dict {
  const v = parent[key];
  if (isDict(v)) return v;
  const d: Dict = {};
  parent[key] = d;
  return d;
}

export function list(parent: Dict, key: string): Dict[] {
  const v = parent[key];
  return Array.isArray(v) ? (v.filter(isDict) as Dict[]) : [];
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUB = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The apiserver's message for a bad name, or undefined when the name is fine. */
export function nameProblem(rule: Strategy["nameRule"], name: string): string | undefined {
  if (rule === "dns1035") {
    if (name.length > 63) return "must be no more than 63 characters";
    if (!DNS1035.test(name)) {
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }
  } else if (rule === "dns1123label") {
    if (name.length > 63) return "must be no more than 63 characters";
    if (!DNS1123_LABEL.test(name)) {
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }
  } else {
    if (name.length > 253) return "must be no more than 253 characters";
    if (!DNS1123_SUB.test(name)) {
      return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }
  }
  return undefined;
}

export function ipToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return (((p[0] ?? 0) << 24) | ((p[1] ?? 0) << 16) | ((p[2] ?? 0) << 8) | (p[3] ?? 0)) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** JSON with object keys sorted: equality of documents regardless of the order clients send keys in. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    isDict(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, val[k]]),
        )
      : val,
  );
}
