/**
 * docs/commands/ against what the generator would write: which files are stale, missing, or there
 * for no command — and writing them. Only files that carry the generated header are ever removed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HEADER } from "./reference.js";

export type Drift = "stale" | "missing" | "extra";

export interface FileDrift {
  file: string;
  drift: Drift;
}

const present = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** Every difference between `dir` and `expected`, by file name. */
export function compareDocs(dir: string, expected: ReadonlyMap<string, string>): FileDrift[] {
  const found = present(dir);
  const drifts: FileDrift[] = [];
  for (const file of [...expected.keys()].sort()) {
    if (!found.includes(file)) drifts.push({ file, drift: "missing" });
    else if (readFileSync(join(dir, file), "utf8") !== expected.get(file))
      drifts.push({ file, drift: "stale" });
  }
  for (const file of found) if (!expected.has(file)) drifts.push({ file, drift: "extra" });
  return drifts;
}

export const DRIFT_TEXT: Record<Drift, string> = {
  stale: "differs from what the declarations say",
  missing: "is missing",
  extra: "documents no command",
};

export interface Written {
  written: string[];
  removed: string[];
  /** Extra files without the generated header: left in place, for a person to move or delete. */
  foreign: string[];
}

/** Brings `dir` in line with `expected`: writes what differs, removes generated pages of no command. */
export function writeDocs(dir: string, expected: ReadonlyMap<string, string>): Written {
  mkdirSync(dir, { recursive: true });
  const result: Written = { written: [], removed: [], foreign: [] };
  for (const { file, drift } of compareDocs(dir, expected)) {
    const path = join(dir, file);
    if (drift !== "extra") {
      writeFileSync(path, expected.get(file) as string);
      result.written.push(file);
    } else if (isGenerated(path)) {
      rmSync(path);
      result.removed.push(file);
    } else result.foreign.push(file);
  }
  return result;
}

function isGenerated(path: string): boolean {
  try {
    return readFileSync(path, "utf8").startsWith(HEADER);
  } catch {
    return false; // a directory
  }
}
