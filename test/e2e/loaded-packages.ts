/**
 * Runs the built `bin/plsctl.js` in a child process and reports which bundled packages it loaded:
 * a module hook records every file the child imports, and the build's bundle-manifest.json (from
 * esbuild's metafile) says which packages each dist file holds. The child runs asynchronously, so
 * a sandbox in this process keeps serving it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runNode } from "./run-node.js";

export interface TracedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Files of the current build that were loaded, relative to its folder. */
  files: string[];
  /** The bundled packages in those files ("plsctl" for its own sources), sorted. */
  packages: string[];
  /** Node's own modules the child loaded (process.moduleLoadList), e.g. "internal/deps/undici/undici". */
  builtins: string[];
}

/** The folder of the build that dist/cli.js points at. */
export function currentBuild(root = process.cwd()): string {
  const stub = readFileSync(join(root, "dist", "cli.js"), "utf8");
  const id = stub.match(/from "\.\/(b-[0-9a-f]+)\/cli\.js"/)?.[1];
  if (!id) throw new Error(`dist/cli.js does not point at a build folder:\n${stub}`);
  return join(root, "dist", id);
}

export async function runTraced(
  args: string[],
  env: Record<string, string>,
  root = process.cwd(),
): Promise<TracedRun> {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-trace-"));
  const out = join(dir, "loaded.json");
  const hook = join(dir, "hook.mjs");
  writeFileSync(
    hook,
    `import { registerHooks } from "node:module";
import { writeFileSync } from "node:fs";
const seen = [];
registerHooks({ load(url, context, next) { if (url.startsWith("file:")) seen.push(url); return next(url, context); } });
process.on("exit", () => writeFileSync(${JSON.stringify(out)}, JSON.stringify({ seen, builtins: process.moduleLoadList })));
`,
  );
  try {
    const r = await runNode(["--import", hook, join(root, "bin", "plsctl.js"), ...args], { home: dir, env });
    const build = currentBuild(root);
    const manifest = JSON.parse(readFileSync(join(build, "bundle-manifest.json"), "utf8")) as Record<
      string,
      string[]
    >;
    const loaded = JSON.parse(readFileSync(out, "utf8")) as { seen: string[]; builtins: string[] };
    const builtins = loaded.builtins
      .filter((m) => m.startsWith("NativeModule "))
      .map((m) => m.slice("NativeModule ".length));
    const files = loaded.seen
      .map((url) => resolve(fileURLToPath(url)))
      .filter((path) => path.startsWith(`${build}/`))
      .map((path) => relative(build, path));
    const unknown = files.filter((f) => !manifest[f]);
    if (unknown.length > 0) throw new Error(`not in bundle-manifest.json: ${unknown.join(", ")}`);
    const packages = [...new Set(files.flatMap((f) => manifest[f] ?? []))].sort();
    return { ...r, files, packages, builtins };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
