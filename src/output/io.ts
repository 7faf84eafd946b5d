/** The process's streams and environment, injectable so tests run the CLI in-process. */
import type { EnvSource } from "../env.js";

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: EnvSource;
  /** Aborted on Ctrl-C (the real process) or by a test. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, ...(signal ? { signal } : {}) };
}
