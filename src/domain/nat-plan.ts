/**
 * Where the PLS's NAT IPs will live after this run, and whether Azure will accept it: the subnet
 * must exist in the cluster's VNet, static IPs must lie in its prefix, outside Azure's reserved
 * addresses, and be free. Checked before anything is written: the controller would otherwise fail
 * on every retry (PrivateIPAddressNotInSubnet, PrivateIPAddressInUse, …) while the old PLS stays.
 */
import { ANN, type AnnotationChanges, type Annotations } from "./annotations.js";
import { usageError } from "./errors.js";
import { natIpCountOf, natSubnetName, staticIpsOf } from "./pls-match.js";

export interface NatPlan {
  /** The NAT subnet after the change; undefined: the cluster's default subnet. */
  subnet: string | undefined;
  subnetChanged: boolean;
  /** A new azure-load-balancer-internal-subnet, which must exist too. */
  internalSubnet: string | undefined;
  staticIps: string[];
  ipsChanged: boolean;
  count: number | undefined;
}

const applied = (a: Annotations, changes: AnnotationChanges): Annotations => {
  const out: Record<string, string> = { ...a };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
};

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/** The NAT side of a change; undefined when it changes nothing there (nothing to ask Azure). */
export function natPlan(before: Annotations, changes: AnnotationChanges): NatPlan | undefined {
  const after = applied(before, changes);
  const subnet = natSubnetName(after);
  const staticIps = staticIpsOf(after);
  const subnetChanged = !same(subnet, natSubnetName(before));
  const ipsChanged = staticIps.join(" ") !== staticIpsOf(before).join(" ");
  const internalChanged = !same(after[ANN.internalSubnet], before[ANN.internalSubnet]);
  const countChanged = after[ANN.plsNatIpCount] !== before[ANN.plsNatIpCount];
  if (!subnetChanged && !ipsChanged && !internalChanged && !countChanged) return undefined;
  return {
    subnet,
    subnetChanged,
    internalSubnet: internalChanged ? after[ANN.internalSubnet]?.trim() || undefined : undefined,
    staticIps,
    ipsChanged,
    count: natIpCountOf(after),
  };
}

export interface SubnetFacts {
  name: string;
  prefixes: string[];
}

export interface NatFacts {
  /** The cluster's VNet, for messages: `aks-vnet (resource group rg-aks)`. */
  vnet: string;
  subnets: SubnetFacts[];
  /** The subnet the controller uses without annotations (the agent pool's), when known. */
  defaultSubnet: string | undefined;
  /** Addresses taken in the NAT subnet, and by what (this Service's own PLS left out). */
  used: ReadonlyMap<string, string>;
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** [first, last] address of an IPv4 CIDR; undefined for anything else (IPv6 prefixes). */
export function cidrRange(cidr: string): [number, number] | undefined {
  const [ip, bits] = cidr.split("/");
  const base = ip ? ipv4ToInt(ip) : undefined;
  const b = Number(bits);
  if (base === undefined || !Number.isInteger(b) || b < 0 || b > 32) return undefined;
  const size = 2 ** (32 - b);
  const start = base - (base % size);
  return [start, start + size - 1];
}

const subnetList = (f: NatFacts) => f.subnets.map((s) => s.name).join(", ") || "none";

function requireSubnet(f: NatFacts, name: string, flag: string): SubnetFacts {
  const found = f.subnets.find((s) => same(s.name, name));
  if (found) return found;
  throw usageError(
    `${flag} ${name}: the cluster's virtual network ${f.vnet} has no subnet of that name (the AKS controller would fail on every retry).`,
    `Its subnets: ${subnetList(f)}. Create the subnet first, or pick one of those.`,
  );
}

/** Refuses (exit 2) what Azure would refuse; quiet when the facts cannot tell. */
export function checkNatPlan(plan: NatPlan, f: NatFacts): void {
  if (plan.internalSubnet) requireSubnet(f, plan.internalSubnet, "--internal-subnet");
  const subnetName = plan.subnet ?? f.defaultSubnet;
  if (plan.count !== undefined && plan.count < plan.staticIps.length) {
    throw usageError(
      `The Service would have ${plan.staticIps.length} static NAT IPs (${plan.staticIps.join(" ")}) but only ${plan.count} NAT IP configuration(s).`,
      `Raise --nat-ip-count to at least ${plan.staticIps.length}, or give fewer --nat-ip addresses.`,
    );
  }
  if (subnetName === undefined) return;
  const subnet = plan.subnetChanged
    ? requireSubnet(f, subnetName, "--nat-subnet")
    : f.subnets.find((s) => same(s.name, subnetName));
  if (!subnet || (!plan.subnetChanged && !plan.ipsChanged)) return;
  const ranges = subnet.prefixes.map(cidrRange).filter((r): r is [number, number] => r !== undefined);
  if (ranges.length === 0) return;
  const prefixes = subnet.prefixes.join(", ");
  const outside = plan.staticIps.filter((ip) => {
    const n = ipv4ToInt(ip);
    return n === undefined || !ranges.some(([a, b]) => n >= a && n <= b);
  });
  if (outside.length && !plan.ipsChanged) {
    throw usageError(
      `Moving the NAT IPs to subnet ${subnet.name} (${prefixes}) strands the Service's static NAT IPs ${outside.join(" ")} (annotation ${ANN.plsNatIps}): they are not in that subnet.`,
      `Give addresses in ${subnet.name} with --nat-ip, or let Azure pick them with --no-nat-ip.`,
    );
  }
  if (outside.length) {
    throw usageError(
      `--nat-ip ${outside.join(" ")}: not in NAT subnet ${subnet.name} (${prefixes}).`,
      `Pick free addresses in ${prefixes}, or leave --nat-ip out to let Azure choose.`,
    );
  }
  for (const ip of plan.staticIps) {
    const n = ipv4ToInt(ip) as number;
    const range = ranges.find(([a, b]) => n >= a && n <= b) as [number, number];
    if (n - range[0] < 4 || n === range[1]) {
      throw usageError(
        `--nat-ip ${ip}: Azure reserves it in subnet ${subnet.name} (the first four addresses and the last of ${prefixes}).`,
        "Pick another address in the subnet.",
      );
    }
    const owner = f.used.get(ip);
    if (owner) {
      throw usageError(
        `--nat-ip ${ip} is already in use in subnet ${subnet.name}, by ${owner}.`,
        "Pick a free address, or leave --nat-ip out to let Azure choose.",
      );
    }
  }
}
