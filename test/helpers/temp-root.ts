/**
 * vitest global setup: every temporary directory of a test run lives under one root.
 *
 * Before the workers start, TMPDIR points at `<run>/tmp` in a fresh `plsctl-test-run-*` directory;
 * Node's `os.tmpdir()` (in the tests, in plsctl itself and in the processes tests spawn with the
 * test's environment) follows it. `<run>/tls` is the run's shared sandbox CA (test/helpers/tls.ts).
 * After the run `<run>/tmp` must be empty: many of these directories hold a CA private key, so a test
 * that leaves one behind fails the run, naming what it left. The whole run directory goes in any case.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const RUN_DIR_ENV = "PLSCTL_TEST_RUN_DIR";

/** What is left in `dir`, by name (directories end in `/`). */
/**
 * Spawned plsctl processes enable Node's compile cache (bin/plsctl.js), which Node keeps in
 * TMPDIR/node-compile-cache: Node's own, shared cache, not something a test left behind.
 */
const NODE_OWN = new Set(["node-compile-cache/"]);

export function leftovers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .filter((name) => !NODE_OWN.has(name));
}

/** Creates the run directory and points TMPDIR into it; the returned teardown checks and removes it. */
export function startTempRoot(env: NodeJS.ProcessEnv = process.env): { run: string; teardown: () => void } {
  const run = mkdtempSync(join(tmpdir(), "plsctl-test-run-"));
  const tmp = join(run, "tmp");
  mkdirSync(tmp);
  const saved = { TMPDIR: env.TMPDIR, [RUN_DIR_ENV]: env[RUN_DIR_ENV] };
  env.TMPDIR = tmp;
  env[RUN_DIR_ENV] = run;
  const teardown = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const left = leftovers(tmp);
    rmSync(run, { recursive: true, force: true, maxRetries: 3 });
    if (left.length > 0)
      throw new Error(`tests left temporary files behind (removed now): ${left.join(", ")} in ${tmp}`);
  };
  return { run, teardown };
}

export default function setup(): () => void {
  return startTempRoot().teardown;
}
