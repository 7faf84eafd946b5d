/**
 * The package as a user gets it: `npm pack` (which builds through `prepare`) from a copy of the
 * project, `npm install -g` of the tarball into a temporary prefix, offline, and the installed
 * plsctl running `--version` and `demo` with nothing else installed. And the container image as
 * far as it can be checked without a registry or a Docker engine: the Dockerfile's base images
 * pinned by digest, its non-root user and plsctl entrypoint, and the tarball unpacked as its
 * build stage does it running with nothing beside it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";
import { tempDir } from "../helpers/temp.js";
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

/** The Dockerfile's stages: each FROM with the comment lines just above it, and its instructions. */
function dockerStages(text: string) {
  const stages: Array<{ from: string; comment: string; lines: string[] }> = [];
  let comment: string[] = [];
  // Continuation lines joined: one instruction per entry.
  for (const line of text.replace(/\\\n/g, " ").split("\n")) {
    if (line.startsWith("#")) comment.push(line);
    else if (/^FROM /i.test(line)) {
      stages.push({ from: line, comment: comment.join("\n"), lines: [] });
      comment = [];
    } else {
      if (line.trim() !== "") stages.at(-1)?.lines.push(line);
      if (line.trim() === "") comment = [];
    }
  }
  return stages;
}

describe("the container image (Dockerfile)", () => {
  const text = readFileSync("Dockerfile", "utf8");
  const stages = dockerStages(text);
  const runtime = stages.at(-1);
  const instruction = (name: string) =>
    runtime?.lines
      .filter((l) => l.toUpperCase().startsWith(`${name} `))
      .map((l) => l.slice(name.length + 1)) ?? [];

  it("pins every base image by the digest of an official Node 22 image, and says where it came from", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      const image = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(s.from)?.[1] ?? "";
      expect(image, s.from).toMatch(
        /^(node:22[\w.-]*|gcr\.io\/distroless\/nodejs22-debian12(:[\w.-]+)?)@sha256:[0-9a-f]{64}$/,
      );
      // Each FROM's comment names the image's source.
      expect(s.comment, s.from).toMatch(
        /https:\/\/(hub\.docker\.com\/_\/node|github\.com\/GoogleContainerTools\/distroless)/,
      );
    }
    expect(text).toMatch(/docker buildx imagetools inspect/);
  });

  it("runs as a non-root user, plsctl as the entrypoint, nothing run in the final stage (no shell needed)", () => {
    const users = instruction("USER");
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const [entrypoint] = instruction("ENTRYPOINT");
    const argv = JSON.parse(entrypoint ?? "null") as string[];
    expect(argv[0]).toBe("/nodejs/bin/node");
    const { bin } = JSON.parse(readFileSync("package.json", "utf8")) as { bin: { plsctl: string } };
    const [copy] = instruction("COPY");
    const [, from, to] = /^--from=build (\S+) (\S+)$/.exec(copy ?? "") ?? [];
    expect(argv[1]).toBe(`${to}/${bin.plsctl}`);
    expect(instruction("RUN")).toEqual([]);
    // The build stage packs with npm and unpacks where the COPY takes it from.
    const build = stages[0]?.lines.join("\n") ?? "";
    expect(build).toMatch(/npm pack --pack-destination \/out/);
    expect(build).toMatch(/tar -xzf \/out\/plsctl-\*\.tgz -C \/out/);
    expect(from).toBe("/out/package");
    expect(readFileSync(".dockerignore", "utf8").split("\n")).toEqual(
      expect.arrayContaining(["node_modules", "dist", ".git"]),
    );
  });
});

describe("the packed tarball, unpacked as the image's build stage does", () => {
  const project = copyProject("plsctl-image-");
  // Outside the project copy, so that no node_modules up the tree could stand in for a dependency.
  const out = tempDir("plsctl-unpacked-");

  beforeAll(() => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const pack = spawnSync("npm", ["pack", "--pack-destination", out, "--cache", join(out, ".cache")], {
      cwd: project,
      encoding: "utf8",
      env: { ...env, HOME: out, NO_COLOR: "1" },
    });
    if (pack.status !== 0) throw new Error(`npm pack exited ${pack.status}:\n${pack.stderr}`);
    const tgz = readdirSync(out).find((f) => f.endsWith(".tgz")) ?? "";
    const tar = spawnSync("tar", ["-xzf", join(out, tgz), "-C", out], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`tar exited ${tar.status}:\n${tar.stderr}`);
  }, 300_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("runs plsctl --version with nothing beside it: no node_modules, no dependencies", () => {
    const pkgDir = join(out, "package");
    expect(existsSync(join(pkgDir, "node_modules"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
    // From another directory, as the image runs it: no node_modules up the tree either.
    const r = spawnSync(process.execPath, [join(pkgDir, "bin", "plsctl.js"), "--version"], {
      cwd: "/",
      encoding: "utf8",
      env: guarded({ PATH: "", HOME: "/nonexistent", NO_COLOR: "1", NODE_PATH: "" }),
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
