/** Name and value rules, checked before anything is written, in plain words. */
import { isIPv4, isIPv6 } from "node:net";
import { usageError } from "./errors.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (v: string): boolean => GUID.test(v);

export function requireGuid(value: string, flag: string): string {
  const v = value.trim();
  if (!isGuid(v)) {
    throw usageError(
      `${flag} ${JSON.stringify(value)} is not a subscription id.`,
      "Subscription ids are GUIDs such as 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d (see `az account list -o table`).",
    );
  }
  return v.toLowerCase();
}

/**
 * Azure's rule for Private Link Service names (Microsoft.Network naming rules): 1–80 characters,
 * letters, digits, underscores, periods and hyphens; starts with a letter or digit; ends with a
 * letter, digit or underscore.
 */
const PLS_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

export function plsNameProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name.length > 80) return `it has ${name.length} characters (at most 80)`;
  if (!/^[A-Za-z0-9]/.test(name)) return "it must start with a letter or digit";
  if (!/[A-Za-z0-9_]$/.test(name)) return "it must end with a letter, digit or underscore";
  if (!PLS_NAME.test(name)) return "only letters, digits, '_', '.' and '-' are allowed";
  return undefined;
}

export function requirePlsName(name: string): string {
  const problem = plsNameProblem(name);
  if (problem) {
    throw usageError(
      `--pls-name ${JSON.stringify(name)} is not a valid Private Link Service name: ${problem}.`,
      "Use 1–80 letters, digits, '_', '.' or '-', starting with a letter or digit.",
    );
  }
  return name;
}

/** Resource group names: 1–90 chars of letters, digits, _ ( ) . - ; not ending in a period. */
export function requireResourceGroup(name: string, flag: string): string {
  if (!/^[-\w.()]{1,90}$/u.test(name) || name.endsWith(".")) {
    throw usageError(
      `${flag} ${JSON.stringify(name)} is not a valid resource group name.`,
      "Use 1–90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.",
    );
  }
  return name;
}

/** Subnet names: 1–80 chars, letters/digits/_ . -, start alphanumeric, end alphanumeric or _. */
export function requireSubnetName(name: string, flag: string): string {
  if (!PLS_NAME.test(name)) {
    throw usageError(
      `${flag} ${JSON.stringify(name)} is not a subnet name.`,
      "Give the subnet's name in the cluster's VNet (not its id), e.g. --nat-subnet pls-nat-subnet.",
    );
  }
  return name;
}

export function requireIpv4(value: string, flag: string): string {
  const v = value.trim();
  if (isIPv6(v)) {
    throw usageError(
      `${flag} ${v} is an IPv6 address; Private Link Service NAT IPs are IPv4 only.`,
      "Give an IPv4 address from the NAT subnet.",
    );
  }
  if (!isIPv4(v)) {
    throw usageError(
      `${flag} ${JSON.stringify(value)} is not an IPv4 address.`,
      `Give four numbers 0-255 from the NAT subnet's range, e.g. ${flag} 10.224.0.10.`,
    );
  }
  return v;
}

export function requireFqdn(value: string): string {
  const v = value.trim().replace(/\.$/, "");
  const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
  if (v.length > 253 || !v.includes(".") || !v.split(".").every((l) => label.test(l))) {
    throw usageError(
      `--fqdn ${JSON.stringify(value)} is not a fully qualified domain name.`,
      "Example: --fqdn api.contoso.com",
    );
  }
  return v.toLowerCase();
}
