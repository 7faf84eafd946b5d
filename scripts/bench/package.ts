/**
 * What installing plsctl costs: `npm pack` of a copy of the project (its `prepare` builds it), then
 * `npm install -g` of the tarball into a temporary prefix, offline. Reports the tarball's size, the
 * installed size and how many packages the install brought along.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-pack-"));
  try {
    const project = join(dir, "project");
    for (const path of ["src", "bin", "examples", "scripts", "package.json", "tsconfig.json", "README.md"])
      cpSync(path, join(project, path), { recursive: true });
    symlinkSync(realpathSync("node_modules"), join(project, "node_modules"));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const npm = (args: string[], cwd: string) => {
      const r = spawnSync("npm", [...args, "--cache", join(dir, "cache"), "--no-audit", "--no-fund"], {
        cwd,
        encoding: "utf8",
        env: { ...env, HOME: dir },
      });
      if (r.status !== 0) throw new Error(`npm ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    };
    npm(["pack", "--pack-destination", dir], project);
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error("npm pack left no tarball");
    const prefix = join(dir, "prefix");
    npm(["install", "--global", "--prefix", prefix, "--offline", join(dir, tgz)], dir);
    const installed = join(prefix, "lib", "node_modules", "plsctl");
    const deps = existsSync(join(installed, "node_modules"))
      ? readdirSync(join(installed, "node_modules")).length
      : 0;
    console.log("\nThe package (npm pack, npm install -g of the tarball)");
    console.log(
      `  tarball ${mb(statSync(join(dir, tgz)).size)}, installed ${mb(sizeOf(installed))}, ${deps} dependencies`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
