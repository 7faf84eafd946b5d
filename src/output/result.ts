/** stdout carries the result only: one JSON/YAML document, or the human rendering. */
import type { Colors } from "./colors.js";
import { type OutputFormat, renderJson, renderYaml } from "./format.js";
import type { OutStream } from "./io.js";

/** Where a result goes: a command's context has all of it. */
export interface ResultTarget {
  globals: { output: OutputFormat };
  report: { stop(): void };
  stdout: OutStream;
  colors: Colors;
}

export async function writeResult<T>(
  ctx: ResultTarget,
  data: T,
  human: (data: T, colors: Colors) => string,
): Promise<void> {
  ctx.report.stop();
  switch (ctx.globals.output) {
    case "json":
      ctx.stdout.write(renderJson(data));
      return;
    case "yaml":
      ctx.stdout.write(await renderYaml(data));
      return;
    default:
      ctx.stdout.write(human(data, ctx.colors));
  }
}
