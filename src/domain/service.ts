/**
 * What plsctl knows about a Kubernetes Service, and the checks `expose` runs on it before writing:
 * the controller's gates (LoadBalancer, internal, IPv4, ownership on a shared frontend) in words,
 * and the couplings worth a warning at the moment they matter.
 */
import {
  ANN,
  type Annotations,
  isInternal,
  isTrue,
  OWNERSHIP_ANNOTATIONS,
  plsRequested,
  splitList,
} from "./annotations.js";
import { ExitCode, PlsctlError, usageError } from "./errors.js";
import type { ExposeSpec } from "./expose.js";
import { CLUSTER_TAG, OWNER_TAG } from "./pls.js";
import { parseResourceId } from "./resource-id.js";

export interface ServiceView {
  namespace: string;
  name: string;
  uid: string;
  type: string;
  annotations: Annotations;
  ingressIps: string[];
  ipFamilies: string[];
  externalTrafficPolicy: string | undefined;
  loadBalancerIp: string | undefined;
  /** spec.clusterIP ("None" for a headless Service). */
  clusterIp?: string | undefined;
  resourceVersion: string;
  /** spec.selector: the pods behind the Service (undefined: endpoints managed by hand). */
  selector?: Record<string, string> | undefined;
  /** spec.ports, targetPort defaulted to port as the API server does. */
  ports?: ServicePortView[] | undefined;
}

export interface ServicePortView {
  name: string | undefined;
  port: number;
  /** A number, or the name of a container port. */
  targetPort: number | string;
  protocol: string;
}

export interface Notice {
  message: string;
  hint?: string;
}

export const serviceRef = (s: { namespace: string; name: string }): string => `${s.namespace}/${s.name}`;

/** Services sharing a frontend share its PLS: same requested or assigned IP. */
export function sharesFrontend(a: ServiceView, b: ServiceView): boolean {
  if (a.uid === b.uid) return false;
  const ips = (s: ServiceView) => new Set([...s.ingressIps, ...(s.loadBalancerIp ? [s.loadBalancerIp] : [])]);
  const bIps = ips(b);
  return [...ips(a)].some((ip) => bIps.has(ip));
}

export function checkServiceForExpose(svc: ServiceView, spec: ExposeSpec, others: ServiceView[]): Notice[] {
  const ref = serviceRef(svc);
  const notices: Notice[] = [];
  if (svc.type !== "LoadBalancer") checkTypeChange(svc, spec);
  const current = svc.annotations[ANN.internal];
  if (!isInternal(svc.annotations)) {
    if (!spec.makeInternal && !isTrue(svc.annotations[ANN.disableFloatingIp])) {
      const why =
        current !== undefined && current.trim().toLowerCase() === "true"
          ? `its ${ANN.internal} annotation is ${JSON.stringify(current)}, and AKS reads only the exact lower-case "true" — anything else means a public load balancer`
          : "it is exposed on a public load balancer";
      throw usageError(
        `Service ${ref} is not internal: ${why}. AKS puts a Private Link Service only on an internal load balancer.`,
        "Re-run with --make-internal to set the annotation (the public IP will be replaced by an internal one).",
      );
    }
    if (spec.makeInternal && svc.ingressIps.length > 0) {
      notices.push({
        message: `--make-internal replaces the external frontend of ${ref} (${svc.ingressIps.join(", ")}) with an internal one; clients using that address lose it.`,
      });
    }
  }
  if (svc.ipFamilies.length > 0 && !svc.ipFamilies.includes("IPv4")) {
    throw usageError(
      `Service ${ref} is IPv6-only (ipFamilies ${svc.ipFamilies.join(", ")}); Azure Private Link Service supports IPv4 only.`,
      "Use an IPv4 or dual-stack Service (the PLS is then created on its IPv4 frontend).",
    );
  }
  const claims = claimsOwnership(svc, spec);
  const owner = others.find((o) => sharesFrontend(svc, o) && plsRequested(o.annotations));
  if (owner && claims) {
    throw new PlsctlError(
      `Service ${ref} shares its load balancer frontend with ${serviceRef(owner)}, which configures the Private Link Service on it; AKS lets only that Service set PLS options.`,
      {
        exitCode: ExitCode.Usage,
        code: "OwnedByAnotherService",
        hint: `Configure the PLS through ${serviceRef(owner)}, or run expose on ${ref} without PLS options to share it.`,
      },
    );
  }
  const proxy = spec.proxyProtocol ?? isTrue(svc.annotations[ANN.plsProxyProtocol]);
  if (proxy && svc.externalTrafficPolicy === "Local") {
    notices.push({
      message:
        "Proxy protocol with externalTrafficPolicy: Local: the load balancer's health probes then carry PROXY headers that kube-proxy's health check rejects, so every backend can look down.",
      hint: "Set custom probe annotations (service.beta.kubernetes.io/azure-load-balancer-health-probe-*), or use externalTrafficPolicy: Cluster.",
    });
  }
  const visibility = spec.visibility ?? splitList(svc.annotations[ANN.plsVisibility]);
  const auto = spec.autoApproval ?? splitList(svc.annotations[ANN.plsAutoApproval]);
  const unseen = visibility.includes("*") ? [] : auto.filter((s) => !visibility.includes(s));
  if (unseen.length > 0) {
    notices.push({
      message: `Auto-approval for ${unseen.join(", ")} has no effect unless the PLS is visible to ${unseen.length > 1 ? "those subscriptions" : "that subscription"}: Azure treats auto-approval as a subset of visibility.`,
      hint: `Add ${unseen.map((s) => `--visibility ${s}`).join(" ")} (or --visibility '*').`,
    });
  }
  return notices;
}

/** Types `--make-internal` turns into an internal LoadBalancer in the same write as the annotations. */
const CONVERTIBLE_TYPES = ["ClusterIP", "NodePort"];

/** True when expose has to make the Service `type: LoadBalancer` itself (with --make-internal). */
export const needsTypeChange = (svc: ServiceView): boolean => svc.type !== "LoadBalancer";

function checkTypeChange(svc: ServiceView, spec: ExposeSpec): void {
  const ref = serviceRef(svc);
  if (!CONVERTIBLE_TYPES.includes(svc.type)) {
    throw usageError(
      `Service ${ref} is of type ${svc.type}; a Private Link Service needs a Service of type LoadBalancer.`,
      "Expose a Service that selects the application's pods (type ClusterIP, NodePort or LoadBalancer).",
    );
  }
  if (svc.clusterIp === "None") {
    throw usageError(
      `Service ${ref} is headless (clusterIP: None) and cannot become a LoadBalancer Service.`,
      "Create a separate Service for the same pods and expose that one.",
    );
  }
  if (!spec.makeInternal) {
    throw usageError(
      `Service ${ref} is of type ${svc.type}; a Private Link Service needs a Service of type LoadBalancer, and an internal one.`,
      `Re-run with --make-internal: plsctl then makes it an internal LoadBalancer in the same write as the Private Link annotations, so no public IP is ever created.`,
    );
  }
}

/** The controller's "additional config" rule: any of these keys (or flags) claims the PLS. */
export function claimsOwnership(svc: ServiceView, spec: ExposeSpec): boolean {
  return OWNERSHIP_ANNOTATIONS.some((k) => k in svc.annotations) || specClaimsOwnership(spec);
}

function specClaimsOwnership(spec: ExposeSpec): boolean {
  // An empty list removes an annotation: that claims nothing.
  return [
    spec.plsName,
    spec.natSubnet,
    spec.natIpCount,
    spec.natIps,
    spec.fqdns,
    spec.proxyProtocol,
    spec.visibility,
    spec.autoApproval,
  ].some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

/** AKS cannot rename a PLS: refuse before writing an annotation it would reject on every retry. */
export function checkRename(existingName: string | undefined, wanted: string | undefined, ref: string): void {
  if (!existingName || !wanted || existingName.toLowerCase() === wanted.toLowerCase()) return;
  throw new PlsctlError(
    `Service ${ref} already has Private Link Service "${existingName}"; AKS cannot rename it to "${wanted}" (the controller would fail on every retry).`,
    {
      exitCode: ExitCode.Usage,
      code: "PlsRenameNotSupported",
      hint: `Keep --pls-name ${existingName}, or run \`plsctl unexpose\` first (partners lose their connections) and expose again.`,
    },
  );
}

/**
 * A PLS already on the Service's frontend that the controller would refuse to manage for it:
 * one this cluster did not create, or one another Service owns while this one sets PLS options.
 */
export function checkExistingPls(
  existing: { name: string; id: string; tags: Record<string, string> } | undefined,
  svc: ServiceView,
  spec: ExposeSpec,
): void {
  if (!existing) return;
  const ref = serviceRef(svc);
  if (!existing.tags[CLUSTER_TAG]) {
    throw new PlsctlError(
      `The load balancer frontend of ${ref} already carries Private Link Service ${existing.name}, which this cluster did not create (no ${CLUSTER_TAG} tag); AKS will not manage it.`,
      {
        exitCode: ExitCode.Usage,
        code: "UnmanagedPls",
        hint: `Delete it (${existing.id}), or give the Service another IP.`,
      },
    );
  }
  const owner = existing.tags[OWNER_TAG];
  if (owner && owner.toLowerCase() !== ref.toLowerCase() && claimsOwnership(svc, spec)) {
    throw new PlsctlError(
      `Private Link Service ${existing.name} on the frontend of ${ref} belongs to Service ${owner}; AKS lets only that Service set PLS options.`,
      {
        exitCode: ExitCode.Usage,
        code: "OwnedByAnotherService",
        hint: `Configure it through ${owner}, or run expose on ${ref} without PLS options to share it.`,
      },
    );
  }
}

/** AKS cannot move a PLS: a new resource group makes it try a second PLS on the same frontend. */
export function checkResourceGroupChange(
  svc: ServiceView,
  wanted: string | undefined,
  recordedId: string | undefined,
): void {
  if (!wanted) return;
  const current =
    svc.annotations[ANN.plsResourceGroup]?.trim() ||
    (recordedId ? parseResourceId(recordedId)?.resourceGroup : undefined);
  if (!current || current.toLowerCase() === wanted.toLowerCase()) return;
  throw new PlsctlError(
    `Service ${serviceRef(svc)} already has its Private Link Service in resource group ${current}; AKS cannot move it to ${wanted} (it would try to create a second one on the same frontend, which Azure refuses).`,
    {
      exitCode: ExitCode.Usage,
      code: "PlsMoveNotSupported",
      hint: `Keep --pls-resource-group ${current}, or run \`plsctl unexpose\` first (partners lose their connections) and expose again.`,
    },
  );
}
