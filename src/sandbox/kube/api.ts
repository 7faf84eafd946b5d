/**
 * The generic registry: create, get, list, update, patch and delete with the apiserver's rules
 * (resourceVersion preconditions, uid/creationTimestamp/generation, status subresource, finalizers
 * and graceful deletion, dry run). Used by the HTTP handlers and by the emulated controllers.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  alreadyExists,
  badRequest,
  conflict,
  type FieldError,
  invalid,
  MODIFIED_CONFLICT,
  namespaceTerminating,
  notFound,
  storageError,
  unsupportedMediaType,
} from "./errors.js";
import { checkFields, type FieldValidation } from "./fields.js";
import { canonical, isDict } from "./kinds/types.js";
import { checkTypeMeta, metaErrors, strategyOf } from "./meta.js";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch.js";
import { apiVersionOf, findResource, type KObj, type ResourceDef } from "./resources.js";
import type { Store } from "./store.js";

export interface ApiCtx {
  store: Store;
  now: () => Date;
}

export interface WriteOpts {
  dryRun?: boolean;
  subresource?: "status";
  /** Unknown-field handling; Warn (the server default) collects Warning headers in `warnings`. */
  fieldValidation?: FieldValidation;
  warnings?: string[];
}

function validateFields(r: ResourceDef, obj: unknown, opts: WriteOpts): void {
  const warnings = checkFields(r, obj, opts.fieldValidation ?? "Warn");
  opts.warnings?.push(...warnings);
}

/** Kinds whose DELETE answers with the object rather than a Status (ReturnDeletedObject). */
const RETURNS_DELETED = new Set(["Service", "Pod", "Namespace"]);

const gr = (r: ResourceDef) => ({ group: r.group, resource: r.plural });
const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

function fail(r: ResourceDef, obj: KObj, errs: FieldError[]): void {
  if (errs.length) throw invalid(r.kind, r.group, obj.metadata.name ?? "", errs);
}

export function getObject(ctx: ApiCtx, r: ResourceDef, ns: string, name: string): KObj {
  const o = ctx.store.get(r, ns, name);
  if (!o) throw notFound(gr(r), name);
  return o;
}

function requireNamespace(ctx: ApiCtx, r: ResourceDef, ns: string, name: string): void {
  const nsr = findResource("", "v1", "namespaces");
  if (!r.namespaced || !nsr) return;
  const namespace = ctx.store.get(nsr, "", ns);
  if (!namespace) throw notFound({ group: "", resource: "namespaces" }, ns);
  if (namespace.metadata.deletionTimestamp) throw namespaceTerminating(gr(r), name, ns);
}

export function createObject(
  ctx: ApiCtx,
  r: ResourceDef,
  ns: string,
  body: unknown,
  opts: WriteOpts = {},
): KObj {
  if (!isDict(body)) throw badRequest("the body of the request was not a JSON object");
  const obj = structuredClone(body) as KObj;
  if (!isDict(obj.metadata)) obj.metadata = {};
  checkTypeMeta(r, obj);
  validateFields(r, obj, opts);
  const m = obj.metadata;
  if (r.namespaced) {
    if (m.namespace !== undefined && m.namespace !== "" && m.namespace !== ns) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    m.namespace = ns;
  } else delete m.namespace;
  if (!m.name && m.generateName) m.name = `${m.generateName}${randomBytes(4).toString("hex").slice(0, 5)}`;
  if (!m.name)
    throw invalid(r.kind, r.group, "", [
      {
        type: "FieldValueRequired",
        field: "metadata.name",
        detail: "Required value: name or generateName is required",
      },
    ]);
  requireNamespace(ctx, r, ns, m.name);
  if (ctx.store.get(r, ns, m.name)) throw alreadyExists(gr(r), m.name);
  obj.apiVersion = apiVersionOf(r);
  obj.kind = r.kind;
  m.uid = randomUUID();
  m.creationTimestamp = stamp(ctx.now());
  if (m.resourceVersion !== undefined && m.resourceVersion !== "") {
    throw storageError("resourceVersion should not be set on objects to be created");
  }
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (r.generation) m.generation = 1;
  else delete m.generation;
  if (r.status) delete obj.status;
  const errs = [...metaErrors(r, obj), ...(strategyOf(r).prepareCreate?.(obj, ctx) ?? [])];
  fail(r, obj, errs);
  return opts.dryRun ? obj : ctx.store.put(r, obj, "ADDED");
}

const comparable = (o: KObj): string => {
  const c = structuredClone(o);
  delete c.metadata.resourceVersion;
  delete c.metadata.managedFields;
  return canonical(c);
};

/** The rules every update (PUT, PATCH, status writes, controller writes) goes through. */
function commitUpdate(ctx: ApiCtx, r: ResourceDef, old: KObj, body: KObj, opts: WriteOpts): KObj {
  checkTypeMeta(r, body);
  validateFields(r, body, opts);
  const name = old.metadata.name ?? "";
  if (!isDict(body.metadata)) body.metadata = {};
  if (body.metadata.name !== undefined && body.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  const rv = body.metadata.resourceVersion;
  if (rv !== undefined && rv !== "" && rv !== old.metadata.resourceVersion)
    throw conflict(gr(r), name, MODIFIED_CONFLICT);
  let next: KObj;
  if (opts.subresource === "status") {
    next = structuredClone(old);
    next.status = body.status;
  } else {
    next = structuredClone(body);
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    const m = next.metadata;
    for (const k of [
      "name",
      "namespace",
      "uid",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "generation",
    ]) {
      if (old.metadata[k] === undefined) delete m[k];
      else m[k] = old.metadata[k];
    }
    if (r.status) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
    const errs = [...metaErrors(r, next), ...(strategyOf(r).prepareUpdate?.(next, old, ctx) ?? [])];
    if (old.metadata.deletionTimestamp) {
      const added = (next.metadata.finalizers ?? []).filter(
        (f) => !(old.metadata.finalizers ?? []).includes(f),
      );
      if (added.length) {
        errs.push({
          type: "FieldValueForbidden",
          field: "metadata.finalizers",
          detail: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`,
        });
      }
    }
    fail(r, next, errs);
    if (r.generation && canonical(next.spec) !== canonical(old.spec)) {
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (next.metadata.finalizers?.length === 0) delete next.metadata.finalizers;
  if (comparable(next) === comparable(old)) return old;
  if (opts.dryRun) return next;
  if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && r.kind !== "Pod") {
    return ctx.store.remove(r, next);
  }
  return ctx.store.put(r, next, "MODIFIED");
}

export function updateObject(
  ctx: ApiCtx,
  r: ResourceDef,
  ns: string,
  name: string,
  body: unknown,
  opts: WriteOpts = {},
): KObj {
  if (!isDict(body)) throw badRequest("the body of the request was not a JSON object");
  const old = getObject(ctx, r, ns, name);
  return commitUpdate(ctx, r, old, structuredClone(body) as KObj, opts);
}

export type PatchType = "json" | "merge" | "strategic" | "apply";

export function patchTypeOf(contentType: string): PatchType {
  const ct = contentType.split(";")[0]?.trim() ?? "";
  if (ct === "application/json-patch+json") return "json";
  if (ct === "application/merge-patch+json") return "merge";
  if (ct === "application/strategic-merge-patch+json") return "strategic";
  if (ct === "application/apply-patch+yaml") return "apply";
  throw unsupportedMediaType(ct);
}

export function patchObject(
  ctx: ApiCtx,
  r: ResourceDef,
  ns: string,
  name: string,
  type: PatchType,
  patch: unknown,
  opts: WriteOpts = {},
): KObj {
  if (type === "apply" && !opts.subresource && !ctx.store.get(r, ns, name)) {
    // Server-side apply creates what does not exist yet.
    const meta = isDict(patch) && isDict(patch.metadata) ? patch.metadata : {};
    return createObject(ctx, r, ns, isDict(patch) ? { ...patch, metadata: { ...meta, name } } : patch, opts);
  }
  const old = getObject(ctx, r, ns, name);
  let patched: unknown;
  if (type === "json") patched = jsonPatch(old, patch);
  else if (type === "merge") patched = mergePatch(old, patch);
  else {
    // Server-side apply is approximated by a strategic merge of the applied configuration
    // (no managedFields: fields of other managers are never taken away, conflicts never raised).
    patched = strategicMergePatch(old, patch);
  }
  if (!isDict(patched)) throw badRequest("the patch did not produce an object");
  return commitUpdate(ctx, r, old, patched as KObj, opts);
}

export interface DeleteOpts {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type DeleteResult = { object: KObj; returnsObject: boolean };

export function deleteObject(
  ctx: ApiCtx,
  r: ResourceDef,
  ns: string,
  name: string,
  opts: DeleteOpts = {},
): DeleteResult {
  const old = getObject(ctx, r, ns, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    throw conflict(
      gr(r),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(
      gr(r),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  }
  const returnsObject = RETURNS_DELETED.has(r.kind);
  const next = structuredClone(old);
  const nowD = ctx.now();
  const grace =
    r.kind === "Pod"
      ? (opts.gracePeriodSeconds ??
        Number((old.spec as { terminationGracePeriodSeconds?: number })?.terminationGracePeriodSeconds ?? 30))
      : 0;
  const graceful = r.kind === "Pod" && grace > 0 && Boolean((old.spec as { nodeName?: string })?.nodeName);
  if (r.kind === "Namespace" || old.metadata.finalizers?.length || graceful) {
    if (!next.metadata.deletionTimestamp) {
      next.metadata.deletionTimestamp = stamp(new Date(nowD.getTime() + grace * 1000));
      next.metadata.deletionGracePeriodSeconds = grace;
      if (r.kind === "Namespace")
        next.status = { ...(isDict(next.status) ? next.status : {}), phase: "Terminating" };
      if (opts.dryRun) return { object: next, returnsObject };
      return { object: ctx.store.put(r, next, "MODIFIED"), returnsObject };
    }
    return { object: old, returnsObject };
  }
  if (opts.dryRun) return { object: old, returnsObject };
  return { object: ctx.store.remove(r, old), returnsObject };
}

/** Removes an object for good (kubelet after graceful pod termination, namespace controller). */
export function finalizeDelete(ctx: ApiCtx, r: ResourceDef, obj: KObj): void {
  if (ctx.store.get(r, obj.metadata.namespace ?? "", obj.metadata.name ?? "")) ctx.store.remove(r, obj);
}
