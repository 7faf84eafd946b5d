/**
 * The bundle's ObjectSerializer (scripts/build-kube-models.mjs) holds only the models plsctl can
 * meet, and deserializes and serializes each of them exactly as the package's own does: Dates for
 * timestamps, each nested object its model class, renamed fields (`_continue`, `_from`, …) mapped.
 * The test bundles client-node's ObjectSerializer with the build's plugin (the type map depends on
 * plsctl's sources, not on the entry) and compares, for every model it keeps, a document with every
 * attribute filled in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_METHODS } from "../../src/kube/handle.js";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
type Model = { getAttributeTypeMap(): Attribute[] };
interface Serializer {
  deserialize(data: unknown, type: string, format?: string): unknown;
  serialize(data: unknown, type: string, format?: string): unknown;
}
interface KubeModelsState {
  keep: Set<string>;
  total: number;
}

const models = k8s as unknown as Record<string, Model | undefined>;
/** The package's ObjectSerializer (its index does not export it). */
const SERIALIZER = resolve("node_modules/@kubernetes/client-node/dist/gen/models/ObjectSerializer.js");

/** A JSON document of the type with every attribute set (a model already on the path: left out). */
function fullDocument(type: string, path: string[] = []): unknown {
  const t = type.replace(/ \| (null|undefined)$/, "");
  if (t.startsWith("Array<")) return [fullDocument(t.slice(6, -1), path)];
  if (t.startsWith("{ [key: string]: ")) return { k: fullDocument(t.slice(17, -3), path) };
  switch (t) {
    case "string":
      return `s-${path.length}`;
    case "number":
      return 7;
    case "boolean":
      return true;
    case "Date":
      return "2026-01-02T03:04:05Z";
    case "V1MicroTime":
      return "2026-01-02T03:04:05.123456Z";
    case "IntOrString":
      return "http";
    case "any":
      return { x: [1] };
  }
  const model = models[t];
  if (!model?.getAttributeTypeMap) throw new Error(`no model ${t}`);
  if (path.includes(t)) return undefined;
  return Object.fromEntries(
    model.getAttributeTypeMap().map((a) => [a.baseName, fullDocument(a.type, [...path, t])]),
  );
}

/** What a deserialized value is: its classes (by their attributes), Dates and values. */
function shape(v: unknown): unknown {
  if (v instanceof Date) return { Date: v.toISOString() };
  if (Array.isArray(v)) return v.map(shape);
  if (v === null || typeof v !== "object") return v;
  const ctor = (v as { constructor: Partial<Model> & { name: string } }).constructor;
  const cls = ctor.getAttributeTypeMap
    ? `model(${ctor.getAttributeTypeMap().map((a) => a.name)})`
    : ctor.name;
  const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { class: cls, fields: Object.fromEntries(entries.map(([k, x]) => [k, shape(x)])) };
}

describe("the bundle's Kubernetes models", () => {
  let dir = "";
  let bundled: Serializer;
  let theirs: Serializer;
  let state: KubeModelsState;
  let trim: (code: string, file: string, methods: string[]) => string;
  let closure: (dir: string, tables: object, roots: Array<{ type: string; via: string }>) => Set<string>;

  beforeAll(async () => {
    const plugin = (await import(pathToFileURL(resolve("scripts/build-kube-models.mjs")).href)) as {
      kubeModels(root: string): { plugin: import("esbuild").Plugin; state: KubeModelsState };
      modelClosure: typeof closure;
      trimCoreApi: typeof trim;
    };
    closure = plugin.modelClosure;
    trim = plugin.trimCoreApi;
    const k = plugin.kubeModels(process.cwd());
    const out = await build({
      stdin: {
        contents: `export { ObjectSerializer } from ${JSON.stringify(SERIALIZER)};`,
        resolveDir: process.cwd(),
      },
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      plugins: [k.plugin],
      logLevel: "error",
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
    });
    dir = mkdtempSync(join(tmpdir(), "plsctl-kube-models-"));
    writeFileSync(join(dir, "serializer.mjs"), out.outputFiles[0]?.contents ?? "");
    bundled = (
      (await import(pathToFileURL(join(dir, "serializer.mjs")).href)) as { ObjectSerializer: Serializer }
    ).ObjectSerializer;
    theirs = ((await import(pathToFileURL(SERIALIZER).href)) as { ObjectSerializer: Serializer })
      .ObjectSerializer;
    state = k.state;
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the models of what plsctl reads and writes, and leaves most of the others out", () => {
    for (const t of [
      "V1Service",
      "V1NodeList",
      "CoreV1EventList",
      "V1ConfigMap",
      "V1Lease",
      "V1Pod",
      "V1Status",
    ]) {
      expect(state.keep.has(t), t).toBe(true);
    }
    expect(state.keep.size).toBeLessThan(state.total / 3);
    // A model left out: the bundle's serializer hands the document back as it is.
    expect(state.keep.has("V1CSIDriver")).toBe(false);
    const csi = fullDocument("V1CSIDriver");
    expect(bundled.deserialize(csi, "V1CSIDriver")).toBe(csi);
  });

  it("gives CoreV1Api and its wrappers only the methods src/kube/handle.ts lists, and fails on one it lacks", () => {
    const file = resolve("node_modules/@kubernetes/client-node/dist/gen/types/ObjectParamAPI.js");
    const code = readFileSync(file, "utf8");
    const trimmed = trim(code, file, [...CORE_METHODS]);
    const coreClass = trimmed.slice(trimmed.indexOf("export class ObjectCoreV1Api "));
    const members = [...coreClass.slice(0, coreClass.indexOf("\n}")).matchAll(/^ {4}(\w+)\(/gm)].map(
      (m) => m[1],
    );
    expect(members.sort()).toEqual(
      ["constructor", ...CORE_METHODS.flatMap((m) => [m, `${m}WithHttpInfo`])].sort(),
    );
    // The other APIs' classes are left as they are.
    expect(trimmed.slice(trimmed.indexOf("export class ObjectCoordinationV1Api "))).toContain(
      "listNamespacedLease(",
    );
    expect(() => trim(code, file, ["readNamespacedServce"])).toThrow(
      /ObjectCoreV1Api has no method readNamespacedServce/,
    );
  });

  it("fails the build on a type it cannot resolve", () => {
    const tables = { primitives: ["string"], enums: [], models: ["V1Service"] };
    const dir = resolve("node_modules/@kubernetes/client-node/dist/gen/models");
    expect(() => closure(dir, tables, [{ type: "Array<V1Nope>", via: "CoreV1Api.js" }])).toThrow(
      /cannot resolve type "Array<V1Nope>" \(from CoreV1Api.js\)/,
    );
  });

  it("deserializes a full V1Service, V1NodeList, CoreV1EventList, V1ConfigMap and V1Lease as the package does", () => {
    const svc = shape(bundled.deserialize(fullDocument("V1Service"), "V1Service")) as { class: string };
    expect(svc.class).toMatch(/^model\(apiVersion,kind,metadata,spec,status\)$/);
    for (const t of ["V1Service", "V1NodeList", "CoreV1EventList", "V1ConfigMap", "V1Lease"]) {
      const doc = fullDocument(t);
      expect(shape(bundled.deserialize(doc, t)), t).toEqual(shape(theirs.deserialize(doc, t)));
    }
  });

  it("deserializes and serializes every model it keeps as the package does", () => {
    const differ: string[] = [];
    for (const t of state.keep) {
      const doc = fullDocument(t);
      const mine = bundled.deserialize(doc, t);
      const expected = theirs.deserialize(doc, t);
      const same =
        JSON.stringify(shape(mine)) === JSON.stringify(shape(expected)) &&
        JSON.stringify(bundled.serialize(mine, t)) === JSON.stringify(theirs.serialize(expected, t));
      if (!same) differ.push(t);
    }
    expect(differ).toEqual([]);
    expect(state.keep.size).toBeGreaterThan(50);
  });
});
