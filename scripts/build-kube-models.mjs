// The esbuild plugin that gives @kubernetes/client-node's ObjectSerializer a type map with only the
// models plsctl's bundle can meet, and its CoreV1Api only the methods plsctl calls (see
// scripts/build.mjs).
//
// CoreV1Api: the generated CoreV1ApiRequestFactory, CoreV1ApiResponseProcessor, ObservableCoreV1Api
// and ObjectCoreV1Api hold ~200 operations each (0.6 MB of the bundle); the bundle's keep their
// constructor and the operations CORE_METHODS lists in src/kube/handle.ts, whose CoreApi type keeps
// src/kube to them (trimCoreApi; a listed method the package lacks fails the build).
//
// The package's ObjectSerializer (dist/gen/models/ObjectSerializer.js) imports all of its ~900 model
// classes for its type map — name → class, so that `deserialize(json, "V1Service")` builds a
// V1Service whose nested objects are their classes and whose timestamps are Dates — and so the
// bundle kept and evaluated every model at the start of each command that talks to a cluster. The
// bundle's ObjectSerializer is the package's file with the imports and type-map entries of the other
// models left out. What it keeps is computed here from the package's own files:
// - roots: the type names the API classes plsctl imports from the package (src/**/*.ts: CoreV1Api,
//   CoordinationV1Api, …; CoreV1Api's listed methods only) pass to ObjectSerializer.serialize/deserialize; those that client-node's
//   KubernetesObjectApi passes (dist/object.js); and, since KubernetesObjectApi picks the type from
//   the object's apiVersion and kind (util.js getSerializationType), the kinds of the manifests in
//   examples/ (the demo creates examples/sample-app.yaml through it);
// - then each model's attributeTypeMap types, transitively, through `Array<…>`,
//   `{ [key: string]: … }` and `… | null` / `… | undefined`.
// A type the closure meets that is neither a primitive, Date, an enum, a model of the package's
// type map, nor one of the names the package's type map does not hold either (PASS_THROUGH: its
// serializer returns those values as they are) fails the build. After the build, checkBundle()
// fails it too when the bundle holds a file of the package that calls ObjectSerializer and whose
// types were not among the roots (an API class plsctl started to use some other way).
// Deserialization is the package's code with the same classes for every type it can meet:
// test/e2e/build.test.ts compares the bundle's results with the package's.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const PKG = `${sep}@kubernetes${sep}client-node${sep}dist${sep}`;
/** Types the package's own type map does not hold: its serializer passes their values through. */
const PASS_THROUGH = ["V1MicroTime", "IntOrString"];
/** Files of the package, besides the API classes, that call ObjectSerializer with types. */
const OTHER_USERS = ["object.js"];
/** Files of the package that call ObjectSerializer but are ObjectSerializer (or wrap it). */
const SERIALIZERS = [join("gen", "models", "ObjectSerializer.js"), "serializer.js"];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The API classes (…Api, not KubernetesObjectApi) plsctl's sources import as values. */
function importedApis(srcDir) {
  const names = new Set();
  for (const f of sourceFiles(srcDir)) {
    const code = readFileSync(f, "utf8");
    for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@kubernetes\/client-node"/g)) {
      for (const n of m[1].split(",").map((s) => s.trim())) {
        if (/^\w+Api$/.test(n) && n !== "KubernetesObjectApi") names.add(n);
      }
    }
  }
  return [...names].sort();
}

/** The type names a file passes to ObjectSerializer.serialize/deserialize. */
function serializedTypes(file, code = readFileSync(file, "utf8")) {
  return [...code.matchAll(/ObjectSerializer\.(?:de)?serialize\([^;]*?,\s*["']([^"']+)["']/g)].map(
    (m) => m[1],
  );
}

/** The model types of the manifests in examples/, as KubernetesObjectApi names them. */
function manifestTypes(examplesDir) {
  const types = [];
  for (const f of readdirSync(examplesDir).filter((n) => /\.ya?ml$/.test(n))) {
    for (const doc of readFileSync(join(examplesDir, f), "utf8").split(/^---\s*$/m)) {
      const apiVersion = doc.match(/^apiVersion:\s*["']?([\w./-]+)/m)?.[1];
      const kind = doc.match(/^kind:\s*["']?(\w+)/m)?.[1];
      if (!apiVersion || !kind) continue;
      const version = apiVersion.split("/").at(-1);
      types.push({ file: f, type: `${version[0].toUpperCase()}${version.slice(1)}${kind}` });
    }
  }
  return types;
}

/** `Array<X>`, `{ [key: string]: X; }`, `X | null` → X. */
function baseType(t) {
  const s = t.replace(/ \| (null|undefined)$/, "");
  if (s.startsWith("Array<") && s.endsWith(">")) return baseType(s.slice(6, -1));
  if (s.startsWith("{ [key: string]: ") && s.endsWith("; }")) return baseType(s.slice(17, -3));
  return s;
}

/** What the package's ObjectSerializer.js declares: its primitives, enums and type map. */
function serializerTables(code, file) {
  const list = (re) => {
    const m = code.match(re);
    if (!m) throw new Error(`kube-models: no ${re} in ${file}`);
    return [...m[1].matchAll(/"(\w+)"/g)].map((x) => x[1]);
  };
  const primitives = list(/let primitives = \[([^\]]*)\]/);
  const enums = list(/let enumsMap = new Set\(\[([^\]]*)\]\)/);
  const typeMapBody = code.match(/let typeMap = \{([^}]*)\};/)?.[1];
  if (!typeMapBody) throw new Error(`kube-models: no type map in ${file}`);
  const models = [...typeMapBody.matchAll(/^\s*"(\w+)": (\w+),?$/gm)].map((m) => m[1]);
  return { primitives, enums, models };
}

/**
 * The models reachable from the roots. Throws, naming the path, on a type it cannot resolve.
 */
export function modelClosure(modelsDir, tables, roots) {
  const models = new Set(tables.models);
  const leaves = new Set([...tables.enums, ...PASS_THROUGH, "Date"]);
  const isPrimitive = (t) => tables.primitives.includes(t.toLowerCase());
  const seen = new Set();
  const todo = roots.map((r) => ({ type: r.type, via: r.via }));
  while (todo.length > 0) {
    const { type, via } = todo.pop();
    const t = baseType(type);
    if (seen.has(t) || isPrimitive(t) || leaves.has(t)) continue;
    if (!models.has(t) || !existsSync(join(modelsDir, `${t}.js`))) {
      throw new Error(
        `kube-models: cannot resolve type "${type}" (from ${via}): not a primitive, Date, enum or model of @kubernetes/client-node's ObjectSerializer; see scripts/build-kube-models.mjs`,
      );
    }
    seen.add(t);
    const code = readFileSync(join(modelsDir, `${t}.js`), "utf8");
    if (!/static getAttributeTypeMap\(\)/.test(code))
      throw new Error(`kube-models: ${t} has no attribute type map`);
    for (const m of code.matchAll(/"type": "([^"]*)"/g)) todo.push({ type: m[1], via: t });
  }
  return seen;
}

/** The roots, each with where it comes from, and the package files they were read from. */
function roots(pkgDir, root) {
  const apis = importedApis(join(root, "src"));
  const files = [];
  for (const api of apis) {
    const f = join(pkgDir, "gen", "apis", `${api}.js`);
    if (!existsSync(f)) throw new Error(`kube-models: @kubernetes/client-node has no gen/apis/${api}.js`);
    files.push(f);
  }
  for (const o of OTHER_USERS) files.push(join(pkgDir, o));
  const methods = coreMethods(root);
  const code = (f) => {
    const text = readFileSync(f, "utf8");
    return f.endsWith(`${sep}CoreV1Api.js`) ? trimCoreApi(text, f, methods) : text;
  };
  const out = files.flatMap((f) =>
    serializedTypes(f, code(f)).map((type) => ({ type, via: relative(pkgDir, f) })),
  );
  for (const m of manifestTypes(join(root, "examples")))
    out.push({ type: m.type, via: `examples/${m.file}` });
  return { apis, files, roots: out };
}

/** The CoreV1Api methods plsctl calls: CORE_METHODS in src/kube/handle.ts. */
export function coreMethods(root) {
  const file = join(root, "src", "kube", "handle.ts");
  const list = readFileSync(file, "utf8").match(/CORE_METHODS = \[([^\]]*)\]/)?.[1];
  const methods = [...(list ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1]);
  if (methods.length === 0) throw new Error(`kube-models: no CORE_METHODS in ${file}`);
  return methods;
}

/** The generated classes that hold one method (or two: …WithHttpInfo) per CoreV1 operation. */
const CORE_CLASSES = [
  "CoreV1ApiRequestFactory",
  "CoreV1ApiResponseProcessor",
  "ObservableCoreV1Api",
  "ObjectCoreV1Api",
  "PromiseCoreV1Api",
];

/**
 * The file with the CoreV1 classes it holds cut down to their constructor and the methods listed
 * (with their …WithHttpInfo twins). The generator writes each member at four spaces: its JSDoc,
 * then `name(…) {` … `}`. Throws when a class does not read so, or lacks a listed method.
 */
export function trimCoreApi(code, file, methods) {
  const lines = code.split("\n");
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const cls = line.match(/^export class (\w+) /)?.[1];
    out.push(line);
    i += 1;
    if (!cls || !CORE_CLASSES.includes(cls)) continue;
    const found = new Set();
    let doc = [];
    while (i < lines.length && lines[i] !== "}") {
      const l = lines[i];
      if (l === "    /**") {
        doc = [];
        while (i < lines.length && lines[i] !== "     */") doc.push(lines[i++]);
        doc.push(lines[i++]);
        continue;
      }
      const name = l.match(/^ {4}(?:async )?(\w+)\(.*\) \{$/)?.[1];
      if (!name) throw new Error(`kube-models: ${file}: class ${cls}: cannot read line ${i + 1}: ${l}`);
      const body = [];
      while (i < lines.length && lines[i] !== "    }") body.push(lines[i++]);
      body.push(lines[i++]);
      const base = name.replace(/WithHttpInfo$/, "");
      if (name === "constructor" || methods.includes(base)) {
        out.push(...doc, ...body);
        found.add(base);
      }
      doc = [];
    }
    const missing = methods.filter((m) => !found.has(m));
    if (missing.length > 0)
      throw new Error(`kube-models: ${file}: ${cls} has no method ${missing.join(", ")}`);
  }
  return out.join("\n");
}

export function kubeModels(root) {
  const state = { files: [] };
  return {
    state,
    plugin: {
      name: "kube-models",
      setup(b) {
        // Each model file ends with assignments to its own class's static fields (attributeTypeMap,
        // discriminator, mapping), which esbuild must assume have side effects: every model that
        // an `export *` (gen/models/all.js, ObjectSerializer.js) reaches would stay in the bundle,
        // used or not. They have none: marked so, a model stays only where something uses it.
        // A relative path to a plain .js file needs no resolver (a nested b.resolve per import of
        // the ~760 models made the build 2.5 times slower); anything else esbuild resolves itself.
        b.onResolve({ filter: /^\.\.?\/(?:models\/)?\w+\.js$/ }, (a) => {
          if (!a.importer.includes(`${PKG}gen${sep}`)) return undefined;
          const path = join(a.resolveDir, a.path);
          const isModel =
            path.includes(`${PKG}gen${sep}models${sep}`) && !/[\\/](ObjectSerializer|all)\.js$/.test(path);
          return isModel && existsSync(path) ? { path, sideEffects: false } : undefined;
        });
        // CoreV1Api and its wrappers with only the methods plsctl calls (CORE_METHODS).
        b.onLoad(
          {
            filter:
              /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]gen[\\/](apis[\\/]CoreV1Api|types[\\/](Observable|ObjectParam|Promise)API)\.js$/,
          },
          (a) => {
            try {
              const contents = trimCoreApi(readFileSync(a.path, "utf8"), a.path, coreMethods(root));
              return { contents, loader: "js", resolveDir: dirname(a.path) };
            } catch (err) {
              return { errors: [{ text: err.message }] };
            }
          },
        );
        b.onLoad(
          {
            filter: /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]gen[\\/]models[\\/]ObjectSerializer\.js$/,
          },
          (a) => {
            const code = readFileSync(a.path, "utf8");
            const pkgDir = join(dirname(a.path), "..", "..");
            const tables = serializerTables(code, a.path);
            const r = roots(pkgDir, root);
            // Every manifest kind must be a model: else KubernetesObjectApi would send it untyped.
            for (const m of r.roots.filter((x) => x.via.startsWith("examples/"))) {
              if (!tables.models.includes(m.type)) {
                return {
                  errors: [{ text: `kube-models: ${m.via}: no model ${m.type} in @kubernetes/client-node` }],
                };
              }
            }
            let keep;
            try {
              keep = modelClosure(dirname(a.path), tables, r.roots);
            } catch (err) {
              return { errors: [{ text: err.message }] };
            }
            state.files = r.files;
            state.kept = keep.size;
            state.keep = keep;
            state.tables = tables;
            state.modelsDir = dirname(a.path);
            state.total = tables.models.length;
            let imports = 0;
            let entries = 0;
            const contents = code
              .split("\n")
              .filter((line) => {
                const imp = line.match(/^import \{ (\w+) \} from '\.\.\/models\/(\w+)\.js';$/);
                if (imp) {
                  if (keep.has(imp[1])) imports += 1;
                  return keep.has(imp[1]);
                }
                const entry = line.match(/^\s*"(\w+)": (\w+),?$/);
                if (entry && tables.models.includes(entry[1])) {
                  if (keep.has(entry[1])) entries += 1;
                  return keep.has(entry[1]);
                }
                return true;
              })
              .join("\n");
            if (imports !== keep.size || entries !== keep.size) {
              return {
                errors: [
                  {
                    text: `kube-models: ${a.path} changed shape: kept ${imports} imports and ${entries} type-map entries for ${keep.size} models`,
                  },
                ],
              };
            }
            return { contents, loader: "js", resolveDir: dirname(a.path) };
          },
        );
      },
    },
  };
}

/**
 * After the build: every file of client-node in the bundle that calls ObjectSerializer with a type
 * was read for the roots. Throws otherwise (its models could be missing from the type map).
 */
/** Whether every type the file passes to ObjectSerializer is a literal the type map covers. */
function coveredBy(file, state) {
  const calls = readFileSync(file, "utf8").match(/ObjectSerializer\.(?:de)?serialize\(/g)?.length ?? 0;
  const types = serializedTypes(file);
  if (types.length !== calls) return false; // a type computed at run time
  try {
    modelClosure(
      state.modelsDir,
      state.tables,
      types.map((type) => ({ type, via: file })),
    );
  } catch {
    return false;
  }
  return types.every(
    (t) =>
      state.keep.has(baseType(t)) ||
      modelClosure(state.modelsDir, state.tables, [{ type: t, via: file }]).size === 0,
  );
}

export function checkBundle(metafile, state) {
  if (state.kept === undefined) return; // the bundle has no ObjectSerializer
  const read = new Set(state.files.map((f) => resolve(f)));
  const skip = SERIALIZERS.map((s) => `${PKG}${s}`);
  const unread = new Set();
  for (const o of Object.values(metafile.outputs)) {
    for (const [p, v] of Object.entries(o.inputs)) {
      const abs = resolve(p);
      if (v.bytesInOutput === 0 || !abs.includes(PKG) || read.has(abs) || skip.some((s) => abs.endsWith(s)))
        continue;
      if (existsSync(abs) && !coveredBy(abs, state)) unread.add(p);
    }
  }
  if (unread.size > 0) {
    throw new Error(
      `kube-models: the bundle holds ${[...unread].join(", ")}, which calls ObjectSerializer with types the bundle's type map was not computed from: import its API class in src/ or add the file to OTHER_USERS in scripts/build-kube-models.mjs`,
    );
  }
}
