/** Runs the CLI in-process: the main test tier (fast, no spawn). */
import { main } from "../../src/cli.js";
import type { Clock } from "../../src/context.js";
import type { OutStream } from "../../src/output/io.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  clock?: Clock;
  /** Pretend stdout/stderr are terminals. */
  tty?: boolean;
  /** Pretend stdin is a terminal (default: as `tty`). */
  stdinTty?: boolean;
  /** Called with every stderr chunk as it is written (e.g. to abort at a phase). */
  onStderr?: (chunk: string) => void;
}

function capture(tty: boolean, onWrite?: (chunk: string) => void): OutStream & { text: string } {
  const stream = {
    text: "",
    isTTY: tty,
    columns: 120,
    write(chunk: string) {
      stream.text += chunk;
      onWrite?.(chunk);
      return true;
    },
  };
  return stream;
}

/** A clean environment: nothing from the developer's shell leaks in (HOME points nowhere real). */
export const BASE_ENV: Record<string, string> = {
  HOME: "/nonexistent-plsctl-test-home",
  PATH: process.env.PATH ?? "",
};

export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = capture(Boolean(options.tty));
  const stderr = capture(Boolean(options.tty), options.onStderr);
  const code = await main(
    argv,
    {
      stdin: { isTTY: options.stdinTty ?? Boolean(options.tty) },
      stdout,
      stderr,
      env: { ...BASE_ENV, ...options.env },
      ...(options.signal ? { signal: options.signal } : {}),
    },
    options.clock ? { clock: options.clock } : {},
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}
