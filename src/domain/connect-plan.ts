/**
 * `connect`, the parts of its plan that need no request: the flags turned into what to connect
 * (target, endpoint name, subnet, DNS), the checks on what Azure answered (VNet, subnet, region),
 * the one deadline of the command, and the result document. The flow (src/flows/connect/) reads
 * Azure, hands what it read to these, and writes what they decided.
 */
import type { CloudName } from "./cloud.js";
import {
  type ConnectTarget,
  checkDnsFlags,
  checkRequestMessage,
  endpointName,
  parseConnectTarget,
  subnetIdOf,
} from "./connect.js";
import { checkZoneFlags, DNS_RECORD_TAG, recordIdOf, type ZoneRef, zoneIdOfRef } from "./dns-zones.js";
import { ExitCode, PlsctlError, usageError } from "./errors.js";
import { requireResourceGroup } from "./names.js";
import { parseResourceId, type ResourceAt } from "./resource-id.js";
import type { ConnectResult } from "./results.js";

/** The flags of `connect` that decide what it does (ConnectOptions in the flow). */
export interface ConnectFlags {
  pls: string;
  groupId?: string | undefined;
  resourceGroup: string;
  vnet?: string | undefined;
  subnet?: string | undefined;
  subnetId?: string | undefined;
  name?: string | undefined;
  requestMessage?: string | undefined;
  dnsZone?: string | undefined;
  dnsName?: string | undefined;
  overwriteDns?: boolean | undefined;
  /** A private DNS zone's resource id (a hub's central zone) to write into. */
  dnsZoneId?: string | undefined;
  /** No DNS at all (a PaaS target gets no zone group). */
  noDns?: boolean | undefined;
  /** Replace an endpoint of that name whose connection is Disconnected or Rejected (connect-replace.ts). */
  replace?: boolean | undefined;
}

/** The DNS the flags ask for: a zone named by id, and a record (zone + label) for a PLS target. */
export interface DnsAsked {
  byId: ZoneRef | undefined;
  wanted: { zone: string; label: string } | undefined;
}

export function dnsAsked(f: ConnectFlags, target: ConnectTarget): DnsAsked {
  const byId = checkZoneFlags(f, target);
  const wanted = checkDnsFlags(
    { ...f, dnsZone: f.dnsZone ?? (target.kind === "paas" ? undefined : byId?.zone) },
    target,
  );
  return { byId, wanted };
}

/** The zone to write into: the record's, or a PaaS target's standard zone (unless --no-dns). */
export function zoneToWrite(f: ConnectFlags, target: ConnectTarget, dns: DnsAsked): string | undefined {
  return dns.wanted?.zone ?? (target.kind === "paas" && !f.noDns ? target.zone : undefined);
}

/** Everything the flags alone decide, checked before any request. */
export interface FlagPlan {
  target: ConnectTarget;
  name: string;
  subnetId: string;
  subscriptionId: string;
  dns: DnsAsked;
}

export function planFlags(
  f: ConnectFlags,
  env: { cloud: CloudName; subscription: string | undefined; envSubscription: string | undefined },
): FlagPlan {
  const target = parseConnectTarget(f.pls, f.groupId, env.cloud);
  checkRequestMessage(f.requestMessage);
  const dns = dnsAsked(f, target);
  const name = endpointName(f.name, target);
  requireResourceGroup(f.resourceGroup, "--resource-group");
  const { subnetId, subscriptionId } = subnetIdOf(f, {
    subscriptionId: f.subnetId !== undefined ? env.subscription : (env.subscription ?? env.envSubscription),
    resourceGroup: f.resourceGroup,
  });
  return { target, name, subnetId, subscriptionId, dns };
}

/** The VNet as Azure returned it (undefined: not there). */
export interface VnetSeen {
  id: string;
  name: string;
  location: string;
  subnetNames: string[];
}

/**
 * The subnet's VNet and the subnet must exist, and `--location`, when given, must be the VNet's
 * region (an endpoint is created in its VNet's region). Returns the region.
 */
export function checkSubnet(
  subnetId: string,
  seen: { vnet?: VnetSeen | undefined; subnetId?: string | undefined },
  location: string | undefined,
): { vnet: VnetSeen; subnetId: string; location: string } {
  const sid = parseResourceId(subnetId);
  const [vnetName = "", , subnetName = ""] = sid?.path.slice(1) ?? [];
  const vnet = seen.vnet;
  if (!vnet) {
    throw new PlsctlError(
      `Virtual network ${vnetName} does not exist in resource group ${sid?.resourceGroup} of subscription ${sid?.subscriptionId}.`,
      {
        exitCode: ExitCode.NotFound,
        code: "VnetNotFound",
        hint: `Check --vnet/--subnet-id and the subscription (az network vnet list --subscription ${sid?.subscriptionId} -o table).`,
      },
    );
  }
  if (!seen.subnetId) {
    throw new PlsctlError(
      `Subnet ${subnetName} does not exist in virtual network ${vnet.name} (${vnet.location}).`,
      {
        exitCode: ExitCode.NotFound,
        code: "SubnetNotFound",
        hint: `Its subnets: ${vnet.subnetNames.join(", ") || "none"}. Pass one with --subnet, or create one first.`,
      },
    );
  }
  if (location !== undefined && location.replace(/\s/g, "").toLowerCase() !== vnet.location.toLowerCase()) {
    throw usageError(
      `--location ${location}: a private endpoint is created in its virtual network's region, and ${vnet.name} is in ${vnet.location}.`,
      `Leave --location out (it defaults to ${vnet.location}), or use a subnet of a VNet in ${location}.`,
    );
  }
  return { vnet, subnetId: seen.subnetId, location: vnet.location };
}

/** The tag that tells disconnect where the A record is, when that is a hub's zone. */
export function recordTagsOf(
  zone: { zone: ZoneRef; central: boolean } | undefined,
  wanted: { label: string } | undefined,
): Record<string, string> | undefined {
  return zone?.central && wanted ? { [DNS_RECORD_TAG]: recordIdOf(zone.zone, wanted.label) } : undefined;
}

/** The endpoint connect makes: where, to what, and how (manual or automatic). */
export interface EndpointSpec extends ResourceAt {
  location: string;
  subnetId: string;
  target: string;
  groupIds: string[];
  manual: boolean;
  requestMessage: string | undefined;
  tags?: Record<string, string> | undefined;
}

export function endpointSpec(
  at: ResourceAt,
  p: {
    location: string;
    subnetId: string;
    target: ConnectTarget;
    requestMessage: string | undefined;
    tags: Record<string, string> | undefined;
  },
  manual: boolean,
): EndpointSpec {
  return {
    ...at,
    location: p.location,
    subnetId: p.subnetId,
    target: p.target.ref,
    groupIds: p.target.kind === "paas" ? [p.target.groupId] : [],
    manual,
    requestMessage: p.requestMessage,
    tags: p.tags,
  };
}

/** The endpoint as connect reports it. */
export interface EndpointSeen extends ResourceAt {
  id: string;
  location: string;
  subnetId: string;
  target: string;
  manual: boolean;
  state: string;
  description: string | null;
  privateIp: string | null;
}

/** A connection the provider rejected or removed, as a warning (undefined: nothing to say). */
export function endedConnectionWarning(ep: EndpointSeen): { message: string; hint: string } | undefined {
  if (ep.state !== "Rejected" && ep.state !== "Disconnected") return undefined;
  const rejected = ep.state === "Rejected";
  return {
    message: `The provider ${rejected ? "rejected" : "removed"} this connection${rejected ? "" : " (its Private Link Service was deleted or recreated, or the connection removed)"}: ${ep.description || "(no description)"}.`,
    hint: rejected
      ? "Talk to the provider; once they agree, re-run this command with --replace (a new endpoint under the same name, so a new request; its DNS name is kept)."
      : "Ask the provider for the new alias, then re-run this command with --pls <new alias> --replace (a new endpoint under the same name; its DNS name is kept).",
  };
}

/** What `connect` wrote DNS into, as the result reports it. */
export interface DnsDone {
  zone: ZoneRef;
  central: boolean;
  record: string | null;
}

export function connectResult(
  ep: EndpointSeen,
  target: ConnectTarget,
  done: {
    fqdn: string | null;
    dns: DnsDone | undefined;
    approveLine: string;
    replaced: ConnectResult["replaced"];
    changed: boolean;
  },
): ConnectResult {
  const { dns } = done;
  return {
    endpoint: {
      id: ep.id,
      name: ep.name,
      resourceGroup: ep.resourceGroup,
      subscriptionId: ep.subscriptionId,
      location: ep.location,
      subnetId: ep.subnetId,
    },
    target: ep.target,
    targetKind: target.kind,
    groupId: target.kind === "paas" ? target.groupId : null,
    manual: ep.manual,
    state: ep.state,
    description: ep.description,
    privateIp: ep.privateIp,
    fqdn: done.fqdn,
    dns: dns
      ? {
          zone: dns.zone.zone,
          zoneId: zoneIdOfRef(dns.zone),
          central: dns.central,
          record: dns.record,
          zoneGroup: target.kind === "paas",
        }
      : null,
    approveCommand: ep.state === "Pending" ? done.approveLine : null,
    replaced: done.replaced,
    changed: done.changed,
  };
}
