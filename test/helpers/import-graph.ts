/**
 * The import graph of src/, for the layers test: every `import … from`, `export … from`,
 * side-effect `import "…"`, dynamic `import("…")` and type-position `import("…")`, with whether
 * it is type-only. A small scanner (TypeScript 7 ships no compiler API in JS): it blanks comments
 * and the insides of strings, template literals and regular expressions, then matches the import
 * forms on what is left, so an import named in a comment or a help text is not one.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

export interface ImportEdge {
  /** The file that imports, relative to the repository ("src/flows/expose.ts"). */
  from: string;
  /** The specifier as written ("../kube/index.js", "@azure/arm-network"). */
  specifier: string;
  /** A file ("src/kube/index.ts") or a package name ("@azure/arm-network", "node:fs"). */
  to: string;
  typeOnly: boolean;
  dynamic: boolean;
  line: number;
}

export type ImportGraph = Map<string, ImportEdge[]>;

const isIdentChar = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);
/** After these, a `/` starts a regular expression, not a division. */
const REGEX_AFTER_CHAR = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const REGEX_AFTER_WORD = /\b(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * The source with comments replaced by spaces and the contents of strings, template literals and
 * regular expressions replaced by spaces too — except string contents right after `from`, `import`
 * or `import(`, which are kept (they are the specifiers). Newlines are kept, so lines still count.
 */
export function blankSource(src: string): string {
  const out = src.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const before = (i: number) => src.slice(Math.max(0, i - 12), i).trimEnd();
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      const keep = /(\bfrom|\bimport|\bimport\s*\()\s*$/.test(before(i));
      if (!keep) blank(i + 1, j);
      i = j + 1;
    } else if (c === "`") {
      // Template literals: blanked whole, `${…}` included (src/ imports nothing from inside one).
      let j = i + 1;
      let depth = 0;
      while (j < src.length && !(src[j] === "`" && depth === 0)) {
        if (src[j] === "\\") j += 1;
        else if (src[j] === "$" && src[j + 1] === "{") depth += 1;
        else if (src[j] === "}" && depth > 0) depth -= 1;
        j += 1;
      }
      blank(i + 1, j);
      i = j + 1;
    } else if (c === "/") {
      const prev = before(i);
      const last = prev[prev.length - 1];
      if (prev === "" || (last !== undefined && REGEX_AFTER_CHAR.has(last)) || REGEX_AFTER_WORD.test(prev)) {
        let j = i + 1;
        let inClass = false;
        while (j < src.length && src[j] !== "\n" && (inClass || src[j] !== "/")) {
          if (src[j] === "\\") j += 1;
          else if (src[j] === "[") inClass = true;
          else if (src[j] === "]") inClass = false;
          j += 1;
        }
        blank(i + 1, j);
        i = j + 1;
      } else {
        i += 1;
      }
    } else if (isIdentChar(c)) {
      while (i < src.length && isIdentChar(src[i])) i += 1;
    } else {
      i += 1;
    }
  }
  return out.join("");
}

export interface ScannedImport {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
  line: number;
}

/** The imports of one TypeScript source. */
export function scanImports(src: string): ScannedImport[] {
  const text = blankSource(src);
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  const found: ScannedImport[] = [];
  // import x from "m"; import type { A } from "m"; import { a, type B } from "m"; export * from "m"
  const fromForm =
    /(?<![\w$.])(import|export)(\s+type)?\s+((?:[\w$]+\s*,\s*)?(?:\*\s*(?:as\s+[\w$]+)?|\{[^}]*\}|[\w$]+))\s*from\s*(["'])([^"'\n]+)\4/g;
  // Only `import type`/`export type` are erased: with verbatimModuleSyntax, `import { type A }`
  // still loads the module (as `import {} from`), so it counts as a runtime import.
  for (const m of text.matchAll(fromForm)) {
    found.push({ specifier: m[5] ?? "", typeOnly: Boolean(m[2]), dynamic: false, line: lineOf(m.index) });
  }
  // import "m" (side effects)
  for (const m of text.matchAll(/(?<![\w$.])import\s*(["'])([^"'\n]+)\1/g)) {
    found.push({ specifier: m[2] ?? "", typeOnly: false, dynamic: false, line: lineOf(m.index) });
  }
  // import("m") — in a type position (`typeof import("m")`, `import("m").T`) it is type-only
  for (const m of text.matchAll(/(?<![\w$.])import\s*\(\s*(["'])?([^"'\n)]*)\1?\s*\)/g)) {
    const specifier = m[1] ? (m[2] ?? "") : "";
    const prefix = text.slice(0, m.index).trimEnd();
    const typePosition = /(\btypeof|[:<|&]|\btype\s+[\w$]+\s*=)$/.test(prefix);
    found.push({ specifier, typeOnly: typePosition, dynamic: !typePosition, line: lineOf(m.index) });
  }
  return found;
}

/** What a specifier names: a src/ file (repository-relative) or a package. */
export function resolveSpecifier(root: string, fromFile: string, specifier: string): string {
  if (!specifier.startsWith(".")) {
    if (specifier.startsWith("node:")) return specifier;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
  }
  const target = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  const ts = target.replace(/\.js$/, ".ts");
  return existsSync(join(root, ts)) ? ts : target;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every src/**\/*.ts file and its imports. `root` is the repository. */
export function buildGraph(root: string, under = "src"): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const abs of tsFiles(join(root, under)).sort()) {
    const file = relative(root, abs).split("\\").join("/");
    const edges = scanImports(readFileSync(abs, "utf8")).map((s) => ({
      from: file,
      specifier: s.specifier,
      to: s.specifier === "" ? "" : resolveSpecifier(root, file, s.specifier),
      typeOnly: s.typeOnly,
      dynamic: s.dynamic,
      line: s.line,
    }));
    graph.set(file, edges);
  }
  return graph;
}

export const repoRoot = (): string => join(dirname(new URL(import.meta.url).pathname), "..", "..");
