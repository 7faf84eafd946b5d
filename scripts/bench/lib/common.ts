/** What the bench sections share (this folder is not a section: bench.mjs runs scripts/bench/*.ts). */
import { identityEnv } from "../../../src/flows/sandbox.js";
import type { Sandbox } from "../../../src/sandbox/index.js";

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The environment a spawned plsctl gets: the sandbox identity's, a home of its own, no colours. */
export function cliEnv(sb: Sandbox, home: string, identity = "provider"): Record<string, string> {
  const who = sb.runtime.identities.find((i) => i.name === identity);
  if (!who) throw new Error(`no ${identity} identity`);
  return { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...identityEnv(sb.runtime, who).env };
}
