/**
 * The repository stands alone: no code, test, script, workflow or document (README.md, docs/) in it reads or points at
 * a folder beside the clone (a "shared" sibling with fixtures or reference notes). Everything the
 * tests need lives under test/fixtures; comments cite public sources (GitHub files and functions,
 * learn.microsoft.com pages).
 *
 * The forbidden strings are assembled at run time, so this file does not contain them and is
 * scanned like every other file.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FOLDERS = ["src", "test", "scripts", "bin", ".github", ".ci", "examples", "docs"];
const SHARED = ["sha", "red"].join("");
const FORBIDDEN: readonly RegExp[] = [
  new RegExp(`\\.\\./${SHARED}\\b`),
  new RegExp(`\\b${SHARED}/(fixtures|reference)\\b`),
  // The private notes these came from: a note's name, or line citations like "[PLS]" + " 298-299".
  new RegExp(`aks-pls-${"controller"}\\.md`),
  new RegExp(`\\[(PLS|LB|SVC|CONST|UTIL)${"\\]"} ?\\d`),
];

/** Problems in one file's text: `path:line: text` for each forbidden mention. */
function outsideMentions(path: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (FORBIDDEN.some((re) => re.test(line))) found.push(`${path}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
    return e.isFile() ? [relative(ROOT, p)] : [];
  });
}

/** Tracked files (git), or every file when this is not a git checkout (a tarball). */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
    return out.split("\0").filter((f) => f !== "");
  } catch {
    return [
      ...FOLDERS.flatMap((f) => walk(join(ROOT, f))),
      ...readdirSync(ROOT).filter((f) => !f.includes("/")),
    ];
  }
}

const inScope = (f: string) => FOLDERS.some((d) => f.startsWith(`${d}/`)) || !f.includes("/");

describe("the repository stands alone", () => {
  const files = repositoryFiles().filter(inScope);

  it("scans every source, test, script, CI and top-level file (this one included)", () => {
    expect(files).toContain("test/unit/self-contained.test.ts");
    expect(files).toContain("test/conformance/arm-examples.test.ts");
    expect(files).toContain("README.md");
    expect(files).toContain("docs/README.md");
    expect(files.filter((f) => f.startsWith("src/")).length).toBeGreaterThan(20);
  });

  it("finds a mention of the sibling folder when there is one", () => {
    const dotdot = `../${SHARED}`;
    expect(outsideMentions("x.ts", `const a = 1;\nconst DIR = "../${dotdot}/fixtures/";`)).toEqual([
      `x.ts:2: const DIR = "../${dotdot}/fixtures/";`,
    ]);
    expect(outsideMentions("y.md", `see ${SHARED}/reference/notes`)).toHaveLength(1);
    expect(outsideMentions("z.ts", `// name rule ([${"PLS"}] 298-299)`)).toHaveLength(1);
    expect(outsideMentions("ok.ts", "// cloud-provider-azure azure_privatelinkservice.go, func X")).toEqual(
      [],
    );
  });

  it("no file mentions a path outside the repository", () => {
    const problems = files.flatMap((f) => {
      const path = join(ROOT, f);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return [];
      const text = readFileSync(path, "utf8");
      return text.includes("\0") ? [] : outsideMentions(f, text);
    });
    expect(problems).toEqual([]);
  });
});
