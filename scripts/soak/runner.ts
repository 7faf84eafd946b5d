/** One spawned plsctl: its exit code and output, and an optional interrupt at a given moment. */
import { spawn } from "node:child_process";
import { CLI, type Env } from "./sandbox.js";

export interface Interrupt {
  signal: "SIGINT" | "SIGTERM";
  afterMs: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The signal was sent while plsctl still ran. */
  interrupted: boolean;
  /** Killed for running longer than the soak's own deadline. */
  hung: boolean;
  /** The signal that ended plsctl when it did not exit by itself (one sent before its handlers were set). */
  signal: NodeJS.Signals | null;
}

/** Longer than any plsctl wait by default (expose's 10 m): a run past it is hung. */
const DEADLINE_MS = 11 * 60_000;

export function runPlsctl(args: readonly string[], env: Env, interrupt?: Interrupt): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    let hung = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timers = [
      setTimeout(() => {
        hung = true;
        child.kill("SIGKILL");
      }, DEADLINE_MS),
    ];
    if (interrupt) {
      timers.push(
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            interrupted = true;
            child.kill(interrupt.signal);
          }
        }, interrupt.afterMs),
      );
    }
    child.on("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, stdout, stderr, interrupted, hung, signal });
    });
  });
}
