/**
 * The package as a user gets it: `npm pack` (which builds through `prepare`) from a copy of the
 * project, `npm install -g` of the tarball into a temporary prefix, offline, and the installed
 * plsctl running `--version` and `demo` with nothing else installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";
import { copyProject } from "./project-copy.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };

/** Bytes under a folder (files only). */
function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

function filesUnder(path: string, prefix = ""): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(path, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe("npm pack, then npm install -g of the tarball", () => {
  const project = copyProject("plsctl-pack-");
  const work = join(project, ".work");
  const prefix = join(work, "prefix");
  const installed = join(prefix, "lib", "node_modules", pkg.name);
  let tarball = "";

  // npm with nothing from the calling npm (npm test) or the user's config: its own cache and home.
  const npm = (args: string[], cwd: string) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const r = spawnSync("npm", [...args, "--cache", join(work, "cache"), "--no-audit", "--no-fund"], {
      cwd,
      encoding: "utf8",
      env: { ...env, HOME: work, NO_COLOR: "1" },
    });
    if (r.status !== 0) throw new Error(`npm ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
    return r;
  };
  const plsctl = (args: string[]) =>
    spawnSync(process.execPath, [join(prefix, "bin", "plsctl"), ...args], {
      encoding: "utf8",
      env: guarded({ PATH: process.env.PATH ?? "", HOME: work, NO_COLOR: "1" }),
    });

  beforeAll(() => {
    npm(["pack", "--pack-destination", work], project);
    const name = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!name) throw new Error(`npm pack left no tarball in ${work}`);
    tarball = join(work, name);
    npm(["install", "--global", "--prefix", prefix, "--offline", tarball], work);
  }, 300_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("installs one build, no dependencies, no source maps", () => {
    const dist = readdirSync(join(installed, "dist"));
    expect(dist.filter((n) => n.startsWith("b-"))).toHaveLength(1);
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
    const files = filesUnder(installed);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.some((f) => f.endsWith("/THIRD_PARTY_NOTICES.txt"))).toBe(true);
    // biome-ignore lint/suspicious/noConsole: the package's size is a figure the README reports
    console.log(
      `plsctl ${pkg.version}: tarball ${mb(statSync(tarball).size)}, installed ${mb(sizeOf(installed))}`,
    );
  });

  it("runs --version", () => {
    const r = plsctl(["--version"]);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("runs the demo: a sandbox in process, the sample app, expose", () => {
    const r = plsctl(["demo", "-o", "json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { expose: { alias: string; provisioningState: string } };
    expect(out.expose.provisioningState).toBe("Succeeded");
    expect(out.expose.alias).toMatch(/^pls-app\..+\.westeurope\.azure\.privatelinkservice$/);
  }, 120_000);
});
