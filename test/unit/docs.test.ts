/**
 * The documentation a user can hold: a README of at most 300 lines that points into docs/, and
 * docs/ whose links all lead somewhere. What the README used to carry is checked where it lives now:
 * the exit-code dictionary (docs/reliability.md), the environment variables (docs/cli.md), the
 * troubleshooting table (docs/troubleshooting.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { pageName } from "../../scripts/docs/reference.js";
import { declaredProgram } from "../../src/cli.js";
import { isGroup } from "../../src/commands/declare.js";
import { specOf } from "../../src/commands/execute.js";
import { EXIT_CODE_HELP } from "../../src/domain/errors.js";
import { ENV_VARS } from "../../src/env.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The command reference, docs/commands/<command path joined by '-'>.md, generated from the command
 * declarations by `npm run docs` (test/unit/command-docs.test.ts keeps it current and complete):
 * every command's page must be linked from a guide, and every link into docs/commands/ must resolve.
 */
function declaredCommandPages(): string[] {
  const program = declaredProgram() as unknown as CommandUnknownOpts;
  const pages: string[] = [];
  const walk = (c: CommandUnknownOpts, path: string[]) => {
    for (const sub of c.commands) {
      const here = [...path, sub.name()];
      const spec = specOf(sub);
      if (spec && !isGroup(spec)) pages.push(pageName(here).replace(/\.md$/, ""));
      walk(sub, here);
    }
  };
  walk(program, []);
  return pages;
}
const COMMAND_PAGES = declaredCommandPages();
const COMMANDS_DIR = "docs/commands";

/** README.md and every Markdown file under docs/ (the generated command pages excepted). */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return p === COMMANDS_DIR ? [] : walk(p);
      return e.name.endsWith(".md") ? [p] : [];
    });
  return ["README.md", ...walk("docs")];
}

const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** The text outside fenced code blocks and inline code, where links and headings are. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file's headings make, with GitHub's -1, -2 … for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading ?? "");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets of a file: [text](target), images included; web and mail links left out. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map(([, target]) => target ?? "")
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** What is wrong with one link of `from`: null when it resolves (file, and heading if named). */
function brokenLink(from: string, target: string): string | null {
  const [pathPart = "", anchor] = target.split("#", 2);
  const path =
    pathPart === "" ? from : normalize(join(dirname(from), decodeURIComponent(pathPart))).replace(/\/$/, "");
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return `${from}: ${target} does not exist`;
  if (anchor === undefined || anchor === "") return null;
  if (statSync(abs).isDirectory() || !path.endsWith(".md"))
    return `${from}: ${target}: anchor on a non-Markdown file`;
  return anchors(read(path)).has(anchor) ? null : `${from}: ${target}: no heading makes #${anchor}`;
}

/** The lines of a section `## heading` of a Markdown file, up to the next heading of its level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe("the README is short and points into docs/", () => {
  it("README.md has at most 300 lines", () => {
    expect(read("README.md").split("\n").length).toBeLessThanOrEqual(300);
  });

  it("links to each user's guide, the troubleshooting and reliability pages", () => {
    const links = relativeLinks(read("README.md"));
    for (const page of [
      "docs/guides/operator.md",
      "docs/guides/ci.md",
      "docs/guides/partner.md",
      "docs/guides/sandbox.md",
      "docs/troubleshooting.md",
      "docs/reliability.md",
      "docs/README.md",
    ])
      expect(
        links.some((l) => l.split("#")[0] === page),
        page,
      ).toBe(true);
  });
});

describe("every relative link in README.md and docs/ resolves", () => {
  const files = markdownFiles();

  it("scans the README, the index and the guides", () => {
    expect(files).toEqual(expect.arrayContaining(["README.md", "docs/README.md", "docs/guides/operator.md"]));
  });

  it.each(files)("%s", (file) => {
    const links = relativeLinks(read(file));
    expect(links.map((l) => brokenLink(file, l)).filter((p) => p !== null)).toEqual([]);
  });

  it("finds a broken link, a missing heading and a missing command page", () => {
    expect(brokenLink("docs/README.md", "guides/nosuch.md")).toMatch(/does not exist/);
    expect(brokenLink("docs/README.md", "guides/operator.md#nosuch")).toMatch(/no heading/);
    expect(brokenLink("docs/README.md", "guides/operator.md")).toBeNull();
    expect(brokenLink("docs/README.md", "commands/exposee.md")).toMatch(/does not exist/);
    expect(relativeLinks("[a](x.md) `[b](y.md)` [c](https://e.x/) [d](#h)\n```\n[e](z.md)\n```\n")).toEqual([
      "x.md",
      "#h",
    ]);
    expect(slug("Fleets: `--all --subscriptions`")).toBe("fleets---all---subscriptions");
    expect([...anchors("# A\n## A\n```sh\n# not a heading\n```\n")]).toEqual(["a", "a-1"]);
  });

  it("every command has a reference page linked from the guides", () => {
    const linked = new Set(
      files.flatMap((f) =>
        relativeLinks(read(f)).map((l) =>
          relative(COMMANDS_DIR, normalize(join(dirname(f), l.split("#")[0] ?? ""))).replace(/\.md$/, ""),
        ),
      ),
    );
    expect(COMMAND_PAGES.length).toBeGreaterThan(20);
    expect(COMMAND_PAGES.filter((c) => !linked.has(c))).toEqual([]);
  });
});

describe("what the README used to list is documented where it lives now", () => {
  it("docs/reliability.md lists every exit code of the dictionary with its meaning", () => {
    const table = section(read("docs/reliability.md"), "Exit codes");
    for (const [code, text] of EXIT_CODE_HELP) {
      const row = table.split("\n").find((l) => l.startsWith(`| ${code} |`));
      expect(row, `exit code ${code}`).toBeDefined();
      expect(row, `exit code ${code}`).toContain(text.split(/[;(]/)[0]?.trim());
    }
  });

  it("docs/cli.md lists every environment variable plsctl reads", () => {
    const table = section(read("docs/cli.md"), "Environment variables");
    expect(ENV_VARS.map(([name]) => name).filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it("docs/troubleshooting.md: one row per situation, each with what plsctl says and the fix", () => {
    const text = read("docs/troubleshooting.md");
    const rows = text.split("\n").filter((l) => l.startsWith("| ") && !/^\| (situation|---) /.test(l));
    expect(rows.length).toBeGreaterThan(60);
    const cells = rows.map((r) => r.slice(2, -2).split(/ (?<!\\)\| /));
    expect(cells.filter((c) => c.length !== 3 || c.some((x) => x.trim() === ""))).toEqual([]);
    const situations = cells.map((c) => c[0]);
    expect(situations.filter((s, i) => situations.indexOf(s) !== i)).toEqual([]);
    for (const group of ["Cluster operator", "Provider CI", "Partner", "Sandbox and demo"])
      expect(
        section(text, group)
          .split("\n")
          .filter((l) => l.startsWith("| ")).length,
        group,
      ).toBeGreaterThan(4);
  });
});
