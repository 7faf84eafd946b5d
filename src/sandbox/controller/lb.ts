/**
 * The load-balancer half of the simulated Azure provider: the Service's frontend on
 * `kubernetes-internal` (private IP from the cluster or internal subnet) or on `kubernetes` (a public
 * IP), with plausible rules, probes and backend pool; frontend replacement and removal, each of which
 * first deletes the Private Link Service attached to the frontend.
 */
import { ANN, type Annotations, internalSubnet, plsCreate, plsProxyProtocol } from "./annotations.js";
import { isNotFound } from "./arm-client.js";
import type { ServiceObject } from "./kube-client.js";
import { backendPool, dualStack, ipv6Frontend } from "./lb-pools.js";
import { ControllerError, MSG } from "./messages.js";
import {
  defaultLoadBalancerName,
  frontendName,
  lbId,
  lbRuleName,
  loadBalancerName,
  subnetId,
} from "./names.js";
import { deletePlsOfFrontend, type PlsContext } from "./pls.js";

export interface FipWire {
  id?: string;
  name?: string;
  properties?: {
    privateIPAddress?: string;
    privateIPAllocationMethod?: string;
    privateIPAddressVersion?: string;
    subnet?: { id?: string };
    publicIPAddress?: { id?: string };
    [k: string]: unknown;
  };
}

interface SubResource {
  id?: string;
  name?: string;
  properties?: Record<string, unknown>;
}

export interface LbWire {
  id?: string;
  name?: string;
  location?: string;
  sku?: { name?: string; tier?: string };
  tags?: Record<string, string>;
  properties?: {
    frontendIPConfigurations?: FipWire[];
    backendAddressPools?: SubResource[];
    loadBalancingRules?: SubResource[];
    probes?: SubResource[];
    [k: string]: unknown;
  };
}

export const enc = encodeURIComponent;
export const lower = (s: string | undefined) => (s ?? "").toLowerCase();

export function serviceKey(svc: ServiceObject): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}`;
}

export function lbPath(ctx: PlsContext, name: string): string {
  return lbId(ctx.cluster.subscriptionId, enc(ctx.cluster.cloudConfig.resourceGroup), enc(name));
}

function requestedIp(svc: ServiceObject): string | undefined {
  const a = svc.metadata.annotations ?? {};
  return a[ANN.ipv4] || svc.spec?.loadBalancerIP || undefined;
}

function ownsName(uid: string, name: string | undefined): boolean {
  return lower(name).startsWith(lower(defaultLoadBalancerName(uid)));
}

/** What the controller manages on an LB, to tell whether a PUT is needed (read-only fields ignored). */
export function lbSignature(lb: LbWire): string {
  const p = lb.properties ?? {};
  const ref = (x: unknown) => lower((x as { id?: string } | undefined)?.id);
  const pick = (o: Record<string, unknown> | undefined, keys: string[]) =>
    keys.map((k) => (typeof o?.[k] === "object" ? ref(o[k]) : String(o?.[k] ?? "")));
  return JSON.stringify({
    fips: (p.frontendIPConfigurations ?? []).map((f) => [
      lower(f.name),
      lower(f.properties?.subnet?.id),
      lower(f.properties?.publicIPAddress?.id),
      f.properties?.privateIPAllocationMethod === "Static" ? f.properties.privateIPAddress : "",
    ]),
    pools: (p.backendAddressPools ?? []).map((b) => lower(b.name)),
    rules: (p.loadBalancingRules ?? []).map((r) => [
      lower(r.name),
      ...pick(r.properties, [
        "frontendIPConfiguration",
        "probe",
        "protocol",
        "frontendPort",
        "backendPort",
        "enableFloatingIP",
      ]),
    ]),
    probes: (p.probes ?? []).map((r) => [lower(r.name), ...pick(r.properties, ["protocol", "port"])]),
  });
}

/**
 * The default health probe: TCP on the node port; with `externalTrafficPolicy: Local`, HTTP
 * `/healthz` on the health-check node port — except when the PLS uses proxy protocol, whose PROXY
 * headers kube-proxy's healthz would reject (cloud-provider-azure pkg/provider/azure_loadbalancer.go,
 * func getExpectedLBRules; kubernetes-sigs/cloud-provider-azure PR #3931).
 */
function probeFor(svc: ServiceObject, nodePort: number): Record<string, unknown> {
  const a = svc.metadata.annotations ?? {};
  const local = svc.spec?.externalTrafficPolicy === "Local" && svc.spec.healthCheckNodePort !== undefined;
  if (local && !(plsCreate(a) && plsProxyProtocol(a))) {
    return {
      protocol: "Http",
      port: svc.spec?.healthCheckNodePort,
      requestPath: "/healthz",
      intervalInSeconds: 5,
      numberOfProbes: 2,
    };
  }
  return { protocol: "Tcp", port: nodePort, intervalInSeconds: 5, numberOfProbes: 2 };
}

/** Rules and probes of this Service on `fip`, replacing the ones it had. */
export function setRules(lb: LbWire, svc: ServiceObject, fip: { id: string }, internal: boolean): void {
  const props = lb.properties ?? {};
  const uid = svc.metadata.uid;
  const subnet = internal ? internalSubnet(svc.metadata.annotations ?? {}) : undefined;
  const lbIdStr = lb.id ?? "";
  const pool = `${lbIdStr}/backendAddressPools/${props.backendAddressPools?.[0]?.name ?? "kubernetes"}`;
  const floatingIp = lower(svc.metadata.annotations?.[ANN.disableFloatingIp]) !== "true";
  const rules: SubResource[] = [];
  const probes: SubResource[] = [];
  for (const port of svc.spec?.ports ?? []) {
    const protocol = (port.protocol ?? "TCP").toUpperCase();
    const name = lbRuleName(uid, protocol, port.port, subnet);
    const probeId = `${lbIdStr}/probes/${name}`;
    probes.push({ name, properties: probeFor(svc, port.nodePort ?? port.port) });
    rules.push({
      name,
      properties: {
        frontendIPConfiguration: { id: fip.id },
        backendAddressPool: { id: pool },
        backendAddressPools: [{ id: pool }],
        probe: { id: probeId },
        protocol: protocol === "UDP" ? "Udp" : "Tcp",
        frontendPort: port.port,
        backendPort: floatingIp ? port.port : (port.nodePort ?? port.port),
        enableFloatingIP: floatingIp,
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
        loadDistribution: "Default",
        disableOutboundSnat: false,
      },
    });
  }
  props.loadBalancingRules = [
    ...(props.loadBalancingRules ?? []).filter((r) => !ownsName(uid, r.name)),
    ...rules,
  ];
  props.probes = [...(props.probes ?? []).filter((p) => !ownsName(uid, p.name)), ...probes];
  lb.properties = props;
}

/** Whether rules of other Services reference the frontend (then it must survive). */
function referencedByOthers(lb: LbWire, fip: FipWire, uid: string): boolean {
  return (lb.properties?.loadBalancingRules ?? []).some(
    (r) =>
      !ownsName(uid, r.name) &&
      lower((r.properties?.frontendIPConfiguration as { id?: string } | undefined)?.id) === lower(fip.id),
  );
}

/**
 * Remove this Service from `lb`: its rules and probes, and each frontend it owns unless others use
 * it (the PLS on a removed frontend is deleted first). PUTs or DELETEs the LB when something changed
 * and returns whether it did.
 */
export async function removeServiceFromLb(
  ctx: PlsContext,
  svc: ServiceObject,
  lbName: string,
  onKept?: (message: string) => void,
): Promise<boolean> {
  const path = lbPath(ctx, lbName);
  const lb = await ctx.arm.get<LbWire>(path);
  if (!lb) return false;
  const uid = svc.metadata.uid;
  const a = svc.metadata.annotations ?? {};
  const props = lb.properties ?? {};
  const before = lbSignature(lb);
  const fips = props.frontendIPConfigurations ?? [];
  const remaining: FipWire[] = [];
  const ip = requestedIp(svc);
  // A Service owns the frontends named after it, and (as a secondary Service) the one carrying its
  // requested IP (cloud-provider-azure pkg/provider/azure_loadbalancer.go, func serviceOwnsFrontendIP).
  const owns = (f: FipWire) =>
    ownsName(uid, f.name) || (ip !== undefined && f.properties?.privateIPAddress === ip);
  for (const fip of fips) {
    if (!owns(fip)) {
      remaining.push(fip);
      continue;
    }
    if (referencedByOthers(lb, fip, uid)) {
      remaining.push(fip);
      onKept?.(
        `isFrontendIPConfigUnsafeToDelete: frontend IP configuration with ID ${fip.id} on LB ${lb.id} cannot be deleted because it is being referenced by load balancing rules of other services`,
      );
      continue;
    }
    if (fip.id) await deletePlsOfFrontend(ctx, a, fip.id);
  }
  props.frontendIPConfigurations = remaining;
  props.loadBalancingRules = (props.loadBalancingRules ?? []).filter((r) => !ownsName(uid, r.name));
  props.probes = (props.probes ?? []).filter((p) => !ownsName(uid, p.name));
  if (lbSignature(lb) === before) return false;
  if (remaining.length === 0) {
    await ctx.arm.delete(path);
    return true;
  }
  lb.properties = props;
  await ctx.arm.put(path, lb);
  return true;
}

/** `GetLoadBalancer` as far as clean-up needs it: does either LB carry anything of this Service? */
export async function serviceHasLoadBalancer(ctx: PlsContext, svc: ServiceObject): Promise<boolean> {
  const uid = svc.metadata.uid;
  const ip = requestedIp(svc);
  for (const internal of [true, false]) {
    const lb = await ctx.arm.get<LbWire>(lbPath(ctx, loadBalancerName(ctx.cluster.cloudConfig, internal)));
    const p = lb?.properties ?? {};
    if (
      (p.frontendIPConfigurations ?? []).some(
        (f) => ownsName(uid, f.name) || (ip !== undefined && f.properties?.privateIPAddress === ip),
      )
    ) {
      return true;
    }
    if ((p.loadBalancingRules ?? []).some((r) => ownsName(uid, r.name))) return true;
  }
  return false;
}

export function newLb(ctx: PlsContext, name: string): LbWire {
  const cfg = ctx.cluster.cloudConfig;
  return {
    id: lbPath(ctx, name),
    name,
    location: cfg.location,
    sku: { name: "Standard", tier: "Regional" },
    properties: {
      frontendIPConfigurations: [],
      backendAddressPools: [backendPool(ctx)],
      loadBalancingRules: [],
      probes: [],
    },
  };
}

/** The LB as ARM has it (or a new one), its properties, and its signature before any change. */
export async function openLb(
  ctx: PlsContext,
  name: string,
): Promise<{ path: string; lb: LbWire; props: NonNullable<LbWire["properties"]>; before: string }> {
  const path = lbPath(ctx, name);
  const existing = await ctx.arm.get<LbWire>(path);
  const lb = existing ?? newLb(ctx, name);
  lb.id = lb.id ?? path;
  const props = lb.properties ?? {};
  lb.properties = props;
  return { path, lb, props, before: existing ? lbSignature(existing) : "" };
}

export interface EnsuredFrontend {
  fip: { id: string; name: string };
  ip: string;
  /** Whether anything was written in ARM. */
  wrote: boolean;
  /** IPv6 frontends on the same load balancer (of any Service). */
  ipv6FrontendIds?: string[];
}

/** `reconcileLoadBalancer(wantLb=true)` for an internal Service. */
export async function ensureInternalFrontend(ctx: PlsContext, svc: ServiceObject): Promise<EnsuredFrontend> {
  const cfg = ctx.cluster.cloudConfig;
  const a: Annotations = svc.metadata.annotations ?? {};
  const uid = svc.metadata.uid;
  const lbName = loadBalancerName(cfg, true);
  const subnetName = internalSubnet(a) ?? cfg.subnetName;
  const vnetRg = cfg.vnetResourceGroup || cfg.resourceGroup;
  const sPath = subnetId(ctx.cluster.subscriptionId, enc(vnetRg), enc(cfg.vnetName), enc(subnetName));
  let subnet: { id?: string };
  try {
    subnet = await ctx.arm.getStrict<{ id?: string }>(sPath);
  } catch (err) {
    if (isNotFound(err))
      throw new ControllerError(MSG.lbSubnetMissing(serviceKey(svc), lbName, cfg.vnetName, subnetName));
    throw err;
  }
  const { path, lb, props, before } = await openLb(ctx, lbName);
  const wantName = frontendName(uid, internalSubnet(a));
  const ip = requestedIp(svc);
  const fips = props.frontendIPConfigurations ?? [];
  let own = fips.find((f) => lower(f.name) === lower(wantName));
  if (own) {
    const sameSubnet = lower(own.properties?.subnet?.id) === lower(subnet.id ?? sPath);
    if (!sameSubnet || (ip !== undefined && own.properties?.privateIPAddress !== ip)) own = undefined;
  }
  const wantV6 = dualStack(svc) ? `${wantName}-IPv6` : undefined;
  const own6 = wantV6 ? fips.find((f) => lower(f.name) === lower(wantV6)) : undefined;
  // Frontends of this Service that are no longer wanted (subnet or IP changed): PLS first, then the frontend.
  const stale = fips.filter((f) => ownsName(uid, f.name) && f !== own && f !== own6);
  for (const f of stale) if (f.id) await deletePlsOfFrontend(ctx, a, f.id);
  props.frontendIPConfigurations = fips.filter((f) => !stale.includes(f));
  const staleNames = stale.map((f) => lower(f.name));
  props.loadBalancingRules = (props.loadBalancingRules ?? []).filter(
    (r) => !staleNames.some((n) => lower(r.name).startsWith(n)),
  );
  props.probes = (props.probes ?? []).filter((p) => !staleNames.some((n) => lower(p.name).startsWith(n)));
  let fip = own;
  if (!fip && ip !== undefined)
    fip = props.frontendIPConfigurations.find((f) => f.properties?.privateIPAddress === ip);
  if (!fip) {
    fip = {
      id: `${lb.id}/frontendIPConfigurations/${wantName}`,
      name: wantName,
      properties: {
        privateIPAllocationMethod: ip ? "Static" : "Dynamic",
        ...(ip ? { privateIPAddress: ip } : {}),
        privateIPAddressVersion: "IPv4",
        subnet: { id: subnet.id ?? sPath },
      },
    };
    props.frontendIPConfigurations.push(fip);
  }
  if (wantV6 && !own6)
    props.frontendIPConfigurations.push(ipv6Frontend(lb.id ?? path, wantV6, uid, subnet.id ?? sPath));
  const fipName = fip.name ?? wantName;
  setRules(lb, svc, { id: fip.id ?? `${lb.id}/frontendIPConfigurations/${fipName}` }, true);
  let result = lb;
  const wrote = lbSignature(lb) !== before;
  if (wrote) result = await ctx.arm.put<LbWire>(path, lb);
  const final = (result.properties?.frontendIPConfigurations ?? []).find(
    (f) => lower(f.name) === lower(fipName),
  );
  if (!final?.id)
    throw new ControllerError(`ensure(${serviceKey(svc)}): lb(${lbName}) - frontend ${fipName} not found`);
  const ipv6FrontendIds = (result.properties?.frontendIPConfigurations ?? [])
    .filter((f) => f.properties?.privateIPAddressVersion === "IPv6" && f.id)
    .map((f) => f.id ?? "");
  return {
    fip: { id: final.id, name: final.name ?? fipName },
    ip: final.properties?.privateIPAddress ?? "",
    wrote,
    ipv6FrontendIds,
  };
}
