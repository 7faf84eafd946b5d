/** What the bench sections share (this folder is not a section: bench.mjs runs scripts/bench/*.ts). */
import { spawn } from "node:child_process";
import { identityEnv } from "../../../src/flows/sandbox/index.js";
import type { Sandbox } from "../../../src/sandbox/index.js";

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The environment a spawned plsctl gets: the sandbox identity's, a home of its own, no colours. */
export function cliEnv(sb: Sandbox, home: string, identity = "provider"): Record<string, string> {
  const who = sb.runtime.identities.find((i) => i.name === identity);
  if (!who) throw new Error(`no ${identity} identity`);
  return { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...identityEnv(sb.runtime, who).env };
}

/** Runs a program to its end, collecting what it printed. */
export function exec(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
