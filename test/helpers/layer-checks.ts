/**
 * The checks of the layers test, as plain functions over an import graph, so the test can run
 * them on src/ and on a small made-up graph (to prove each one fails when it should).
 */
import type { ImportEdge, ImportGraph } from "./import-graph.js";

/** `src/flows/expose.ts` → "flows"; `src/cli.ts` → "cli"; `package.json` → "package.json". */
export function layerOf(file: string): string {
  const folder = /^src\/([^/]+)\//.exec(file);
  if (folder?.[1]) return folder[1];
  return file.replace(/^src\//, "").replace(/\.ts$/, "");
}

const isPackage = (to: string) => !to.startsWith("src/") && to !== "package.json";

/**
 * A selector names files: a layer ("flows"), a layer whose imports must be type-only
 * ("type:context"), or a path with `*` wildcards ("src/flows/sandbox/*.ts").
 */
function selects(selector: string, file: string): boolean {
  const bare = selector.replace(/^type:/, "");
  if (!bare.includes("/") && !bare.endsWith(".json")) return layerOf(file) === bare;
  const pattern = new RegExp(`^${bare.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  return pattern.test(file);
}

export interface LayerRules {
  /** For each layer, what its files may import. */
  layers: Readonly<Record<string, readonly string[]>>;
  /** Edges allowed to some files only (`from` and `to` are selectors). */
  extra: ReadonlyArray<{ from: string; to: string }>;
}

const describe = (e: ImportEdge) =>
  `${e.from}:${e.line} imports ${e.to}${e.typeOnly ? " (type-only)" : e.dynamic ? " (dynamic)" : ""}`;

/** (a) Every edge between src/ files follows the table. */
export function layerViolations(graph: ImportGraph, rules: LayerRules): string[] {
  const out: string[] = [];
  for (const edges of graph.values()) {
    for (const e of edges) {
      if (isPackage(e.to)) continue;
      const row = rules.layers[layerOf(e.from)];
      if (!row) {
        out.push(`${describe(e)}: layer "${layerOf(e.from)}" has no row in the table`);
        continue;
      }
      const allowed =
        row.some((sel) => selects(sel, e.to) && (!sel.startsWith("type:") || e.typeOnly)) ||
        rules.extra.some((x) => selects(x.from, e.from) && selects(x.to, e.to));
      if (!allowed) out.push(`${describe(e)}: ${layerOf(e.from)} → ${layerOf(e.to)} is not allowed`);
    }
  }
  return out;
}

/** (b) Cycles between files, type-only and dynamic imports included (Tarjan's strongly connected components). */
export function cycles(graph: ImportGraph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const found: string[][] = [];
  const targets = (file: string) =>
    [...new Set((graph.get(file) ?? []).map((e) => e.to))].filter((t) => graph.has(t));
  const visit = (v: string) => {
    indices.set(v, index);
    lowlink.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of targets(v)) {
      if (!indices.has(w)) {
        visit(w);
        lowlink.set(v, Math.min(lowlink.get(v) ?? 0, lowlink.get(w) ?? 0));
      } else if (onStack.has(w)) {
        lowlink.set(v, Math.min(lowlink.get(v) ?? 0, indices.get(w) ?? 0));
      }
    }
    if (lowlink.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || targets(v).includes(v)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  return found;
}

/** (c) Each package is imported only by the layers its row names; a package without a row is refused. */
export function packageViolations(
  graph: ImportGraph,
  packages: ReadonlyArray<readonly [RegExp, readonly string[]]>,
): string[] {
  const out: string[] = [];
  for (const edges of graph.values()) {
    for (const e of edges) {
      if (!isPackage(e.to)) continue;
      const row = packages.find(([pattern]) => pattern.test(e.to));
      if (!row) out.push(`${describe(e)}: no row for this package`);
      else if (!row[1].some((sel) => selects(sel, e.from)))
        out.push(`${describe(e)}: only ${row[1].join(", ")} may import it`);
    }
  }
  return out;
}

/** Modules private to an adapter: imported only from inside their folder. */
export function internalViolations(
  graph: ImportGraph,
  internal: ReadonlyArray<{ module: string; owner: string }>,
): string[] {
  const out: string[] = [];
  for (const edges of graph.values()) {
    for (const e of edges) {
      const owned = internal.find((i) => i.module === e.to);
      if (owned && layerOf(e.from) !== owned.owner)
        out.push(`${describe(e)}: it is internal to src/${owned.owner}`);
    }
  }
  return out;
}

/** Packages loaded at start-up: reached from `entry` through static, non-type imports only. */
export function staticPackages(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const e of graph.get(file) ?? []) {
      if (e.typeOnly || e.dynamic) continue;
      if (isPackage(e.to)) packages.add(e.to);
      else if (!seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return packages;
}
