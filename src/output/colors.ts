/** Colour through chalk only: NO_COLOR, FORCE_COLOR, --no-color and non-TTY streams are honoured. */
import { Chalk, type ChalkInstance } from "chalk";
import type { PlsctlEnv } from "../env.js";
import type { OutStream } from "./io.js";

export type Colors = ChalkInstance;

export function colorLevel(env: PlsctlEnv, stream: OutStream, flag: boolean): 0 | 1 {
  if (!flag || env.noColor) return 0;
  if (env.forceColor) return 1;
  return stream.isTTY ? 1 : 0;
}

export function makeColors(level: 0 | 1): Colors {
  return new Chalk({ level });
}
