/**
 * Kubernetes and the Service: reachable and authorised; the Service exists, is `type:
 * LoadBalancer`, internal (the annotation exactly "true"), IPv4; its PLS annotations are values the
 * controller accepts (the same rules `expose` checks its flags with, domain/expose.ts).
 */
import { ANN } from "../../domain/annotations.js";
import { type Finding, fail, pass } from "../../domain/doctor.js";
import { isPlsctlError } from "../../domain/errors.js";
import { type ExposeFlags, parseExposeFlags } from "../../domain/expose.js";
import { serviceRef } from "../../domain/service.js";
import { shellQuote } from "../../domain/shell.js";
import type { Kube } from "../../kube/index.js";
import { listLoadBalancerServices } from "../../kube/services.js";
import type { Facts } from "./facts.js";
import { unreachableOf } from "./unreachable.js";

export async function kubeAccess(f: Facts): Promise<Finding> {
  let kube: Kube;
  let services: unknown[];
  try {
    kube = await f.kube();
    services = await listLoadBalancerServices(kube, kube.namespace);
  } catch (err) {
    // Refused credentials or no right to list: this check's FAIL. No answer at all: the run's
    // cause, which doctor says once (unreachable.ts).
    if (!isPlsctlError(err) || unreachableOf(err)) throw err;
    return fail(err.message, err.hint);
  }
  return pass(
    `${kube.server} (context ${kube.contextName}) answers and lets this user list Services in namespace ${kube.namespace} (${services.length} of type LoadBalancer).`,
  );
}

export async function serviceExists(f: Facts): Promise<Finding> {
  const svc = await f.service();
  return pass(`Service ${serviceRef(svc)} exists (uid ${svc.uid}).`);
}

export async function serviceType(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  if (svc.type === "LoadBalancer") return pass("type: LoadBalancer.");
  return fail(
    `type: ${svc.type}; the AKS controller puts a Private Link Service only on a Service of type LoadBalancer.`,
    `plsctl expose ${svc.name} -n ${svc.namespace} --make-internal (makes it an internal LoadBalancer in the same write)`,
  );
}

export async function serviceInternal(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const v = svc.annotations[ANN.internal];
  if (v === "true") return pass(`${ANN.internal}: "true".`);
  const why =
    v === undefined
      ? "is not set: the Service gets a public load balancer"
      : `is ${JSON.stringify(v)}; AKS reads only the exact lower-case "true", anything else means a public load balancer`;
  return fail(
    `${ANN.internal} ${why}, and a Private Link Service needs an internal one.`,
    `kubectl annotate service ${svc.name} -n ${svc.namespace} ${ANN.internal}=true --overwrite (or plsctl expose ${svc.name} --make-internal)`,
  );
}

export async function serviceIpv4(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  if (svc.ipFamilies.length === 0 || svc.ipFamilies.includes("IPv4")) {
    return pass(`ipFamilies: ${svc.ipFamilies.join(", ") || "(default IPv4)"}.`);
  }
  return fail(
    `ipFamilies: ${svc.ipFamilies.join(", ")}; Azure Private Link Service supports IPv4 only.`,
    "Use an IPv4 or dual-stack Service (ipFamilyPolicy: PreferDualStack) for the same pods.",
  );
}

/** Each PLS annotation as the `expose` flag it comes from (their rules are the controller's). */
const AS_FLAGS: Array<[string, (v: string) => ExposeFlags]> = [
  [ANN.plsName, (v) => ({ plsName: v })],
  [ANN.plsResourceGroup, (v) => ({ plsResourceGroup: v })],
  [ANN.plsNatSubnet, (v) => ({ natSubnet: v })],
  [ANN.internalSubnet, (v) => ({ internalSubnet: v })],
  [ANN.plsNatIpCount, (v) => ({ natIpCount: v })],
  [ANN.plsNatIps, (v) => ({ natIp: [v] })],
  [ANN.plsFqdns, (v) => ({ fqdn: [v] })],
  [ANN.plsVisibility, (v) => ({ visibility: [v] })],
  [ANN.plsAutoApproval, (v) => ({ autoApprove: [v] })],
];

const BOOLEAN = [ANN.plsCreate, ANN.plsProxyProtocol];

export async function serviceAnnotations(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const a = svc.annotations;
  const problems: string[] = [];
  let bad: string | undefined;
  for (const [key, toFlags] of AS_FLAGS) {
    const v = a[key];
    if (v === undefined || v.trim() === "") continue;
    try {
      parseExposeFlags(toFlags(v));
    } catch (err) {
      if (!isPlsctlError(err)) throw err;
      problems.push(`${key}=${JSON.stringify(v)}: ${err.message}`);
      bad ??= key;
    }
  }
  for (const key of BOOLEAN) {
    const v = a[key];
    if (v !== undefined && !["true", "false"].includes(v.trim().toLowerCase())) {
      problems.push(
        `${key}=${JSON.stringify(v)} is neither "true" nor "false" (the controller reads it as false).`,
      );
      bad ??= key;
    }
  }
  const count = a[ANN.plsNatIpCount]?.trim();
  const ips = (a[ANN.plsNatIps] ?? "").split(" ").filter(Boolean);
  if (problems.length === 0 && count && /^\d+$/.test(count) && ips.length > Number(count)) {
    problems.push(`${ips.length} static NAT IPs in ${ANN.plsNatIps} but ${ANN.plsNatIpCount} is ${count}.`);
    bad ??= ANN.plsNatIpCount;
  }
  const set = Object.keys(a).filter((k) => k.startsWith("service.beta.kubernetes.io/azure-pls-")).length;
  if (problems.length === 0)
    return pass(`${set} azure-pls-* annotation${set === 1 ? "" : "s"}, every value valid.`);
  return fail(
    problems.join(" "),
    `Correct it with plsctl expose ${svc.name} -n ${svc.namespace} and the matching flag, or: kubectl annotate service ${svc.name} -n ${svc.namespace} ${shellQuote(`${bad}=<valid value>`)} --overwrite`,
  );
}
