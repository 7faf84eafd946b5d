/**
 * The sandbox CA and server certificate for tests. Generating an RSA CA and key takes a while, so a
 * test run makes them once, in its run directory (test/helpers/temp-root.ts), and every emulator's
 * state directory gets a copy. Parallel workers race safely: each generates into its own directory
 * and renames it into place; the first one wins, the others use it.
 */
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureTls } from "../../src/sandbox/tls.js";
import { RUN_DIR_ENV } from "./temp-root.js";

const FILES = ["ca.crt", "ca.key", "server.crt", "server.key"];

function sharedTlsDir(run: string): string {
  const target = join(run, "tls");
  if (existsSync(join(target, "ca.crt"))) return target;
  const mine = mkdtempSync(join(run, "tls-"));
  ensureTls(mine);
  try {
    renameSync(mine, target);
  } catch {
    rmSync(mine, { recursive: true, force: true }); // another worker was first
  }
  return target;
}

/** Puts the run's certificates into `dir` (or fresh ones, outside a vitest run with the global setup). */
export function seedTls(dir: string): void {
  const run = process.env[RUN_DIR_ENV];
  if (!run) {
    ensureTls(dir);
    return;
  }
  const shared = sharedTlsDir(run);
  for (const f of FILES) copyFileSync(join(shared, f), join(dir, f));
}
