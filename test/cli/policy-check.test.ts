/** `plsctl policy check` and `policy schema` through the CLI in-process: the summary line, -o json, a bad file's exit 2, the schema always JSON. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp.js";

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

function policyFile(text: string): string {
  const file = join(tempDir("plsctl-policy-"), "partners.yaml");
  writeFileSync(file, text);
  return file;
}

describe("plsctl policy check", () => {
  const valid = () =>
    policyFile(`partners:
  - name: fabrikam
    subscriptions: [${SUB}]
    message: "^fabrikam "
    description: Fabrikam, contract 114
  - name: contoso
    subscriptions: [${SUB.toUpperCase()}]
    services: [default/web]
`);

  it("says a valid file is valid, with its partner entries", async () => {
    const file = valid();
    const r = await runCli(["policy", "check", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file} is valid: 2 partner entries (fabrikam, contoso).\n`);
  });

  it("-o json: the entries as read (subscriptions lower case, absent fields null)", async () => {
    const file = valid();
    const r = await runCli(["policy", "check", file, "-o", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file,
      valid: true,
      partners: [
        {
          name: "fabrikam",
          kind: "partner",
          factories: null,
          subscriptions: [SUB],
          message: "^fabrikam ",
          services: null,
          description: "Fabrikam, contract 114",
        },
        {
          name: "contoso",
          kind: "partner",
          factories: null,
          subscriptions: [SUB],
          message: null,
          services: ["default/web"],
          description: null,
        },
      ],
    });
  });

  it("a file with a problem: exit 2, the problem on stderr, nothing on stdout", async () => {
    const file = policyFile("partners:\n  - name: nobody\n");
    const r = await runCli(["policy", "check", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(file);
  });
});

describe("plsctl policy schema", () => {
  it("prints the schema as JSON whatever -o asks (it is a file for editors), exit 0", async () => {
    for (const output of ["table", "yaml", "json"]) {
      const r = await runCli(["policy", "schema", "-o", output]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ type: "object", required: ["partners"] });
    }
  });

  it("a file that does not exist: exit 3, nothing on stdout", async () => {
    const r = await runCli(["policy", "check", join(tempDir("plsctl-policy-"), "nope.yaml")]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/no such file/);
  });
});
