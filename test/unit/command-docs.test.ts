/**
 * The command reference (docs/commands/) is generated from the declarations by `npm run docs`
 * (scripts/docs.ts): this fails when a committed page differs from what the generator writes now,
 * is missing, or documents no command. And the generator itself: what a page says, escaped.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { Argument, Option } from "@commander-js/extra-typings";
import { afterEach, describe, expect, it } from "vitest";
import { compareDocs, DRIFT_TEXT, writeDocs } from "../../scripts/docs/files.js";
import { programReference } from "../../scripts/docs/program.js";
import { commandReference, HEADER } from "../../scripts/docs/reference.js";
import main, { DOCS_DIR, type Log } from "../../scripts/docs.js";
import { defineCommand, defineGroup } from "../../src/commands/declare.js";
import { attach } from "../../src/commands/execute.js";
import { jsonShape, jsonSketch, literals, optional } from "../../src/commands/json-sketch.js";
import { collect } from "../../src/commands/options.js";
import { rootProgram } from "../../src/commands/program.js";
import { ExitCode } from "../../src/domain/errors.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("docs/commands/", () => {
  it("is what `npm run docs` writes from the declarations", () => {
    const { files } = programReference();
    const drifts = compareDocs(join(ROOT, DOCS_DIR), files).map(
      ({ file, drift }) => `${DOCS_DIR}/${file} ${DRIFT_TEXT[drift]}: run npm run docs`,
    );
    expect(drifts, "the command reference is out of date").toEqual([]);
  });

  it("has a page for every command: each is declared (none hand-wired)", () => {
    const { files, undeclared } = programReference();
    expect(undeclared).toEqual([]);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(["README.md", "status.md", "doctor.md", "sandbox-faults-add.md", "policy.md"]),
    );
    for (const [file, text] of files) expect(text.startsWith(`${HEADER}\n`), file).toBe(true);
  });
});

/** A small program declared the way src/commands/ does: one command, a group, one undeclared. */
function tinyProgram(): CommandUnknownOpts {
  const program = rootProgram();
  const run = async () => ({ ok: true });
  const get = defineCommand({
    name: "get",
    summary: "read a thing",
    description: "Read the thing named <name> | pipes and *stars* stay text.",
    declare: (c) =>
      c
        .argument("<name>", "the thing's name")
        .argument("[more...]", "other things")
        .option("--port <port>", "the port", "80")
        .addOption(new Option("--mode <mode>", "how").choices(["fast", "slow"]))
        .requiredOption("--rg <rg>", "the resource group")
        .option("--address <ip|name>", "where to go")
        .option("--tag <tag>", "a tag (repeatable)", collect, [] as string[]),
    input: ({ args }) => args,
    run,
    notes: "First line of prose\ncontinued.\n\n  --port   aligned\n  --mode   list",
    examples: ["plsctl get x --rg y", "plsctl get x --rg y -o json | jq .ok"],
    exitCodes: [
      [ExitCode.Ok, "found"],
      [ExitCode.NotFound, "no such thing"],
    ],
    json: "interface Get {\n  ok: boolean;\n}",
  });
  const leaf = defineCommand({
    name: "leaf",
    summary: "a leaf below the group",
    declare: (c) =>
      c.addArgument(new Argument("[shell]", "the shell").choices(["bash", "zsh"]).default("bash")),
    input: () => ({}),
    run,
    examples: ["plsctl box leaf", "plsctl box leaf -q"],
    exitCodes: [[ExitCode.Ok, "always"]],
  });
  const executor = async () => undefined;
  attach(program, get, executor);
  const box = attach(
    program,
    defineGroup({ name: "box", summary: "things in a box", examples: ["plsctl box leaf"], commands: [leaf] }),
    executor,
  );
  box.command("loose").summary("not declared yet");
  program.command("legacy").summary("hand-wired");
  return program as unknown as CommandUnknownOpts;
}

describe("the generator", () => {
  const { files, undeclared } = commandReference(tinyProgram());
  const get = files.get("get.md") ?? "";

  it("writes a page per declared command, group and subcommand, and lists the undeclared", () => {
    expect([...files.keys()]).toEqual(["README.md", "get.md", "box.md", "box-leaf.md"]);
    expect(undeclared).toEqual(["plsctl box loose", "plsctl legacy"]);
  });

  it("gives each page the header, title, summary as a sentence, and commander's usage line", () => {
    expect(get.split("\n\n").slice(0, 3)).toEqual([HEADER, "# plsctl get", "Read a thing."]);
    expect(get).toContain("## Usage\n\n```sh\nplsctl get [options] <name> [more...]\n```");
  });

  it("escapes prose: no HTML tag, no emphasis, no cell-ending pipe", () => {
    expect(get).toContain("Read the thing named &lt;name&gt; | pipes and \\*stars\\* stay text.");
    expect(get).toContain("| `--address <ip\\|name>` | where to go |");
  });

  it("lists arguments and the command's own flags with their default, required and choices", () => {
    expect(get).toContain(
      "| Argument | Description |\n| --- | --- |\n| `<name>` | the thing's name |\n| `[more...]` | other things |",
    );
    expect(files.get("box-leaf.md")).toContain("| `[shell]` | the shell | `bash` | `bash`, `zsh` |");
    expect(get).toContain("| Flag | Description | Default | Choices |");
    expect(get).toContain("| `--port <port>` | the port | `80` |  |");
    expect(get).toContain("| `--mode <mode>` | how |  | `fast`, `slow` |");
    expect(get).toContain("| `--rg <rg>` | the resource group | required |  |");
    expect(get).toContain("| `--tag <tag>` | a tag (repeatable) |  |  |");
    expect(get).not.toContain("`--subscription <id>` |");
    expect(get).toContain("[global flags](README.md#global-flags): `--kubeconfig`");
  });

  it("keeps aligned notes as they are and joins prose", () => {
    expect(get).toContain(
      "## Notes\n\nFirst line of prose continued.\n\n```text\n--port   aligned\n--mode   list\n```",
    );
  });

  it("writes examples, exit codes and the JSON sketch", () => {
    expect(get).toContain(
      "## Examples\n\n```sh\nplsctl get x --rg y\nplsctl get x --rg y -o json | jq .ok\n```",
    );
    expect(get).toContain("| `0` | found |\n| `3` | no such thing |");
    expect(get).toContain("```ts\ninterface Get {\n  ok: boolean;\n}\n```\n");
    expect(files.get("box-leaf.md")).not.toContain("## JSON output");
  });

  it("gives a group a page of its commands, linking the declared ones", () => {
    const box = files.get("box.md") ?? "";
    expect(box).toContain("| [`plsctl box leaf`](box-leaf.md) | a leaf below the group |");
    expect(box).toContain("| `plsctl box loose` | not declared yet |");
  });

  it("indexes the pages and lists the global flags, exit codes and environment variables once", () => {
    const index = files.get("README.md") ?? "";
    expect(index).toContain("| [`plsctl get`](get.md) | read a thing |");
    expect(index).toContain("| [`plsctl box leaf`](box-leaf.md) | a leaf below the group |");
    expect(index).not.toContain("legacy");
    expect(index).toContain(
      "| `-o, --output <format>` | output format | `table` | `table`, `json`, `yaml` |",
    );
    expect(index).toContain("## Exit codes\n\n| Code | Meaning |\n| --- | --- |\n| `0` | ok |");
    expect(index).toContain("| `PLSCTL_SANDBOX_DIR` |");
  });

  it("writes the same bytes every time", () => {
    expect(commandReference(tinyProgram()).files).toEqual(files);
  });
});

describe("comparing and writing docs/commands/", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempRoot = () => {
    const d = mkdtempSync(join(tmpdir(), "plsctl-docs-"));
    dirs.push(d);
    return d;
  };
  const expected = new Map([
    ["README.md", `${HEADER}\nindex\n`],
    ["a.md", `${HEADER}\na\n`],
  ]);

  it("names the stale, missing and extra files, and writing fixes them but a hand-written one", () => {
    const dir = tempRoot();
    writeFileSync(join(dir, "README.md"), `${HEADER}\nold\n`);
    writeFileSync(join(dir, "gone.md"), `${HEADER}\ngone\n`);
    writeFileSync(join(dir, "notes.md"), "by hand\n");
    expect(compareDocs(dir, expected)).toEqual([
      { file: "README.md", drift: "stale" },
      { file: "a.md", drift: "missing" },
      { file: "gone.md", drift: "extra" },
      { file: "notes.md", drift: "extra" },
    ]);
    expect(writeDocs(dir, expected)).toEqual({
      written: ["README.md", "a.md"],
      removed: ["gone.md"],
      foreign: ["notes.md"],
    });
    expect(readFileSync(join(dir, "a.md"), "utf8")).toBe(`${HEADER}\na\n`);
    expect(compareDocs(dir, expected)).toEqual([{ file: "notes.md", drift: "extra" }]);
  });

  it("`npm run docs -- --check` exits 1 naming what is stale until `npm run docs` wrote it", async () => {
    const root = tempRoot();
    const lines: string[] = [];
    const log: Log = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    expect(await main(["--check"], root, log)).toBe(1);
    expect(lines).toContain(`${join(DOCS_DIR, "status.md")} is missing.`);
    expect(lines).toContain("Run `npm run docs` and commit docs/commands/.");
    expect(await main([], root, log)).toBe(0);
    expect(await main(["--check"], root, log)).toBe(0);
    mkdirSync(join(root, DOCS_DIR), { recursive: true });
    writeFileSync(join(root, DOCS_DIR, "status.md"), `${HEADER}\nedited by hand\n`);
    lines.length = 0;
    expect(await main(["--check"], root, log)).toBe(1);
    expect(lines).toContain(`${join(DOCS_DIR, "status.md")} differs from what the declarations say.`);
    expect(await main(["--chek"], root, log)).toBe(2);
  });
});

describe("a JSON sketch", () => {
  interface Doc {
    name: string | null;
    kind: "a" | "b";
    extra?: number;
  }

  it("is written field by field against the result type", () => {
    const shape = jsonShape<Doc>("Doc", {
      name: ["string | null", "what it is called"],
      kind: literals<Doc["kind"]>({ a: true, b: true }),
      extra: optional("number", "only sometimes"),
    });
    expect(jsonSketch(shape, "type X = 1;")).toBe(
      'interface Doc {\n  name: string | null; // what it is called\n  kind: "a" | "b";\n  extra?: number; // only sometimes\n}\n\ntype X = 1;',
    );
  });

  it("does not compile when the result type has a field more or fewer (checked by tsc)", () => {
    // @ts-expect-error `kind` and `extra` are missing
    expect(jsonShape<Doc>("Doc", { name: "string" })).toContain("name");
    expect(
      jsonShape<Doc>("Doc", {
        name: "string",
        kind: "string",
        extra: "number",
        // @ts-expect-error Doc has no field `renamed`
        renamed: "string",
      }),
    ).toContain("renamed");
    // @ts-expect-error "c" is not a member of Doc["kind"]
    expect(literals<Doc["kind"]>({ a: true, b: true, c: true })).toBe('"a" | "b" | "c"');
  });
});
