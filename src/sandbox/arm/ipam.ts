/**
 * Private IP allocation per subnet, as Azure does it: the first four addresses and the last one
 * are reserved; the world's AKS node IPs are taken in the cluster subnet; LB frontends, PLS NAT
 * ipConfigurations and NICs (private endpoints) allocate from their subnet and free on delete.
 * Usage is derived from the stored resources, so it can never drift from them.
 */
import { badRequest } from "./errors.js";
import type { ArmState, Json } from "./types.js";
import { arr, key, obj, sameId, str } from "./util.js";

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return (((parts[0] ?? 0) << 24) >>> 0) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(cidr: string): { start: number; size: number } | undefined {
  const [ip, bits] = cidr.split("/");
  const base = ip ? ipToInt(ip) : undefined;
  const b = Number(bits);
  if (base === undefined || !Number.isInteger(b) || b < 0 || b > 32) return undefined;
  const size = 2 ** (32 - b);
  return { start: base - (base % size), size };
}

export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner.includes("/") ? inner : `${inner}/32`);
  return !!o && !!i && i.start >= o.start && i.start + i.size <= o.start + o.size;
}

/** Every private IP in use in the subnet `subnetId` (lower-cased compare), with its owner. */
export function usedIps(state: ArmState, subnetId: string): Map<string, string> {
  const used = new Map<string, string>();
  const sid = key(subnetId);
  for (const mc of state.world.managedClusters) {
    const c = mc.cloudConfig;
    const cs = `/subscriptions/${mc.subscriptionId}/resourceGroups/${c.vnetResourceGroup}/providers/Microsoft.Network/virtualNetworks/${c.vnetName}/subnets/${c.subnetName}`;
    if (key(cs) === sid) for (const n of mc.nodes) used.set(n.internalIp, `node ${n.name}`);
  }
  for (const r of Object.values(state.resources)) {
    const lists: unknown[] = [];
    if (r.type === "Microsoft.Network/loadBalancers")
      lists.push(...arr(r.properties.frontendIPConfigurations));
    if (r.type === "Microsoft.Network/privateLinkServices") lists.push(...arr(r.properties.ipConfigurations));
    if (r.type === "Microsoft.Network/networkInterfaces") lists.push(...arr(r.properties.ipConfigurations));
    for (const c of lists) {
      const p = obj(obj(c).properties);
      const ip = str(p.privateIPAddress);
      if (ip && sameId(obj(p.subnet).id, subnetId)) used.set(ip, `${str(obj(c).id) ?? r.id}`);
    }
  }
  return used;
}

export interface AllocRequest {
  /** A static address asked for, or undefined for dynamic. */
  staticIp?: string;
  /** Keep this address if it is still free for us (stable dynamic IP across PUTs). */
  keep?: string;
  /** Owner id prefix that may already hold the address (the resource being updated). */
  ownerPrefix?: string;
}

/** Allocates addresses in a subnet; `taken` accumulates within one request. */
export function allocator(state: ArmState, subnet: Json, subnetId: string) {
  const prefix =
    str(obj(subnet.properties).addressPrefix) ?? str(arr(obj(subnet.properties).addressPrefixes)[0]);
  const range = prefix ? parseCidr(prefix) : undefined;
  const used = usedIps(state, subnetId);
  const taken = new Set<string>();
  const isFree = (ip: string, ownerPrefix?: string) => {
    if (taken.has(ip)) return false;
    const owner = used.get(ip);
    return (
      owner === undefined || (!!ownerPrefix && owner.toLowerCase().startsWith(ownerPrefix.toLowerCase()))
    );
  };
  return (req: AllocRequest): string => {
    if (!range || !prefix)
      throw badRequest("InvalidRequestFormat", `Subnet ${subnetId} has no address prefix.`);
    const first = range.start + 4;
    const last = range.start + range.size - 2;
    if (req.staticIp) {
      const n = ipToInt(req.staticIp);
      if (n === undefined || n < range.start || n >= range.start + range.size) {
        throw badRequest(
          "PrivateIPAddressNotInSubnet",
          `IP address ${req.staticIp} does not belong to subnet ${subnetId} with address prefix ${prefix}.`,
        );
      }
      if (n < first || n > last) {
        throw badRequest(
          "PrivateIPAddressIsReserved",
          `IP address ${req.staticIp} is reserved for use by Azure in subnet ${subnetId}.`,
        );
      }
      if (!isFree(req.staticIp, req.ownerPrefix)) {
        throw badRequest(
          "PrivateIPAddressInUse",
          `IP configuration is using the private IP address ${req.staticIp} which is already allocated to resource ${used.get(req.staticIp) ?? "in this request"}.`,
        );
      }
      taken.add(req.staticIp);
      return req.staticIp;
    }
    if (req.keep && isFree(req.keep, req.ownerPrefix)) {
      taken.add(req.keep);
      return req.keep;
    }
    for (let n = first; n <= last; n++) {
      const ip = intToIp(n);
      if (isFree(ip)) {
        taken.add(ip);
        return ip;
      }
    }
    throw badRequest(
      "SubnetIsFull",
      `Subnet ${str(subnet.name)} with address prefix ${prefix} does not have enough capacity for 1 IP addresses.`,
    );
  };
}

export interface IpConfigRequest {
  /** `Static` or `Dynamic`. */
  method: string;
  /** The address asked for (static). */
  staticIp: unknown;
  /** The configuration as stored before this PUT, if any. */
  prev: Json | undefined;
  /** The configuration's id (it may already hold its address). */
  owner: string;
}

/**
 * Addresses for the IP configurations of one PUT (LB frontends, PLS NAT configurations): the static
 * address asked for, else the one the configuration had on the same subnet if still free, else the
 * first free one. One allocator per subnet for the whole request, so no address is given twice.
 */
export function requestAllocator(state: ArmState) {
  const allocs = new Map<string, ReturnType<typeof allocator>>();
  return (subnet: Json, subnetId: string, req: IpConfigRequest): string => {
    let alloc = allocs.get(subnetId.toLowerCase());
    if (!alloc) {
      alloc = allocator(state, subnet, subnetId);
      allocs.set(subnetId.toLowerCase(), alloc);
    }
    const pp = obj(req.prev?.properties);
    const prevIp = sameId(obj(pp.subnet).id, subnetId) ? str(pp.privateIPAddress) : undefined;
    return req.method === "Static"
      ? alloc({ staticIp: str(req.staticIp) ?? "", ownerPrefix: req.owner })
      : alloc({ ...(prevIp ? { keep: prevIp } : {}), ownerPrefix: req.owner });
  };
}
