/**
 * The end of a soak: the sandbox's state — the Services' annotations, the Private Link Services and
 * their connections, the partners' private endpoints (and their network interfaces) and the DNS
 * records plsctl wrote — against the model. Every difference is one line.
 */
import type { ArmState, Resource } from "../../src/sandbox/arm/types.js";
import type { Model } from "./model.js";
import { NODE_RESOURCE_GROUP, PROVIDER_SUBSCRIPTION, plsId } from "./ops.js";
import { endpointName, partners, plsName } from "./world.js";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const lower = (s: string): string => s.toLowerCase();

const PLS = "microsoft.network/privatelinkservices";
const PE = "microsoft.network/privateendpoints";
const NIC = "microsoft.network/networkinterfaces";
const A_RECORD = "microsoft.network/privatednszones/a";

/** The annotations plsctl and the PLS feature own: `service.beta.kubernetes.io/azure-pls-*`, `plsctl.io/*`. */
const owned = (key: string): boolean =>
  key.startsWith("service.beta.kubernetes.io/azure-pls-") || key.startsWith("plsctl.io/");

function expectedAnnotations(model: Model, service: string): Record<string, string> {
  const s = model.service(service);
  if (!s.exposed) return {};
  return {
    "service.beta.kubernetes.io/azure-pls-create": "true",
    "service.beta.kubernetes.io/azure-pls-name": plsName(service),
    "service.beta.kubernetes.io/azure-pls-visibility": "*",
    "plsctl.io/pls-id": plsId(service),
    "plsctl.io/pls-alias": s.alias ?? "(unknown)",
  };
}

function compareAnnotations(model: Model, actual: Map<string, Record<string, string>>, out: string[]): void {
  for (const service of model.services.keys()) {
    const got = Object.fromEntries(Object.entries(actual.get(service) ?? {}).filter(([k]) => owned(k)));
    const want = expectedAnnotations(model, service);
    for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) {
      if (got[k] !== want[k]) {
        out.push(
          `Service ${service}: annotation ${k} is ${got[k] ?? "absent"}, expected ${want[k] ?? "absent"}`,
        );
      }
    }
  }
}

const inGroup = (r: Resource, sub: string, rg: string): boolean =>
  lower(r.id).startsWith(lower(`/subscriptions/${sub}/resourceGroups/${rg}/`));

function comparePls(model: Model, resources: Resource[], out: string[]): void {
  const plss = new Map(
    resources
      .filter((r) => lower(r.type) === PLS && inGroup(r, PROVIDER_SUBSCRIPTION, NODE_RESOURCE_GROUP))
      .map((r) => [lower(r.name), r]),
  );
  for (const [service, s] of model.services) {
    const pls = plss.get(lower(plsName(service)));
    plss.delete(lower(plsName(service)));
    if (!s.exposed) {
      if (pls) out.push(`PLS ${plsName(service)} exists, expected none (${service} is not exposed)`);
      continue;
    }
    if (!pls) {
      out.push(`PLS ${plsName(service)} is missing (${service} is exposed)`);
      continue;
    }
    const p = obj(pls.properties);
    if (p.provisioningState !== "Succeeded")
      out.push(`PLS ${pls.name}: provisioningState ${p.provisioningState}`);
    if (p.alias !== s.alias) out.push(`PLS ${pls.name}: alias ${p.alias}, expose printed ${s.alias}`);
    const got = new Map<string, string>();
    for (const c of arr(p.privateEndpointConnections)) {
      const cp = obj(obj(c).properties);
      got.set(
        lower(String(obj(cp.privateEndpoint).id)),
        String(obj(cp.privateLinkServiceConnectionState).status),
      );
    }
    const want = new Map<string, string>();
    for (const pt of partners()) {
      const state = model.endpoint(pt.index, service);
      if (state && state !== "Disconnected") want.set(lower(endpointIdOf(pt, service)), state);
    }
    for (const id of new Set([...got.keys(), ...want.keys()])) {
      if (got.get(id) !== want.get(id)) {
        out.push(
          `PLS ${pls.name}: connection of ${id} is ${got.get(id) ?? "absent"}, expected ${want.get(id) ?? "absent"}`,
        );
      }
    }
  }
  for (const name of plss.keys()) out.push(`PLS ${name} exists, expected none`);
}

const endpointIdOf = (pt: { subscriptionId: string; resourceGroup: string }, service: string): string =>
  `/subscriptions/${pt.subscriptionId}/resourceGroups/${pt.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${endpointName(service)}`;

function compareEndpoints(
  model: Model,
  byId: Map<string, Resource>,
  resources: Resource[],
  out: string[],
): void {
  for (const pt of partners()) {
    const mine = resources.filter((r) => inGroup(r, pt.subscriptionId, pt.resourceGroup));
    const endpoints = new Map(mine.filter((r) => lower(r.type) === PE).map((r) => [lower(r.name), r]));
    const records = new Map(
      mine
        .filter(
          (r) => lower(r.type) === A_RECORD && lower(r.id).includes(`/privatednszones/${lower(pt.dnsZone)}/`),
        )
        .map((r) => [lower(r.name), r]),
    );
    const nicIds = new Set(mine.filter((r) => lower(r.type) === NIC).map((r) => lower(r.id)));
    for (const service of model.services.keys()) {
      const want = model.endpoint(pt.index, service);
      const pe = endpoints.get(lower(endpointName(service)));
      endpoints.delete(lower(endpointName(service)));
      const record = records.get(lower(service));
      records.delete(lower(service));
      const where = `${pt.identity} ${endpointName(service)}`;
      if (!want) {
        if (pe) out.push(`${where}: the endpoint exists, expected none`);
        if (record) out.push(`${where}: DNS record ${service}.${pt.dnsZone} exists, expected none`);
        continue;
      }
      if (!pe) {
        out.push(`${where}: the endpoint is missing, expected ${want}`);
        continue;
      }
      const p = obj(pe.properties);
      if (p.provisioningState !== "Succeeded") out.push(`${where}: provisioningState ${p.provisioningState}`);
      const conns = [...arr(p.manualPrivateLinkServiceConnections), ...arr(p.privateLinkServiceConnections)];
      const status = obj(obj(obj(conns[0]).properties).privateLinkServiceConnectionState).status;
      if (conns.length !== 1 || status !== want) {
        out.push(`${where}: ${conns.length} connection(s), state ${status}, expected one, ${want}`);
      }
      const nicId = lower(String(obj(arr(p.networkInterfaces)[0]).id));
      nicIds.delete(nicId);
      const nic = byId.get(nicId);
      const ip = obj(obj(arr(obj(nic?.properties).ipConfigurations)[0]).properties).privateIPAddress;
      if (!nic || typeof ip !== "string")
        out.push(`${where}: its network interface or private IP is missing`);
      compareRecord(record, ip, pe.id, `${where}: DNS record ${service}.${pt.dnsZone}`, out);
    }
    for (const name of endpoints.keys()) out.push(`${pt.identity}: endpoint ${name} exists, expected none`);
    for (const name of records.keys())
      out.push(`${pt.identity}: DNS record ${name}.${pt.dnsZone} exists, expected none`);
    for (const id of nicIds) out.push(`${pt.identity}: network interface ${id} belongs to no endpoint`);
  }
}

function compareRecord(
  record: Resource | undefined,
  ip: unknown,
  endpointId: string,
  where: string,
  out: string[],
): void {
  if (!record) {
    out.push(`${where} is missing`);
    return;
  }
  const p = obj(record.properties);
  const ips = arr(p.aRecords).map((a) => obj(a).ipv4Address);
  if (ips.length !== 1 || ips[0] !== ip)
    out.push(`${where}: points at ${ips.join(",") || "nothing"}, expected ${ip}`);
  const meta = obj(p.metadata);
  if (meta.managedBy !== "plsctl" || lower(String(meta.privateEndpointId)) !== lower(endpointId)) {
    out.push(`${where}: metadata ${JSON.stringify(meta)} does not name the endpoint`);
  }
}

export function compareState(
  model: Model,
  arm: ArmState,
  annotations: Map<string, Record<string, string>>,
): string[] {
  const out: string[] = [];
  const resources = Object.values(arm.resources);
  const byId = new Map(resources.map((r) => [lower(r.id), r]));
  compareAnnotations(model, annotations, out);
  comparePls(model, resources, out);
  compareEndpoints(model, byId, resources, out);
  return out;
}
