/** `plsctl policy check` through the CLI in-process: the summary line, -o json, a bad file's exit 2. */
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
