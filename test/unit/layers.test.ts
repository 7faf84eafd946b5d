/**
 * One direction of imports (DESIGN.md "Layers"): commands → flows → adapters (src/azure,
 * src/kube) → domain, checked on every src/**\/*.ts import and export-from — static, dynamic and
 * type-only. The table below is the rule; a new folder or package needs a row before it is used.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Azure } from "../../src/azure/index.js";
import type { Context } from "../../src/context.js";
import type { Kube } from "../../src/kube/index.js";
import { blankSource, buildGraph, type ImportGraph, repoRoot, scanImports } from "../helpers/import-graph.js";
import {
  cycles,
  internalViolations,
  type LayerRules,
  layerOf,
  layerViolations,
  packageViolations,
  staticPackages,
} from "../helpers/layer-checks.js";

/**
 * What each layer may import ("type:x": type-only imports of x). The sandbox is standalone: it
 * imports nothing else from src/, not even domain — it stands in for Azure and AKS, so it must not
 * borrow plsctl's own rules (a wrong rule would then agree with itself in every test).
 */
const RULES: LayerRules = {
  layers: {
    cli: ["cli", "commands", "output", "domain", "env", "version", "type:context", "src/azure/errors.ts"],
    commands: ["commands", "flows", "output", "domain", "context", "env", "version"],
    context: ["context", "azure", "kube", "domain", "env"],
    flows: ["flows", "azure", "kube", "net", "domain", "type:context"],
    azure: ["azure", "domain", "env", "version"],
    kube: ["kube", "domain", "env"],
    // Loopback-only sockets (the tunnel through the sandbox's partner network), no SDK.
    net: ["net", "domain"],
    domain: ["domain"],
    output: ["output", "domain", "env"],
    env: ["env"],
    version: ["version", "package.json"],
    sandbox: ["sandbox"],
  },
  // Only the sandbox and demo flows enter the sandbox (cli.ts's top-level catch explains a rejected
  // PLSCTL_ACCESS_TOKEN with azure/errors.ts, which loads no SDK: see "start-up" below).
  extra: [
    { from: "src/flows/sandbox/*.ts", to: "sandbox" },
    { from: "src/flows/demo.ts", to: "sandbox" },
  ],
};

/** Which layers may import each package; node: built-ins anywhere. */
const PACKAGES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^@azure\//, ["azure", "sandbox"]],
  [/^@kubernetes\//, ["kube", "sandbox"]],
  [/^(commander|@commander-js\/extra-typings)$/, ["cli", "commands"]],
  [/^chalk$/, ["output"]],
  [/^yaml$/, ["output", "kube", "sandbox", "domain"]],
  [/^node-forge$/, ["sandbox"]],
  // `approve --watch --metrics-addr` only: src/output/metrics.ts, imported lazily.
  [/^prom-client$/, ["output"]],
  [/^node:/, Object.keys(RULES.layers)],
];

/** Adapter modules that hold SDK handles: nothing outside their folder imports them. */
const INTERNAL = [
  { module: "src/azure/handle.ts", owner: "azure" },
  { module: "src/azure/clients.ts", owner: "azure" },
  { module: "src/azure/credentials.ts", owner: "azure" },
  { module: "src/kube/handle.ts", owner: "kube" },
  { module: "src/kube/config.ts", owner: "kube" },
];
/** …and nothing outside src/azure and src/kube names what they keep. */
const INTERNAL_NAMES =
  /(?<![\w$])(armOf|apiOf|makeAzure|makeKube|ArmClients|KubeApi|SdkClients|KubeTarget|ArmConnection)(?![\w$])/;

/** The process (signals, exit, pid, argv) belongs to the command layer, the entry and the sandbox. */
const PROCESS_USERS = ["cli", "commands", "sandbox", "src/output/io.ts"];

const root = repoRoot();
const graph = buildGraph(root);
const source = (file: string) => blankSource(readFileSync(join(root, file), "utf8"));
const fileMatches = (sel: string, file: string) => (sel.includes("/") ? sel === file : layerOf(file) === sel);

describe("the import graph of src/", () => {
  it("finds the files and their imports", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/cli.ts")?.map((e) => e.to)).toContain("src/commands/index.ts");
    const unresolved = [...graph.values()].flat().filter((e) => e.to === "" || e.to.endsWith(".js"));
    expect(unresolved.map((e) => `${e.from}:${e.line} ${e.specifier}`)).toEqual([]);
  });

  it("misses no import esbuild sees, and sees none it does not (type-only imports aside)", async () => {
    const files = [...graph.keys()];
    const { metafile } = await build({
      entryPoints: files.map((f) => join(root, f)),
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      outdir: "out",
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    const fromEsbuild = files.map((f) => {
      const imports = metafile.inputs[f]?.imports ?? [];
      return [
        f,
        imports
          .map((i) => `${i.original ?? i.path}${i.kind === "dynamic-import" ? " (dynamic)" : ""}`)
          .sort(),
      ];
    });
    const fromScan = files.map((f) => [
      f,
      (graph.get(f) ?? [])
        .filter((e) => !e.typeOnly)
        .map((e) => `${e.specifier}${e.dynamic ? " (dynamic)" : ""}`)
        .sort(),
    ]);
    expect(fromScan).toEqual(fromEsbuild);
  });

  it("follows the layer table", () => {
    expect(layerViolations(graph, RULES)).toEqual([]);
  });

  it("has no cycles between files, type-only imports included", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("imports SDKs only in src/azure, src/kube (and the sandbox), and every package where its row says", () => {
    expect(packageViolations(graph, PACKAGES)).toEqual([]);
  });

  it("keeps the SDK handles behind the adapters", () => {
    expect(internalViolations(graph, INTERNAL)).toEqual([]);
    const naming = [...graph.keys()]
      .filter((f) => !["azure", "kube"].includes(layerOf(f)))
      .flatMap((f) => {
        const m = INTERNAL_NAMES.exec(source(f));
        return m ? [`${f} names ${m[1]}`] : [];
      });
    expect(naming).toEqual([]);
    // What flows hold are plain values: no SDK client behind a property.
    expectTypeOf<Azure[keyof Azure]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Kube[keyof Kube]>().toEqualTypeOf<string>();
    expectTypeOf<Context>().not.toHaveProperty("stdout");
  });

  it("leaves the process to the command layer", () => {
    const users = [...graph.keys()].filter(
      (f) =>
        !PROCESS_USERS.some((sel) => fileMatches(sel, f)) &&
        /(?<![\w$.])process(?![\w$]|\s*:)/.test(source(f)),
    );
    expect(users).toEqual([]);
  });

  it("loads no SDK at start-up: --help and usage errors reach the big packages only through lazy imports", () => {
    const loaded = [...staticPackages(graph, "src/cli.ts")];
    expect(loaded.filter((p) => /^(@azure\/|@kubernetes\/|yaml$|node-forge$|prom-client$)/.test(p))).toEqual(
      [],
    );
  });
});

describe("the checks themselves, on a made-up graph", () => {
  const edge = (from: string, to: string, o: { typeOnly?: boolean; dynamic?: boolean } = {}) => ({
    from,
    specifier: to,
    to,
    typeOnly: Boolean(o.typeOnly),
    dynamic: Boolean(o.dynamic),
    line: 1,
  });
  const made = (edges: ReturnType<typeof edge>[]): ImportGraph => {
    const g: ImportGraph = new Map();
    for (const e of edges) {
      g.set(e.from, [...(g.get(e.from) ?? []), e]);
      if (e.to.startsWith("src/") && !g.has(e.to)) g.set(e.to, []);
    }
    return g;
  };

  it("refuses an edge against the direction, a value import of a type-only layer, and the sandbox outside its flows", () => {
    const g = made([
      edge("src/domain/a.ts", "src/flows/b.ts"),
      edge("src/flows/b.ts", "src/context.ts"),
      edge("src/flows/c.ts", "src/context.ts", { typeOnly: true }),
      edge("src/flows/c.ts", "src/sandbox/index.ts", { dynamic: true }),
      edge("src/flows/sandbox/up.ts", "src/sandbox/index.ts", { dynamic: true }),
      edge("src/sandbox/index.ts", "src/domain/a.ts"),
      edge("src/newlayer/x.ts", "src/domain/a.ts"),
    ]);
    expect(layerViolations(g, RULES)).toEqual([
      "src/domain/a.ts:1 imports src/flows/b.ts: domain → flows is not allowed",
      "src/flows/b.ts:1 imports src/context.ts: flows → context is not allowed",
      "src/flows/c.ts:1 imports src/sandbox/index.ts (dynamic): flows → sandbox is not allowed",
      "src/sandbox/index.ts:1 imports src/domain/a.ts: sandbox → domain is not allowed",
      'src/newlayer/x.ts:1 imports src/domain/a.ts: layer "newlayer" has no row in the table',
    ]);
  });

  it("finds a cycle made of type-only imports, and a file importing itself", () => {
    const g = made([
      edge("src/commands/index.ts", "src/commands/expose.ts"),
      edge("src/commands/expose.ts", "src/commands/index.ts", { typeOnly: true }),
      edge("src/domain/a.ts", "src/domain/a.ts"),
      edge("src/domain/b.ts", "src/domain/a.ts"),
    ]);
    expect(cycles(g)).toEqual([["src/commands/expose.ts", "src/commands/index.ts"], ["src/domain/a.ts"]]);
  });

  it("refuses an SDK outside the adapters, an unknown package, an internal module and a start-up SDK", () => {
    const g = made([
      edge("src/flows/a.ts", "@azure/arm-network", { typeOnly: true }),
      edge("src/output/b.ts", "@kubernetes/client-node"),
      edge("src/domain/c.ts", "left-pad"),
      edge("src/flows/a.ts", "src/azure/handle.ts", { typeOnly: true }),
      edge("src/azure/pls.ts", "src/azure/handle.ts"),
      edge("src/cli.ts", "src/output/b.ts"),
    ]);
    expect(packageViolations(g, PACKAGES)).toEqual([
      "src/flows/a.ts:1 imports @azure/arm-network (type-only): only azure, sandbox may import it",
      "src/output/b.ts:1 imports @kubernetes/client-node: only kube, sandbox may import it",
      "src/domain/c.ts:1 imports left-pad: no row for this package",
    ]);
    expect(internalViolations(g, INTERNAL)).toEqual([
      "src/flows/a.ts:1 imports src/azure/handle.ts (type-only): it is internal to src/azure",
    ]);
    expect([...staticPackages(g, "src/cli.ts")]).toEqual(["@kubernetes/client-node"]);
  });
});

describe("the import scanner", () => {
  it("reads every form, and no import named in a comment, a string or a regular expression", () => {
    const found = scanImports(`
// import { no } from "./comment.js";
/* import "./block.js"; */
import def, { a, type B } from "./mixed.js";
import type {
  C,
  D,
} from "./types.js";
import * as ns from "node:path";
import "./side-effect.js";
export { e } from "./reexport.js";
export type { F } from "./type-reexport.js";
export * from "./star.js";
const help = "import x from './string.js'";
const tpl = \`import("./template.js") \${"}"}\`;
const re = /import "\\.\\/regex.js"/;
const later = await import("./lazy.js");
type Lazy = typeof import("./lazy-type.js");
`);
    expect(
      found.map((f) => `${f.specifier}${f.typeOnly ? " type" : ""}${f.dynamic ? " dynamic" : ""}`),
    ).toEqual([
      "./mixed.js",
      "./types.js type",
      "node:path",
      "./reexport.js",
      "./type-reexport.js type",
      "./star.js",
      "./side-effect.js",
      "./lazy.js dynamic",
      "./lazy-type.js type",
    ]);
  });
});
