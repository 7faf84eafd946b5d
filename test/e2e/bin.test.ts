/** Spawns the real shim: packaging, the bundle, and the cold path that must not load SDKs. */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";
import { tempDir } from "../helpers/temp.js";
import { runTraced } from "./loaded-packages.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

function plsctl(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["bin/plsctl.js", ...args], {
    encoding: "utf8",
    env: guarded({ PATH: process.env.PATH ?? "", HOME: "/nonexistent", ...env }),
  });
}

describe("bin/plsctl.js", () => {
  it("prints the version", () => {
    const r = plsctl(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("does not load the Azure or Kubernetes SDKs for --help", async () => {
    // The SDKs are bundled: look at which dist chunks --help imports and what each one holds.
    const r = await runTraced(["--help"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: plsctl");
    expect(r.packages).toContain("commander"); // the trace sees the bundle's files
    expect(
      r.packages.filter((p) => !["plsctl", "commander", "@commander-js/extra-typings", "chalk"].includes(p)),
    ).toEqual([]);
  });

  it("prints its commands as npx plsctl when npm exec / npx runs it (the environment npm gives the bin)", () => {
    const dir = tempDir("plsctl-bin-npx-");
    // What npm 7+ sets for a bin run by `npx plsctl` / `npm exec plsctl` (npm_command=exec).
    const npm = {
      npm_command: "exec",
      npm_lifecycle_event: "npx",
      npm_execpath: "/usr/lib/node_modules/npm/bin/npm-cli.js",
    };
    const viaNpx = plsctl(["sandbox", "status", "--state-dir", dir], npm);
    expect(viaNpx.status).toBe(0);
    expect(viaNpx.stdout).toContain(`start it with: npx plsctl sandbox up --state-dir ${dir}`);
    // An npm script (npm run) is not npx: its PATH has plsctl, the user's shell may not; plain plsctl.
    const viaScript = plsctl(["sandbox", "status", "--state-dir", dir], {
      ...npm,
      npm_command: "run-script",
      npm_lifecycle_event: "demo",
    });
    expect(viaScript.stdout).toContain(`start it with: plsctl sandbox up --state-dir ${dir}`);
  });

  it("exits 2 on an unknown flag, with one line and no stack", () => {
    const r = plsctl(["--nope"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("prints -o yaml from the bundle (yaml is a CommonJS package inside a lazily loaded chunk)", () => {
    const r = plsctl(["sandbox", "status", "--state-dir", tempDir("plsctl-yaml-"), "-o", "yaml"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^running: false\nstateDir: /);
  });

  it("ends quietly when its reader goes away (plsctl … | head -1): no EPIPE crash", async () => {
    const child = spawn(process.execPath, ["bin/plsctl.js", "policy", "schema"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: guarded({ PATH: process.env.PATH ?? "", HOME: "/nonexistent" }),
    });
    child.stdout.destroy(); // the reader is gone before plsctl writes a byte
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
