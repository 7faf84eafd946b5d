/**
 * Services as the apiserver's service registry handles them: defaulting (v1 defaults of 1.31),
 * clusterIP allocation from 10.0.0.0/16 (AKS default service CIDR), nodePort allocation from
 * 30000-32767, validation of the obvious fields, and the update rules (allocated values carried
 * over, clusterIP immutable, type-dependent fields dropped).
 */
import { type FieldError, forbidden, invalidValue, notSupported, required } from "../errors.js";
import { findResource, type KObj } from "../resources.js";
import {
  type Dict,
  dict,
  IPV4,
  intToIp,
  ipToInt,
  isDict,
  type KindCtx,
  list,
  type Strategy,
} from "./types.js";

export const SERVICE_CIDR = { base: ipToInt("10.0.0.0"), size: 65536, text: "10.0.0.0/16" };
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const services = findResource("", "v1", "services");

function spec(obj: KObj): Dict {
  return dict(obj as Dict, "spec");
}

function allocatedIps(ctx: KindCtx, except?: string): Set<string> {
  const ips = new Set<string>();
  if (!services) return ips;
  for (const s of ctx.store.list(services)) {
    if (s.metadata.uid === except) continue;
    const sp = isDict(s.spec) ? s.spec : {};
    if (typeof sp.clusterIP === "string") ips.add(sp.clusterIP);
  }
  return ips;
}

function allocatedNodePorts(ctx: KindCtx, except?: string): Set<number> {
  const used = new Set<number>();
  if (!services) return used;
  for (const s of ctx.store.list(services)) {
    if (s.metadata.uid === except) continue;
    const sp = isDict(s.spec) ? s.spec : {};
    for (const p of list(sp, "ports")) if (typeof p.nodePort === "number") used.add(p.nodePort);
    if (typeof sp.healthCheckNodePort === "number") used.add(sp.healthCheckNodePort);
  }
  return used;
}

/** Dynamic allocations come from the upper band, as the apiserver's allocator prefers (static band: first 256). */
function randomIp(used: Set<string>): string {
  for (;;) {
    const ip = intToIp(SERVICE_CIDR.base + 256 + Math.floor(Math.random() * (SERVICE_CIDR.size - 256 - 1)));
    if (!used.has(ip)) return ip;
  }
}

function randomNodePort(used: Set<number>): number {
  for (;;) {
    const p =
      NODE_PORT_RANGE.min + Math.floor(Math.random() * (NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1));
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
}

function applyDefaults(sp: Dict): void {
  if (sp.type === undefined || sp.type === "") sp.type = "ClusterIP";
  const type = sp.type;
  if (type === "ExternalName") return;
  sp.sessionAffinity ??= "None";
  for (const p of list(sp, "ports")) {
    p.protocol ??= "TCP";
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  sp.internalTrafficPolicy ??= "Cluster";
  if (type === "NodePort" || type === "LoadBalancer") sp.externalTrafficPolicy ??= "Cluster";
  if (type === "LoadBalancer") sp.allocateLoadBalancerNodePorts ??= true;
}

function validate(obj: KObj, ctx: KindCtx, old?: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const sp = spec(obj);
  const type = sp.type;
  if (typeof type !== "string" || !TYPES.includes(type)) errs.push(notSupported("spec.type", type, TYPES));
  const ports = list(sp, "ports");
  const headless = sp.clusterIP === "None";
  if (type !== "ExternalName" && !headless && ports.length === 0) errs.push(required("spec.ports"));
  if (type === "ExternalName" && !sp.externalName) errs.push(required("spec.externalName"));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${at}.name`));
    if (typeof p.name === "string" && p.name) {
      if (names.has(p.name))
        errs.push({
          type: "FieldValueDuplicate",
          field: `${at}.name`,
          detail: `Duplicate value: "${p.name}"`,
        });
      names.add(p.name);
    }
    if (typeof p.port !== "number" || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      errs.push(invalidValue(`${at}.port`, p.port ?? 0, "must be between 1 and 65535, inclusive"));
    }
    if (typeof p.protocol !== "string" || !PROTOCOLS.includes(p.protocol)) {
      errs.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    }
    const tp = p.targetPort;
    if (typeof tp === "number" && (tp < 1 || tp > 65535)) {
      errs.push(invalidValue(`${at}.targetPort`, tp, "must be between 1 and 65535, inclusive"));
    }
    if (p.nodePort !== undefined && type !== "NodePort" && type !== "LoadBalancer") {
      errs.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  });
  if (sp.externalTrafficPolicy !== undefined && type !== "NodePort" && type !== "LoadBalancer") {
    errs.push(
      invalidValue(
        "spec.externalTrafficPolicy",
        sp.externalTrafficPolicy,
        "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
      ),
    );
  } else if (
    sp.externalTrafficPolicy !== undefined &&
    !["Cluster", "Local"].includes(String(sp.externalTrafficPolicy))
  ) {
    errs.push(notSupported("spec.externalTrafficPolicy", sp.externalTrafficPolicy, ["Cluster", "Local"]));
  }
  if (!["None", "ClientIP"].includes(String(sp.sessionAffinity ?? "None"))) {
    errs.push(notSupported("spec.sessionAffinity", sp.sessionAffinity, ["ClientIP", "None"]));
  }
  if (old) {
    const oldIp = isDict(old.spec) ? old.spec.clusterIP : undefined;
    if (typeof oldIp === "string" && oldIp !== "" && sp.clusterIP !== oldIp && type !== "ExternalName") {
      errs.push(invalidValue("spec.clusterIPs[0]", [sp.clusterIP ?? ""], "may not change once set"));
    }
  }
  void ctx;
  return errs;
}

/** Allocates clusterIP and nodePorts that are still missing; validates requested ones. */
function allocate(obj: KObj, ctx: KindCtx): FieldError[] {
  const errs: FieldError[] = [];
  const sp = spec(obj);
  const type = sp.type;
  if (type === "ExternalName") return errs;
  const uid = obj.metadata.uid;
  if (sp.clusterIP === undefined || sp.clusterIP === "") {
    sp.clusterIP = randomIp(allocatedIps(ctx, uid));
  } else if (sp.clusterIP !== "None") {
    const ip = String(sp.clusterIP);
    const n = IPV4.test(ip) ? ipToInt(ip) : -1;
    if (n < SERVICE_CIDR.base || n >= SERVICE_CIDR.base + SERVICE_CIDR.size) {
      errs.push(
        invalidValue(
          "spec.clusterIPs",
          [ip],
          `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR.text}`,
        ),
      );
    } else if (allocatedIps(ctx, uid).has(ip)) {
      errs.push(
        invalidValue(
          "spec.clusterIPs",
          [ip],
          `failed to allocate IP ${ip}: provided IP is already allocated`,
        ),
      );
    }
  }
  sp.clusterIPs = [sp.clusterIP];
  if (sp.clusterIP !== "None" || sp.ipFamilies === undefined) sp.ipFamilies ??= ["IPv4"];
  sp.ipFamilyPolicy ??= "SingleStack";
  const wantsNodePorts =
    type === "NodePort" || (type === "LoadBalancer" && sp.allocateLoadBalancerNodePorts !== false);
  if (type === "NodePort" || type === "LoadBalancer") {
    const used = allocatedNodePorts(ctx, uid);
    list(sp, "ports").forEach((p, i) => {
      if (typeof p.nodePort === "number" && p.nodePort !== 0) {
        if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
          errs.push(
            invalidValue(
              `spec.ports[${i}].nodePort`,
              p.nodePort,
              `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
            ),
          );
        } else if (used.has(p.nodePort)) {
          errs.push(
            invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, "provided port is already allocated"),
          );
        }
        used.add(p.nodePort);
      } else if (wantsNodePorts) p.nodePort = randomNodePort(used);
    });
    if (type === "LoadBalancer" && sp.externalTrafficPolicy === "Local" && !sp.healthCheckNodePort) {
      sp.healthCheckNodePort = randomNodePort(used);
    }
  }
  return errs;
}

/** Values the user did not set on update are carried over from the stored object (patchAllocatedValues). */
function carryOver(sp: Dict, oldSp: Dict): void {
  if (sp.type === "ExternalName") return;
  if ((sp.clusterIP === undefined || sp.clusterIP === "") && oldSp.clusterIP) {
    sp.clusterIP = oldSp.clusterIP;
    sp.clusterIPs = oldSp.clusterIPs;
  }
  sp.ipFamilies ??= oldSp.ipFamilies;
  sp.ipFamilyPolicy ??= oldSp.ipFamilyPolicy;
  const keepNodePorts = sp.type === "NodePort" || sp.type === "LoadBalancer";
  const oldPorts = list(oldSp, "ports");
  for (const p of list(sp, "ports")) {
    if (!keepNodePorts) {
      if (oldSp.type === "NodePort" || oldSp.type === "LoadBalancer") delete p.nodePort;
      continue;
    }
    if (p.nodePort === undefined || p.nodePort === 0) {
      const match = oldPorts.find(
        (o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"),
      );
      if (match?.nodePort !== undefined) p.nodePort = match.nodePort;
    }
  }
  if (sp.type === "LoadBalancer" && sp.externalTrafficPolicy === "Local")
    sp.healthCheckNodePort ??= oldSp.healthCheckNodePort;
  else delete sp.healthCheckNodePort;
  if (sp.type !== "LoadBalancer") delete sp.allocateLoadBalancerNodePorts;
  if (
    sp.type !== "NodePort" &&
    sp.type !== "LoadBalancer" &&
    (oldSp.type === "NodePort" || oldSp.type === "LoadBalancer")
  ) {
    if (sp.externalTrafficPolicy === oldSp.externalTrafficPolicy) delete sp.externalTrafficPolicy;
  }
}

export const serviceStrategy: Strategy = {
  nameRule: "dns1035",
  prepareCreate(obj, ctx) {
    const sp = spec(obj);
    applyDefaults(sp);
    (obj as Dict).status = { loadBalancer: {} };
    const errs = validate(obj, ctx);
    return errs.length ? errs : allocate(obj, ctx);
  },
  prepareUpdate(obj, old, ctx) {
    const sp = spec(obj);
    const oldSp = isDict(old.spec) ? old.spec : {};
    applyDefaults(sp);
    carryOver(sp, oldSp);
    const errs = validate(obj, ctx, old);
    return errs.length ? errs : allocate(obj, ctx);
  },
};
