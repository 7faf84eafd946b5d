/**
 * The walkthrough — the README's "Quick start", the sandbox guide's "Try it by hand on the sandbox"
 * and the rest of that guide, the rebuild walkthrough — runs from a clone, where `plsctl` is not on
 * the PATH: every command line in its code blocks that runs plsctl says `npx plsctl` — also the
 * demo's printed lines (`$ …`), which under npx read the same way.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The command lines of a section's code blocks: shell lines, and `$ …` lines in shown output. */
function commandLines(text: string): string[] {
  const blocks = [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
  return blocks.flatMap(([, lang, body]) =>
    (body ?? "")
      .split("\n")
      .map((l) => l.trim())
      .flatMap((l) => (lang === "sh" || lang === "bash" ? [l] : l.startsWith("$ ") ? [l.slice(2)] : []))
      .map((l) => l.replace(/\s+#.*$/, ""))
      .filter((l) => /\bplsctl\b/.test(l)),
  );
}

const README = "README.md";
const SANDBOX_GUIDE = "docs/guides/sandbox.md";
const REBUILD_GUIDE = "docs/guides/rebuild-and-migrate.md";

describe("walkthrough lines run as printed from a clone", () => {
  it.each([
    [README, "Quick start", 4],
    [SANDBOX_GUIDE, "Try it by hand on the sandbox", 4],
    [SANDBOX_GUIDE, "Worlds", 2],
    [SANDBOX_GUIDE, "Testing your pipeline against faults", 4],
    [REBUILD_GUIDE, "After a rebuild", 4],
    [REBUILD_GUIDE, "Moving to another cluster (blue/green): `plsctl migrate`", 4],
  ])("%s, %s: every plsctl is npx plsctl", (file, heading, atLeast) => {
    const lines = commandLines(section(readFileSync(file, "utf8"), heading));
    expect(lines.length).toBeGreaterThanOrEqual(atLeast);
    for (const line of lines) {
      const runs = line.match(/(?<![\w/.-])plsctl(?![\w.-])/g) ?? [];
      const viaNpx = line.match(/\bnpx plsctl(?![\w.-])/g) ?? [];
      expect(viaNpx.length, line).toBe(runs.length);
    }
  });
});

describe("walkthrough: shell lines run as printed", () => {
  it("no sh line of the sandbox guide names the state directory by a placeholder (D/…): sandbox env exports PLSCTL_SANDBOX_DIR", () => {
    const sh = [...readFileSync(SANDBOX_GUIDE, "utf8").matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap(([, body]) => (body ?? "").split("\n"))
      .filter((l) => /(?<![\w$/.-])D\//.test(l));
    expect(sh).toEqual([]);
  });
});
