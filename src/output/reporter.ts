/**
 * Everything a command says on stderr while it works: phases, warnings, notes, debug lines.
 * On an interactive stderr (TTY, not CI) the current phase animates as a spinner after a short
 * delay; otherwise every phase is one plain line, so logs stay readable.
 */
import type { Colors } from "./colors.js";
import type { OutStream } from "./io.js";

export interface Reporter {
  /** A new phase of work begins; the previous one is complete. */
  phase(message: string): void;
  /** The current phase is complete (optionally with a closing message). */
  done(message?: string): void;
  info(message: string): void;
  warn(message: string, hint?: string): void;
  debug(message: string): void;
  /** Stops any animation (before an error is printed). */
  stop(): void;
}

export interface ReporterOptions {
  stderr: OutStream;
  colors: Colors;
  quiet: boolean;
  verbose: boolean;
  interactive: boolean;
  redact: (text: string) => string;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const SPINNER_DELAY_MS = 250;
const SPINNER_INTERVAL_MS = 80;

export function createReporter(o: ReporterOptions): Reporter {
  const c = o.colors;
  const write = (line: string) => o.stderr.write(`${o.redact(line)}\n`);
  let current: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;
  let frame = 0;

  const clearLine = () => {
    if (drawn) o.stderr.write("\r\u001b[2K");
    drawn = false;
  };
  const stopAnimation = () => {
    if (timer) clearTimeout(timer);
    if (timer) clearInterval(timer);
    timer = undefined;
    clearLine();
  };
  /**
   * The spinner's line cut to the terminal's width: a longer one wraps, and `\r` then returns only
   * to its last row, so every frame would leave a copy of the line above it.
   */
  const toWidth = (text: string) => {
    const room = (o.stderr.columns ?? 0) - 3; // the frame, a space, and the last column
    return room > 0 && text.length > room ? `${text.slice(0, room - 1)}…` : text;
  };
  const draw = () => {
    if (current === undefined) return;
    o.stderr.write(`\r\u001b[2K${c.cyan(FRAMES[frame++ % FRAMES.length])} ${toWidth(o.redact(current))}`);
    drawn = true;
  };
  const complete = (message?: string) => {
    if (current === undefined && message === undefined) return;
    stopAnimation();
    const text = message ?? current;
    if (o.interactive && text !== undefined) write(`${c.green("✓")} ${text}`);
    else if (message !== undefined) write(`${c.green("✓")} ${message}`);
    current = undefined;
  };
  /** Prints a line while keeping the spinner below it. */
  const above = (line: string) => {
    const animating = drawn;
    clearLine();
    write(line);
    if (animating) draw();
  };

  return {
    phase(message) {
      if (o.quiet) return;
      complete();
      current = message;
      if (!o.interactive) {
        write(`${c.cyan("→")} ${message}`);
        return;
      }
      timer = setTimeout(() => {
        draw();
        timer = setInterval(draw, SPINNER_INTERVAL_MS);
        timer.unref?.();
      }, SPINNER_DELAY_MS);
      timer.unref?.();
    },
    done(message) {
      if (o.quiet) {
        current = undefined;
        return;
      }
      complete(message);
    },
    info(message) {
      if (!o.quiet) above(message);
    },
    warn(message, hint) {
      above(`${c.yellow("warning:")} ${message}`);
      if (hint) above(`  ${c.dim(hint)}`);
    },
    debug(message) {
      if (o.verbose) above(c.dim(`debug: ${message}`));
    },
    stop() {
      stopAnimation();
      current = undefined;
    },
  };
}
