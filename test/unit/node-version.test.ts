/** The Node.js version check of bin/plsctl.js: a pure compare, and the minimum package.json states. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIN_NODE, nodeVersionProblem } from "../../bin/check-node.js";

describe("nodeVersionProblem", () => {
  it.each([
    ["22.19.0", "22.19.0"],
    ["22.23.3", "22.19.0"],
    ["v22.19.1", "22.19.0"],
    ["23.0.0", "22.19.0"],
    ["24.1.0-nightly20250101", "22.19.0"],
  ])("accepts Node %s for minimum %s", (running, minimum) => {
    expect(nodeVersionProblem(running, minimum)).toBeUndefined();
  });

  it.each([
    ["20.20.2", "22.19.0"],
    ["22.18.9", "22.19.0"],
    ["v22.0.0", "22.19.0"],
    ["14.21.3", "22.19.0"],
    ["22.19.0-pre", "22.19.1"],
  ])("refuses Node %s for minimum %s, in one line naming both", (running, minimum) => {
    const problem = nodeVersionProblem(running, minimum, "/usr/bin/node");
    expect(problem).toContain(`Node.js ${minimum} or newer`);
    expect(problem).toContain(`this is Node.js ${running.replace(/^v/, "")} (/usr/bin/node)`);
    expect(problem?.split("\n")).toHaveLength(1);
  });

  it("is the minimum that package.json states in engines", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE}`);
  });

  it("is at least what every runtime dependency declares in its engines", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    // The runtime packages are bundled into dist/ (so they are devDependencies): those src imports.
    const sources = readdirSync("src", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join("src", f), "utf8"))
      .join("\n");
    const imported = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) =>
      new RegExp(`["']${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(/[^"']*)?["']`).test(sources),
    );
    expect(imported).toContain("@kubernetes/client-node");
    // Plus undici, which @kubernetes/client-node 2 brings in.
    for (const name of [...imported, "undici"]) {
      const dep = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as {
        engines?: { node?: string };
      };
      const floor = /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(dep.engines?.node?.trim() ?? "")?.[1];
      if (floor) expect(nodeVersionProblem(MIN_NODE, floor), `${name} needs ${floor}`).toBeUndefined();
    }
  });
});
