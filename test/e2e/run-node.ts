/** Runs Node on `args` in a child process with a clean environment, and collects what it printed. */
import { spawn } from "node:child_process";
import { guarded } from "../helpers/loopback-env.js";

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface NodeRunOptions {
  cwd?: string;
  /** HOME of the child (its only environment besides PATH, NO_COLOR=1 and `env`). */
  home: string;
  env?: Record<string, string>;
  /** Called with the stderr so far on each chunk; `kill` sends the child a signal. */
  onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void;
}

export function runNode(args: string[], o: NodeRunOptions): Promise<NodeRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      ...(o.cwd ? { cwd: o.cwd } : {}),
      env: guarded({ PATH: process.env.PATH ?? "", HOME: o.home, NO_COLOR: "1", ...o.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      o.onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
