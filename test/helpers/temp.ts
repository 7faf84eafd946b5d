/**
 * Temporary directories for tests, removed when their owner ends: the current test when called
 * inside one (vitest's onTestFinished), else the test file (afterAll; call it at file level).
 * They live under `os.tmpdir()`, which the run's global setup points at one root that must be empty
 * at the end (test/helpers/temp-root.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove);
  }
  return dir;
}
