/**
 * Kubernetes `Status` error objects with the reasons, codes and message texts the real apiserver
 * uses (k8s.io/apimachinery/pkg/api/errors). Handlers throw `KubeApiError`; the server turns it
 * into the JSON body and the HTTP status.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

export class KubeApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
  get code(): number {
    return this.body.code;
  }
}

/** The "qualified resource" of messages: `services`, `networkpolicies.networking.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function details(gr: GroupResource, name: string): StatusBody["details"] {
  return gr.group ? { name, group: gr.group, kind: gr.resource } : { name, kind: gr.resource };
}

function make(
  code: number,
  reason: string | undefined,
  message: string,
  d?: StatusBody["details"],
): KubeApiError {
  const body: StatusBody = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    ...(reason ? { reason } : {}),
    code,
  };
  if (d) body.details = d;
  return new KubeApiError(body);
}

export function notFound(gr: GroupResource, name: string): KubeApiError {
  return make(404, "NotFound", `${qualified(gr)} "${name}" not found`, details(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): KubeApiError {
  return make(409, "AlreadyExists", `${qualified(gr)} "${name}" already exists`, details(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): KubeApiError {
  return make(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
    details(gr, name),
  );
}

export const MODIFIED_CONFLICT =
  "the object has been modified; please apply your changes to the latest version and try again";

export interface FieldError {
  type:
    | "FieldValueInvalid"
    | "FieldValueRequired"
    | "FieldValueNotSupported"
    | "FieldValueDuplicate"
    | "FieldValueForbidden";
  field: string;
  /** The part after "<field>: ", e.g. `Required value` or `Invalid value: "x": must be …`. */
  detail: string;
}

export function invalid(kind: string, group: string, name: string, errs: FieldError[]): KubeApiError {
  const texts = errs.map((e) => `${e.field}: ${e.detail}`);
  const list = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  const causes = errs.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
  const d: StatusBody["details"] = group ? { name, group, kind, causes } : { name, kind, causes };
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return make(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${list}`, d);
}

export const required = (field: string, why?: string): FieldError => ({
  type: "FieldValueRequired",
  field,
  detail: why ? `Required value: ${why}` : "Required value",
});

export function invalidValue(field: string, value: unknown, why: string): FieldError {
  return { type: "FieldValueInvalid", field, detail: `Invalid value: ${goValue(value)}: ${why}` };
}

export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const list = supported.map((s) => `"${s}"`).join(", ");
  return {
    type: "FieldValueNotSupported",
    field,
    detail: `Unsupported value: ${goValue(value)}: supported values: ${list}`,
  };
}

export function forbidden(field: string, why: string): FieldError {
  return { type: "FieldValueForbidden", field, detail: `Forbidden: ${why}` };
}

/** Values as Go's `%#v`-ish formatting in field errors prints them: strings quoted, numbers bare. */
function goValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  return JSON.stringify(v);
}

/** 403 for a create in a terminating namespace (the NamespaceLifecycle admission plugin). */
export function namespaceTerminating(gr: GroupResource, name: string, ns: string): KubeApiError {
  return make(
    403,
    "Forbidden",
    `${qualified(gr)} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    {
      ...details(gr, name),
      causes: [
        {
          reason: "NamespaceTerminating",
          message: `namespace ${ns} is being terminated`,
          field: "metadata.namespace",
        },
      ],
    },
  );
}

/** A storage error the apiserver passes through as-is: 500 with no reason (kubectl: "Error from server: …"). */
export function storageError(message: string): KubeApiError {
  return make(500, undefined, message);
}

/** A patch that cannot be applied (422 Invalid, as the apiserver answers). */
export function invalidPatch(message: string): KubeApiError {
  return make(422, "Invalid", message);
}

export function badRequest(message: string): KubeApiError {
  return make(400, "BadRequest", message);
}

export function methodNotAllowed(): KubeApiError {
  return make(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

export function unauthorized(): KubeApiError {
  return make(401, "Unauthorized", "Unauthorized");
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return make(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`,
  );
}

export function routeNotFound(): KubeApiError {
  return make(404, "NotFound", "the server could not find the requested resource");
}

export function expired(message: string): KubeApiError {
  return make(410, "Expired", message);
}

export function notAcceptable(): KubeApiError {
  return make(
    406,
    "NotAcceptable",
    "the server was unable to respond with a content type that the client supports",
  );
}

export function internal(message: string): KubeApiError {
  return make(500, "InternalError", `Internal error occurred: ${message}`);
}
