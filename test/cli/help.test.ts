/**
 * Every command of the program, found by walking it (so a new command is checked without editing
 * this file): a summary, an Examples section of 2-4 examples, and the global options in its help.
 */
import { describe, expect, it } from "vitest";
import { declaredProgram } from "../../src/cli.js";
import { runCli } from "../helpers/run-cli.js";

interface Node {
  name(): string;
  summary(): string;
  commands: readonly Node[];
}

function walk(command: Node, path: string[] = []): Array<{ path: string[]; command: Node }> {
  return command.commands.flatMap((c) => [
    { path: [...path, c.name()], command: c },
    ...walk(c, [...path, c.name()]),
  ]);
}

const program = declaredProgram() as unknown as Node;
const commands = walk(program);

/** The lines of the "Examples:" section: indented, up to the next blank line. */
function examples(help: string): string[] {
  const start = help.indexOf("\nExamples:\n");
  if (start < 0) return [];
  const lines = help.slice(start + "\nExamples:\n".length).split("\n");
  const end = lines.findIndex((l) => !l.startsWith("  "));
  return (end < 0 ? lines : lines.slice(0, end)).filter((l) => l.trim() !== "");
}

describe("help of every command", () => {
  it("finds the commands, sandbox's subcommands included", () => {
    const paths = commands.map((c) => c.path.join(" "));
    expect(paths).toEqual(
      expect.arrayContaining(["expose", "status", "sandbox", "sandbox up", "sandbox env"]),
    );
  });

  it.each(commands.map((c) => [c.path.join(" "), c] as const))(
    "plsctl %s",
    async (_name, { path, command }) => {
      expect(command.summary().length, "summary").toBeGreaterThan(10);
      const r = await runCli([...path, "--help"]);
      expect(r.code).toBe(0);
      const found = examples(r.stdout);
      expect(found.length, `examples in:\n${r.stdout}`).toBeGreaterThanOrEqual(2);
      expect(found.length, `examples in:\n${r.stdout}`).toBeLessThanOrEqual(4);
      for (const line of found) expect(line).toMatch(/plsctl /);
      expect(r.stdout).toContain("\nGlobal Options:\n");
      for (const flag of ["--kubeconfig", "--subscription", "--output", "--verbose"])
        expect(r.stdout).toContain(flag);
    },
  );
});
