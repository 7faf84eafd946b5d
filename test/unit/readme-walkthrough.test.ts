/**
 * The README's walkthrough ("Quick start", "Try it by hand on the sandbox") runs from a clone, where
 * `plsctl` is not on the PATH: every command line in its code blocks that runs plsctl says
 * `npx plsctl` — also the demo's printed lines (`$ …`), which under npx read the same way.
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
      .flatMap((l) => (lang === "sh" ? [l] : l.startsWith("$ ") ? [l.slice(2)] : []))
      .map((l) => l.replace(/\s+#.*$/, ""))
      .filter((l) => /\bplsctl\b/.test(l)),
  );
}

describe("README walkthrough lines run as printed from a clone", () => {
  const readme = readFileSync("README.md", "utf8");
  it.each(["Quick start", "Try it by hand on the sandbox"])("%s: every plsctl is npx plsctl", (heading) => {
    const lines = commandLines(section(readme, heading));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const runs = line.match(/(?<![\w/.-])plsctl(?![\w.-])/g) ?? [];
      const viaNpx = line.match(/\bnpx plsctl(?![\w.-])/g) ?? [];
      expect(viaNpx.length, line).toBe(runs.length);
    }
  });
});

describe("README walkthrough: shell lines run as printed", () => {
  const readme = readFileSync("README.md", "utf8");
  it("no sh line names the state directory by a placeholder (D/…): sandbox env exports PLSCTL_SANDBOX_DIR", () => {
    const sh = [...section(readme, "Try it by hand on the sandbox").matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap(([, body]) => (body ?? "").split("\n"))
      .filter((l) => /(?<![\w$/.-])D\//.test(l));
    expect(sh).toEqual([]);
  });
});
