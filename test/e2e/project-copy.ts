/** A throwaway copy of the project (sources, scripts, package.json) for tests that build or pack it. */
import { cpSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROJECT_FILES = ["src", "bin", "examples", "scripts", "package.json", "tsconfig.json", "README.md"];

/** Copies the project's files into a new temp dir, with node_modules linked (not copied). */
export function copyProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const path of PROJECT_FILES) cpSync(path, join(dir, path), { recursive: true });
  symlinkSync(realpathSync("node_modules"), join(dir, "node_modules"));
  return dir;
}
