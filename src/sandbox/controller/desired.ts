/**
 * The desired Private Link Service and the "dirty" rules (`getExpectedPrivateLinkService` of
 * kubernetes-sigs/cloud-provider-azure pkg/provider/azure_privatelinkservice.go): starts from the existing PLS (or an empty one), applies the Service's
 * annotations, and says whether a PUT is needed. Pure: the NAT subnet has been read by the caller.
 */
import {
  type Annotations,
  plsAutoApproval,
  plsFqdns,
  plsIpConfigCount,
  plsProxyProtocol,
  plsStaticIps,
  plsVisibility,
} from "./annotations.js";
import { ControllerError, MSG } from "./messages.js";
import { plsIpConfigName } from "./names.js";

export const TAG_CLUSTER = "k8s-azure-cluster-name";
export const TAG_OWNER = "k8s-azure-owner-service";

export interface PlsIpConfigWire {
  name?: string;
  properties?: {
    privateIPAllocationMethod?: string;
    privateIPAddress?: string;
    subnet?: { id?: string };
    primary?: boolean;
    privateIPAddressVersion?: string;
  };
}

export interface PlsWire {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    provisioningState?: string;
    loadBalancerFrontendIpConfigurations?: { id?: string }[];
    ipConfigurations?: PlsIpConfigWire[];
    enableProxyProtocol?: boolean;
    fqdns?: string[];
    visibility?: { subscriptions?: string[] };
    autoApproval?: { subscriptions?: string[] };
    privateEndpointConnections?: { id?: string; name?: string }[];
    alias?: string;
  };
}

export interface DesiredInput {
  /** The PLS found on the frontend, or undefined for a new one. */
  existing: PlsWire | undefined;
  plsName: string;
  location: string;
  clusterName: string;
  /** `<namespace>/<name>` */
  serviceKey: string;
  annotations: Annotations;
  frontendId: string;
  natSubnet: { id: string; name: string };
  /** Cloud-config tags (`tags` / `tagsMap`), if any. */
  configTags?: Record<string, string>;
}

export interface Desired {
  dirty: boolean;
  /** The PUT body (only writable fields). */
  body: PlsWire;
}

function sameContent(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const x of b) {
    const n = counts.get(x);
    if (!n) return false;
    counts.set(x, n - 1);
  }
  return true;
}

const eqFold = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

function cleanIpConfig(c: PlsIpConfigWire): PlsIpConfigWire {
  const p = c.properties ?? {};
  const props: NonNullable<PlsIpConfigWire["properties"]> = {};
  if (p.privateIPAllocationMethod !== undefined)
    props.privateIPAllocationMethod = p.privateIPAllocationMethod;
  if (p.privateIPAddress !== undefined) props.privateIPAddress = p.privateIPAddress;
  if (p.subnet?.id !== undefined) props.subnet = { id: p.subnet.id };
  if (p.primary !== undefined) props.primary = p.primary;
  if (p.privateIPAddressVersion !== undefined) props.privateIPAddressVersion = p.privateIPAddressVersion;
  return { ...(c.name !== undefined ? { name: c.name } : {}), properties: props };
}

/** `reconcilePLSIpConfigs`: returns the new list when a rebuild is needed, else undefined. */
export function reconcileIpConfigs(
  existing: PlsIpConfigWire[] | undefined,
  annotations: Annotations,
  natSubnet: { id: string; name: string },
  plsName: string,
): PlsIpConfigWire[] | undefined {
  const count = plsIpConfigCount(annotations);
  const { ips, primary } = plsStaticIps(annotations);
  if (count < ips.length) throw new ControllerError(MSG.staticIpsExceedCount(count, ips.length));
  let changed = existing === undefined;
  const current = existing ?? [];
  if (current.length !== count) changed = true;
  let existingStatic = 0;
  for (const c of current) {
    const p = c.properties ?? {};
    if (!eqFold(natSubnet.id, p.subnet?.id)) changed = true;
    const isStatic = p.privateIPAllocationMethod === "Static";
    if (isStatic) {
      if (!ips.includes(p.privateIPAddress ?? "")) changed = true;
      existingStatic++;
    }
    if (p.primary) {
      if (isStatic ? !eqFold(primary, p.privateIPAddress) : primary !== "") changed = true;
    }
  }
  if (existingStatic !== ips.length) changed = true;
  if (!changed) return undefined;
  const out: PlsIpConfigWire[] = [];
  for (const ip of ips) {
    out.push({
      name: plsIpConfigName(natSubnet.name, plsName, `-static-${ip}`),
      properties: {
        privateIPAddress: ip,
        privateIPAllocationMethod: "Static",
        subnet: { id: natSubnet.id },
        primary: ip === primary,
        privateIPAddressVersion: "IPv4",
      },
    });
  }
  for (let i = 0; i < count - ips.length; i++) {
    out.push({
      name: plsIpConfigName(natSubnet.name, plsName, `-dynamic-${i}`),
      properties: {
        privateIPAllocationMethod: "Dynamic",
        subnet: { id: natSubnet.id },
        primary: primary === "" && i === 0,
        privateIPAddressVersion: "IPv4",
      },
    });
  }
  return out;
}

/** `reconcileTags`: config tags are added or overwritten (values compared case-insensitively). */
function reconcileTags(current: Record<string, string>, wanted: Record<string, string>) {
  const tags = { ...current };
  let changed = false;
  for (const [k, v] of Object.entries(wanted)) {
    const existingKey = Object.keys(tags).find((t) => t.toLowerCase() === k.toLowerCase());
    if (existingKey !== undefined && eqFold(tags[existingKey], v)) continue;
    if (existingKey !== undefined) delete tags[existingKey];
    tags[existingKey ?? k] = v;
    changed = true;
  }
  return { tags, changed };
}

export function buildDesiredPls(input: DesiredInput): Desired {
  const ex = input.existing;
  const props = ex?.properties ?? {};
  let dirty = false;
  if (ex?.name === undefined || !eqFold(ex.name, input.plsName)) dirty = true;
  const name = ex?.name !== undefined && eqFold(ex.name, input.plsName) ? ex.name : input.plsName;
  if (props.provisioningState === "Failed") dirty = true;

  let frontends = props.loadBalancerFrontendIpConfigurations;
  if (frontends === undefined) {
    frontends = [{ id: input.frontendId }];
    dirty = true;
  }

  const rebuilt = reconcileIpConfigs(props.ipConfigurations, input.annotations, input.natSubnet, name);
  if (rebuilt) dirty = true;
  const ipConfigurations = rebuilt ?? (props.ipConfigurations ?? []).map(cleanIpConfig);

  const proxy = plsProxyProtocol(input.annotations);
  let enableProxyProtocol = props.enableProxyProtocol;
  if (proxy !== (props.enableProxyProtocol ?? false)) {
    enableProxyProtocol = proxy;
    dirty = true;
  }

  const fqdnsWanted = plsFqdns(input.annotations);
  let fqdns = props.fqdns;
  if (props.fqdns === undefined ? fqdnsWanted.length > 0 : !sameContent(fqdnsWanted, props.fqdns)) {
    fqdns = fqdnsWanted;
    dirty = true;
  }

  const vis = plsVisibility(input.annotations);
  const auto = plsAutoApproval(input.annotations);
  const exVis = props.visibility?.subscriptions;
  const exAuto = props.autoApproval?.subscriptions;
  let visibility = props.visibility;
  let autoApproval = props.autoApproval;
  const visChanged = exVis === undefined ? vis.length > 0 : !sameContent(vis, exVis);
  const autoChanged = exAuto === undefined ? auto.length > 0 : !sameContent(auto, exAuto);
  if (visChanged || autoChanged) {
    visibility = { subscriptions: vis };
    autoApproval = { subscriptions: auto };
    dirty = true;
  }

  const current = ex?.tags ?? {};
  const wanted: Record<string, string> = { ...(input.configTags ?? {}) };
  wanted[TAG_CLUSTER] = current[TAG_CLUSTER] ?? input.clusterName;
  wanted[TAG_OWNER] = current[TAG_OWNER] ?? input.serviceKey;
  const { tags, changed: tagsChanged } = reconcileTags(current, wanted);
  if (tagsChanged) dirty = true;

  const bodyProps: NonNullable<PlsWire["properties"]> = {
    loadBalancerFrontendIpConfigurations: frontends.map((f) => ({ id: f.id })),
    ipConfigurations,
  };
  if (enableProxyProtocol !== undefined) bodyProps.enableProxyProtocol = enableProxyProtocol;
  if (fqdns !== undefined) bodyProps.fqdns = fqdns;
  if (visibility !== undefined) bodyProps.visibility = visibility;
  if (autoApproval !== undefined) bodyProps.autoApproval = autoApproval;
  return {
    dirty,
    body: { name, location: ex?.location ?? input.location, tags, properties: bodyProps },
  };
}
