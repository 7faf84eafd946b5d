/** Per-kind strategies and the object-metadata checks every write goes through. */
import { badRequest, type FieldError } from "./errors.js";
import {
  endpointsStrategy,
  eventStrategy,
  leaseStrategy,
  namespaceStrategy,
  nodeStrategy,
} from "./kinds/misc.js";
import { networkPolicyStrategy } from "./kinds/netpol.js";
import { podStrategy } from "./kinds/pods.js";
import { serviceStrategy } from "./kinds/services.js";
import { nameProblem, type Strategy } from "./kinds/types.js";
import { apiVersionOf, type KObj, type ResourceDef } from "./resources.js";

const STRATEGIES: Record<string, Strategy> = {
  Namespace: namespaceStrategy,
  Service: serviceStrategy,
  Pod: podStrategy,
  Node: nodeStrategy,
  Event: eventStrategy,
  Endpoints: endpointsStrategy,
  EndpointSlice: endpointsStrategy,
  NetworkPolicy: networkPolicyStrategy,
  Lease: leaseStrategy,
};

export const strategyOf = (r: ResourceDef): Strategy =>
  STRATEGIES[r.kind] ?? { nameRule: "dns1123subdomain" };

export function checkTypeMeta(r: ResourceDef, body: KObj): void {
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(r)) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(r)})`,
    );
  }
  if (body.kind !== undefined && body.kind !== r.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`,
    );
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function metaErrors(r: ResourceDef, obj: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? "";
  const why = nameProblem(strategyOf(r).nameRule, name);
  if (why)
    errs.push({
      type: "FieldValueInvalid",
      field: "metadata.name",
      detail: `Invalid value: "${name}": ${why}`,
    });
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (!QUALIFIED.test(k))
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        detail: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        detail: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (!QUALIFIED.test(k))
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.annotations",
        detail: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    if (typeof v !== "string")
      errs.push({
        type: "FieldValueInvalid",
        field: `metadata.annotations`,
        detail: `Invalid value: ${JSON.stringify(v)}: must be a string`,
      });
  }
  return errs;
}
