/** Spawns the real shim: packaging, the bundle, and the cold path that must not load SDKs. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

function plsctl(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["bin/plsctl.js", ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", ...env },
  });
}

describe("bin/plsctl.js", () => {
  it("prints the version", () => {
    const r = plsctl(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("does not load the Azure or Kubernetes SDKs for --help", () => {
    const r = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const {registerHooks}=await import('node:module');const seen=[];registerHooks({resolve(s,c,n){const r=n(s,c);seen.push(r.url);return r;}});
         const {main}=await import('./dist/cli.js');
         await main(['--help'],{stdout:{write(){}},stderr:{write(){}},env:{}});
         console.log(JSON.stringify(seen.filter(u=>/@azure|@kubernetes/.test(u))));`,
      ],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "" }, input: "" },
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });

  it("exits 2 on an unknown flag, with one line and no stack", () => {
    const r = plsctl(["--nope"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
