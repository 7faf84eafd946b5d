/**
 * bin/plsctl.js under a Node older than plsctl needs: one line naming both versions, exit 1 —
 * not "Cannot read properties of undefined (reading 'bind')" from deep inside a dependency.
 * Runs with the machine's system Node (the project's npx puts Node 22 first on PATH).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIN_NODE, nodeVersionProblem } from "../../bin/check-node.js";

function nodeVersion(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return spawnSync(path, ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^v/, "") || undefined;
}

const systemNode = "/usr/bin/node";
const version = nodeVersion(systemNode);
const old = version !== undefined && nodeVersionProblem(version, MIN_NODE) !== undefined;

describe("bin/plsctl.js on an old Node", () => {
  // Skipped (with this reason) on machines whose system Node is missing or new enough.
  it.skipIf(!old)(`refuses Node ${version ?? "(none at /usr/bin/node)"} in one line, exit 1`, () => {
    const r = spawnSync(systemNode, ["bin/plsctl.js", "status", "web"], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent-plsctl-test-home" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`needs Node.js ${MIN_NODE} or newer`);
    expect(r.stderr).toContain(`this is Node.js ${version}`);
    expect(r.stderr).not.toMatch(/bind|Unexpected error|bug in plsctl/);
  });
});
