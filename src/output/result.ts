/** stdout carries the result only: one JSON/YAML document, or the human rendering. */
import type { Context } from "../context.js";
import type { Colors } from "./colors.js";
import { renderJson, renderYaml } from "./format.js";

export async function writeResult<T>(
  ctx: Context,
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
