/** Strategies of the simpler kinds: namespaces, nodes, events, endpoints, leases. */
import { badRequest, type FieldError, notSupported, required } from "../errors.js";
import type { KObj } from "../resources.js";
import { type Dict, isDict, type Strategy } from "./types.js";

function namespaceDefaults(obj: KObj): void {
  obj.metadata.labels = {
    ...(obj.metadata.labels ?? {}),
    "kubernetes.io/metadata.name": obj.metadata.name ?? "",
  };
}

export const namespaceStrategy: Strategy = {
  nameRule: "dns1123label",
  prepareCreate(obj) {
    namespaceDefaults(obj);
    (obj as Dict).spec = { finalizers: ["kubernetes"] };
    (obj as Dict).status = { phase: "Active" };
    return [];
  },
  prepareUpdate(obj, old) {
    namespaceDefaults(obj);
    (obj as Dict).spec = old.spec;
    return [];
  },
};

export const nodeStrategy: Strategy = { nameRule: "dns1123subdomain" };

export const eventStrategy: Strategy = {
  nameRule: "dns1123subdomain",
  prepareCreate(obj) {
    const errs: FieldError[] = [];
    const e = obj as Dict;
    const inv = isDict(e.involvedObject) ? e.involvedObject : undefined;
    if (!inv) errs.push(required("involvedObject"));
    else if (
      inv.namespace !== undefined &&
      inv.namespace !== "" &&
      inv.namespace !== obj.metadata.namespace
    ) {
      errs.push({
        type: "FieldValueInvalid",
        field: "involvedObject.namespace",
        detail: `Invalid value: "${String(inv.namespace)}": does not match event.namespace`,
      });
    }
    if (e.type !== undefined && e.type !== "" && e.type !== "Normal" && e.type !== "Warning") {
      errs.push(notSupported("type", e.type, ["Normal", "Warning"]));
    }
    return errs;
  },
  prepareUpdate(obj, _old, ctx) {
    return eventStrategy.prepareCreate?.(obj, ctx) ?? [];
  },
};

export const endpointsStrategy: Strategy = { nameRule: "dns1123subdomain" };

/** metav1.MicroTime as the apiserver parses it (RFC3339Micro: exactly six fractional digits). */
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;

/**
 * Leases: acquireTime and renewTime are MicroTimes, which the apiserver refuses to decode in any
 * other layout (k8s.io/apimachinery pkg/apis/meta/v1/micro_time.go, UnmarshalJSON).
 */
function leaseTimes(obj: KObj): FieldError[] {
  const sp = isDict((obj as Dict).spec) ? ((obj as Dict).spec as Dict) : {};
  for (const field of ["acquireTime", "renewTime"]) {
    const v = sp[field];
    if (v !== undefined && v !== null && (typeof v !== "string" || !MICRO_TIME.test(v))) {
      throw badRequest(
        `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse spec.${field}`,
      );
    }
  }
  return [];
}

export const leaseStrategy: Strategy = {
  nameRule: "dns1123subdomain",
  prepareCreate: (obj) => leaseTimes(obj),
  prepareUpdate: (obj) => leaseTimes(obj),
};
