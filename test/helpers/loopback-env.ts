/**
 * The environment a spawned Node (plsctl's bin, a `node -e` script) gets so that the loopback
 * guard (loopback-guard.mjs) runs in it too, before anything else it loads.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

export const LOOPBACK_GUARD_FILE = fileURLToPath(new URL("./loopback-guard.mjs", import.meta.url));

/** `env` plus NODE_OPTIONS that --import the guard (after any NODE_OPTIONS `env` already has). */
export function guarded(env: Record<string, string> = {}): Record<string, string> {
  const guard = `--import=${pathToFileURL(LOOPBACK_GUARD_FILE).href}`;
  return { ...env, NODE_OPTIONS: env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ${guard}` : guard };
}
