/**
 * Field validation (`fieldValidation=Strict|Warn|Ignore`): the known fields of the kinds served,
 * enough to catch typos in manifests (`metadata.anotations`, `spec.prots`). Subtrees not modelled
 * here are open. Strict answers 400 with the apiserver's "strict decoding error" text; Warn adds
 * `Warning: 299 - "unknown field …"` headers (the server default).
 */
import { badRequest } from "./errors.js";
import { isDict } from "./kinds/types.js";
import { apiVersionOf, type ResourceDef } from "./resources.js";

type Shape = "any" | { [k: string]: Shape } | [Shape];

const keys = (...names: string[]): Record<string, Shape> =>
  Object.fromEntries(names.map((n) => [n, "any" as Shape]));

const META: Shape = keys(
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
);

const SERVICE_SPEC: Shape = {
  ...keys(
    "selector",
    "clusterIP",
    "clusterIPs",
    "type",
    "externalIPs",
    "sessionAffinity",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "publishNotReadyAddresses",
    "sessionAffinityConfig",
    "ipFamilies",
    "ipFamilyPolicy",
    "allocateLoadBalancerNodePorts",
    "loadBalancerClass",
    "internalTrafficPolicy",
    "trafficDistribution",
  ),
  ports: [keys("name", "protocol", "appProtocol", "port", "targetPort", "nodePort")],
};

const CONTAINER: Shape = {
  ...keys(
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
  ),
  ports: [keys("name", "hostPort", "containerPort", "protocol", "hostIP")],
};

const POD_SPEC: Shape = {
  ...keys(
    "volumes",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
  ),
  containers: [CONTAINER],
  initContainers: [CONTAINER],
};

const TOP: Record<string, Shape> = {
  Service: { ...keys("apiVersion", "kind", "status"), metadata: META, spec: SERVICE_SPEC },
  Pod: { ...keys("apiVersion", "kind", "status"), metadata: META, spec: POD_SPEC },
  Namespace: { ...keys("apiVersion", "kind", "status"), metadata: META, spec: keys("finalizers") },
  Node: { ...keys("apiVersion", "kind", "spec", "status"), metadata: META },
  NetworkPolicy: {
    ...keys("apiVersion", "kind"),
    metadata: META,
    spec: keys("podSelector", "ingress", "egress", "policyTypes"),
  },
  Event: {
    ...keys(
      "apiVersion",
      "kind",
      "involvedObject",
      "reason",
      "message",
      "source",
      "firstTimestamp",
      "lastTimestamp",
      "count",
      "type",
      "eventTime",
      "series",
      "action",
      "related",
      "reportingComponent",
      "reportingInstance",
    ),
    metadata: META,
  },
  Endpoints: { ...keys("apiVersion", "kind", "subsets"), metadata: META },
  EndpointSlice: { ...keys("apiVersion", "kind", "addressType", "endpoints", "ports"), metadata: META },
};

function walk(value: unknown, shape: Shape, path: string, out: string[]): void {
  if (shape === "any" || value === null || value === undefined) return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, shape[0], `${path}[${i}]`, out);
      });
    }
    return;
  }
  if (!isDict(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const sub = shape[k];
    const at = path ? `${path}.${k}` : k;
    if (sub === undefined) out.push(at);
    else walk(v, sub, at, out);
  }
}

export function unknownFields(r: ResourceDef, obj: unknown): string[] {
  const shape = TOP[r.kind];
  const out: string[] = [];
  if (shape) walk(obj, shape, "", out);
  return out;
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Applies the directive: throws for Strict, returns the Warning header values for Warn. */
export function checkFields(r: ResourceDef, obj: unknown, directive: FieldValidation): string[] {
  if (directive === "Ignore") return [];
  const unknown = unknownFields(r, obj);
  if (unknown.length === 0) return [];
  if (directive === "Strict") {
    const list = unknown.map((f) => `unknown field "${f}"`).join(", ");
    throw badRequest(
      `${r.kind} in version "${apiVersionOf(r).split("/").pop()}" cannot be handled as a ${r.kind}: strict decoding error: ${list}`,
    );
  }
  return unknown.map((f) => `299 - ${JSON.stringify(`unknown field "${f}"`)}`);
}
