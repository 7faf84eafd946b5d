/** The process's streams and environment, injectable so tests run the CLI in-process. */
import type { EnvSource } from "../env.js";

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What plsctl asks of stdin: only whether a person types into it. */
export interface InStream {
  isTTY?: boolean;
}

export interface CliIo {
  /** Absent (tests): not a terminal. */
  stdin?: InStream;
  stdout: OutStream;
  stderr: OutStream;
  env: EnvSource;
  /** Aborted on Ctrl-C (the real process) or by a test. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    ...(signal ? { signal } : {}),
  };
}
