/**
 * `npm ci` from a clone runs the install scripts the Quick start depends on: `node`'s preinstall
 * (the Node 22 that runs plsctl under a system Node 20) and esbuild's postinstall (the build).
 * npm 11.16+ warns about install scripts not listed in package.json's `allowScripts`, and npm 12
 * skips them (docs.npmjs.com/cli/v12/commands/npm-install-scripts): every dependency with one is
 * listed, allowed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("install scripts", () => {
  it("every locked package with an install script is allowed in package.json's allowScripts", () => {
    const lock = json("package-lock.json") as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ""));
    expect(withScripts).toEqual(expect.arrayContaining(["node", "esbuild"]));
    const allowed = (json("package.json") as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    for (const name of withScripts) expect(allowed[name], name).toBe(true);
  });
});
