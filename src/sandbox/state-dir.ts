/**
 * The sandbox's state directory holds a CA key, bearer tokens and a kubeconfig: owner-only. It is
 * created 0700 (whatever the umask), and a directory of ours that others can read is tightened,
 * with the files in it (0600), e.g. one left by an older plsctl.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const st = statSync(dir);
  // Only a directory we own: never change the modes of someone else's (or a shared) directory.
  if (process.getuid && st.uid !== process.getuid()) return;
  if ((st.mode & 0o777) !== DIR_MODE) chmodSync(dir, DIR_MODE);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(dir, e.name);
    if ((statSync(p).mode & 0o077) !== 0) chmodSync(p, FILE_MODE);
  }
}
