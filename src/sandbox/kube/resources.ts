/**
 * The resource types the emulator serves, with the discovery metadata kubectl needs
 * (plural, singular, short names, verbs, scope) and the per-kind field selectors.
 */

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  categories?: string[];
  /** Served subresources (only `status` here). */
  status: boolean;
  /** Spec changes bump `metadata.generation`. */
  generation: boolean;
  /** Field selector labels beyond metadata.name / metadata.namespace. */
  fields: Record<string, (obj: KObj) => string>;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: unknown[];
  [k: string]: unknown;
}

/** A Kubernetes object as stored: plain JSON. */
export interface KObj {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function str(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

function path(obj: KObj, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const f =
  (...keys: string[]) =>
  (o: KObj) =>
    str(path(o, ...keys));

export const RESOURCES: ResourceDef[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    singular: "namespace",
    namespaced: false,
    shortNames: ["ns"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    status: true,
    generation: false,
    fields: { "status.phase": f("status", "phase") },
  },
  {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    singular: "service",
    namespaced: true,
    shortNames: ["svc"],
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    categories: ["all"],
    status: true,
    generation: true,
    fields: { "spec.clusterIP": f("spec", "clusterIP"), "spec.type": f("spec", "type") },
  },
  {
    group: "",
    version: "v1",
    kind: "Endpoints",
    plural: "endpoints",
    singular: "endpoints",
    namespaced: true,
    shortNames: ["ep"],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    singular: "event",
    namespaced: true,
    shortNames: ["ev"],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {
      "involvedObject.kind": f("involvedObject", "kind"),
      "involvedObject.namespace": f("involvedObject", "namespace"),
      "involvedObject.name": f("involvedObject", "name"),
      "involvedObject.uid": f("involvedObject", "uid"),
      "involvedObject.apiVersion": f("involvedObject", "apiVersion"),
      "involvedObject.resourceVersion": f("involvedObject", "resourceVersion"),
      "involvedObject.fieldPath": f("involvedObject", "fieldPath"),
      reason: f("reason"),
      reportingComponent: f("reportingComponent"),
      source: (o) => str(path(o, "source", "component")),
      type: f("type"),
    },
  },
  {
    group: "",
    version: "v1",
    kind: "Node",
    plural: "nodes",
    singular: "node",
    namespaced: false,
    shortNames: ["no"],
    verbs: ALL,
    status: true,
    generation: false,
    fields: { "spec.unschedulable": (o) => String(path(o, "spec", "unschedulable") === true) },
  },
  {
    group: "",
    version: "v1",
    kind: "Pod",
    plural: "pods",
    singular: "pod",
    namespaced: true,
    shortNames: ["po"],
    verbs: ALL,
    categories: ["all"],
    status: true,
    generation: false,
    fields: {
      "spec.nodeName": f("spec", "nodeName"),
      "spec.restartPolicy": f("spec", "restartPolicy"),
      "spec.schedulerName": f("spec", "schedulerName"),
      "spec.serviceAccountName": f("spec", "serviceAccountName"),
      "spec.hostNetwork": (o) => String(path(o, "spec", "hostNetwork") === true),
      "status.phase": f("status", "phase"),
      "status.podIP": f("status", "podIP"),
      "status.nominatedNodeName": f("status", "nominatedNodeName"),
    },
  },
  {
    group: "discovery.k8s.io",
    version: "v1",
    kind: "EndpointSlice",
    plural: "endpointslices",
    singular: "endpointslice",
    namespaced: true,
    shortNames: [],
    verbs: ALL,
    status: false,
    generation: true,
    fields: { addressType: f("addressType") },
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    singular: "networkpolicy",
    namespaced: true,
    shortNames: ["netpol"],
    verbs: ALL,
    status: false,
    generation: true,
    fields: {},
  },
  {
    group: "",
    version: "v1",
    kind: "ResourceQuota",
    plural: "resourcequotas",
    singular: "resourcequota",
    namespaced: true,
    shortNames: ["quota"],
    verbs: ALL,
    status: true,
    generation: false,
    fields: {},
  },
  {
    group: "",
    version: "v1",
    kind: "LimitRange",
    plural: "limitranges",
    singular: "limitrange",
    namespaced: true,
    shortNames: ["limits"],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    singular: "lease",
    namespaced: true,
    shortNames: [],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  // Stored only (no controllers): what the approver's example manifests apply.
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    singular: "serviceaccount",
    namespaced: true,
    shortNames: ["sa"],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    singular: "configmap",
    namespaced: true,
    shortNames: ["cm"],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    plural: "roles",
    singular: "role",
    namespaced: true,
    shortNames: [],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    singular: "rolebinding",
    namespaced: true,
    shortNames: [],
    verbs: ALL,
    status: false,
    generation: false,
    fields: {},
  },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    singular: "deployment",
    namespaced: true,
    shortNames: ["deploy"],
    verbs: ALL,
    categories: ["all"],
    status: true,
    generation: true,
    fields: {},
  },
  {
    group: "batch",
    version: "v1",
    kind: "CronJob",
    plural: "cronjobs",
    singular: "cronjob",
    namespaced: true,
    shortNames: ["cj"],
    verbs: ALL,
    categories: ["all"],
    status: true,
    generation: true,
    fields: {},
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    singular: "selfsubjectaccessreview",
    namespaced: false,
    shortNames: [],
    verbs: ["create"],
    status: false,
    generation: false,
    fields: {},
  },
];

/**
 * Served only when the cluster runs Cilium (world `networkDataplane: cilium`): the
 * CiliumNetworkPolicy custom resource, as the Cilium operator's CRD declares it
 * (cilium/cilium pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml).
 */
export const CILIUM_RESOURCES: ResourceDef[] = [
  {
    group: "cilium.io",
    version: "v2",
    kind: "CiliumNetworkPolicy",
    plural: "ciliumnetworkpolicies",
    singular: "ciliumnetworkpolicy",
    namespaced: true,
    shortNames: ["cnp", "ciliumnp"],
    verbs: ALL,
    categories: ["cilium", "ciliumpolicy"],
    status: true,
    generation: true,
    fields: {},
  },
];

/** What a cluster serves: the built-in kinds, plus Cilium's when its dataplane is Cilium. */
export function resourcesFor(networkDataplane: string | undefined): ResourceDef[] {
  return networkDataplane === "cilium" ? [...RESOURCES, ...CILIUM_RESOURCES] : RESOURCES;
}

export function findResource(
  group: string,
  version: string,
  plural: string,
  served: readonly ResourceDef[] = RESOURCES,
): ResourceDef | undefined {
  return served.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function apiVersionOf(r: ResourceDef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The value of a field-selector label for an object, or undefined if the kind does not support it. */
export function fieldValue(r: ResourceDef, obj: KObj, field: string): string | undefined {
  if (field === "metadata.name") return obj.metadata.name ?? "";
  if (field === "metadata.namespace" && r.namespaced) return obj.metadata.namespace ?? "";
  const fn = r.fields[field];
  return fn ? fn(obj) : undefined;
}
