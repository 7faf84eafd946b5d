/**
 * The three patch formats of the apiserver: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
 * and strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) with merge keys for the
 * lists of the kinds served here and the `$patch`, `$retainKeys`, `$setElementOrder/…` and
 * `$deleteFromPrimitiveList/…` directives kubectl sends.
 */
import { invalidPatch } from "./errors.js";

type Json = unknown;
type JMap = Record<string, Json>;

const isMap = (v: Json): v is JMap => v !== null && typeof v === "object" && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}

function splitPointer(p: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/")) throw invalidPatch(`jsonpatch: invalid path "${p}"`);
  return p.slice(1).split("/").map(unescapePointer);
}

function getAt(doc: Json, segs: string[]): Json {
  let cur = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isMap(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function parentOf(doc: Json, segs: string[], op: string): { parent: Json; key: string } {
  const parent = getAt(doc, segs.slice(0, -1));
  const key = segs[segs.length - 1];
  if (key === undefined || (!Array.isArray(parent) && !isMap(parent))) {
    throw invalidPatch(`jsonpatch ${op} operation does not apply: doc is missing path: "/${segs.join("/")}"`);
  }
  return { parent, key };
}

function removeAt(doc: Json, segs: string[], op: string): Json {
  const { parent, key } = parentOf(doc, segs, op);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw invalidPatch(`jsonpatch ${op}: index out of range`);
    return parent.splice(i, 1)[0];
  }
  const m = parent as JMap;
  if (!Object.hasOwn(m, key)) {
    throw invalidPatch(`jsonpatch ${op} operation does not apply: doc is missing key: /${segs.join("/")}`);
  }
  const v = m[key];
  delete m[key];
  return v;
}

function addAt(doc: Json, segs: string[], value: Json, op: string): Json {
  if (segs.length === 0) return value;
  const { parent, key } = parentOf(doc, segs, op);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length)
      throw invalidPatch(`jsonpatch ${op}: index out of range`);
    parent.splice(i, 0, value);
  } else (parent as JMap)[key] = value;
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw invalidPatch("json patch must be an array of operations");
  let doc = structuredClone(target);
  for (const raw of ops) {
    if (!isMap(raw)) throw invalidPatch("json patch operation must be an object");
    const op = String(raw.op);
    const segs = splitPointer(String(raw.path ?? ""));
    switch (op) {
      case "add":
        doc = addAt(doc, segs, structuredClone(raw.value), op);
        break;
      case "remove":
        removeAt(doc, segs, op);
        break;
      case "replace": {
        if (segs.length === 0) {
          doc = structuredClone(raw.value);
          break;
        }
        const { parent, key } = parentOf(doc, segs, op);
        if (Array.isArray(parent)) parent[Number(key)] = structuredClone(raw.value);
        else {
          if (!Object.hasOwn(parent as JMap, key)) {
            throw invalidPatch(`jsonpatch replace operation does not apply: doc is missing key: ${raw.path}`);
          }
          (parent as JMap)[key] = structuredClone(raw.value);
        }
        break;
      }
      case "move":
      case "copy": {
        const from = splitPointer(String(raw.from ?? ""));
        const value = op === "move" ? removeAt(doc, from, op) : structuredClone(getAt(doc, from));
        if (value === undefined)
          throw invalidPatch(`jsonpatch ${op} operation does not apply: missing from path`);
        doc = addAt(doc, segs, value, op);
        break;
      }
      case "test":
        if (JSON.stringify(getAt(doc, segs)) !== JSON.stringify(raw.value)) {
          throw invalidPatch(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw invalidPatch(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

/** Merge keys of the lists with `patchStrategy:"merge"`, by path (list indices left out). */
const MERGE_KEYS: Record<string, string> = {
  "metadata.ownerReferences": "uid",
  "spec.ports": "port",
  "spec.containers": "name",
  "spec.initContainers": "name",
  "spec.ephemeralContainers": "name",
  "spec.containers.ports": "containerPort",
  "spec.initContainers.ports": "containerPort",
  "spec.containers.env": "name",
  "spec.initContainers.env": "name",
  "spec.containers.volumeMounts": "mountPath",
  "spec.initContainers.volumeMounts": "mountPath",
  "spec.containers.volumeDevices": "devicePath",
  "spec.volumes": "name",
  "spec.imagePullSecrets": "name",
  "spec.hostAliases": "ip",
  "spec.topologySpreadConstraints": "topologyKey",
  "spec.taints": "key",
  "status.conditions": "type",
  "status.addresses": "type",
};
/** Primitive lists merged as sets. */
const MERGE_PRIMITIVE = new Set(["metadata.finalizers"]);

const ORDER = "$setElementOrder/";
const DELETE_PRIM = "$deleteFromPrimitiveList/";

export function strategicMergePatch(target: Json, patch: Json): Json {
  return smpMap(isMap(target) ? target : {}, patch, "");
}

function smpMap(original: JMap, patch: Json, path: string): Json {
  if (!isMap(patch)) return patch;
  const directive = patch.$patch;
  if (directive === "replace") {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (directive === "delete") return undefined;
  const out: JMap = { ...original };
  const retain = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith(ORDER)) continue;
    if (k.startsWith(DELETE_PRIM)) {
      const field = k.slice(DELETE_PRIM.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    const sub = path ? `${path}.${k}` : k;
    if (v === null) {
      delete out[k];
    } else if (isMap(v)) {
      const merged = smpMap(isMap(out[k]) ? (out[k] as JMap) : {}, v, sub);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      out[k] = smpList(Array.isArray(out[k]) ? (out[k] as Json[]) : [], v, sub);
    } else out[k] = v;
  }
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(ORDER) || !Array.isArray(order)) continue;
    const field = k.slice(ORDER.length);
    const list = out[field];
    if (Array.isArray(list))
      out[field] = applyOrder(list, order, MERGE_KEYS[path ? `${path}.${field}` : field]);
  }
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

function smpList(original: Json[], patch: Json[], path: string): Json[] {
  const key = MERGE_KEYS[path];
  if (MERGE_PRIMITIVE.has(path)) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (!key) return patch.map((v) => (isMap(v) ? stripDirectives(v) : v));
  if (patch.some((p) => isMap(p) && p.$patch === "replace")) {
    return patch.filter((p) => !(isMap(p) && p.$patch === "replace"));
  }
  const out = [...original];
  for (const p of patch) {
    if (!isMap(p)) continue;
    const idx = out.findIndex((o) => isMap(o) && o[key] === p[key]);
    if (p.$patch === "delete") {
      for (let i = out.length - 1; i >= 0; i--) {
        const o = out[i];
        if (isMap(o) && o[key] === p[key]) out.splice(i, 1);
      }
      continue;
    }
    if (idx >= 0) out[idx] = smpMap(out[idx] as JMap, p, path);
    else out.push(smpMap({}, p, path));
  }
  return out;
}

function stripDirectives(m: JMap): JMap {
  const out: JMap = {};
  for (const [k, v] of Object.entries(m)) if (!k.startsWith("$")) out[k] = v;
  return out;
}

function applyOrder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const id = (x: Json) => (key && isMap(x) ? x[key] : x);
  const orderIds = order.map((o) => (key && isMap(o) ? o[key] : o));
  const ranked = list.filter((x) => orderIds.includes(id(x)));
  ranked.sort((a, b) => orderIds.indexOf(id(a)) - orderIds.indexOf(id(b)));
  const rest = list.filter((x) => !orderIds.includes(id(x)));
  return [...ranked, ...rest];
}
