/** Renderers for stdout: table (humans), json and yaml (machines: one document, stable fields). */

export const OUTPUT_FORMATS = ["table", "json", "yaml"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function renderJson(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

export async function renderYaml(data: unknown): Promise<string> {
  return (await yamlRenderer())(data);
}

/** The YAML renderer, once its module is loaded (for a command whose human rendering is YAML). */
export async function yamlRenderer(): Promise<(data: unknown) => string> {
  // yaml is CommonJS: in the code-split bundle a dynamic import of it yields only `default`
  // (module.exports), not the named exports Node's own loader adds. Both have `default`.
  const { default: yaml } = await import("yaml");
  return (data) => yaml.stringify(data, { lineWidth: 0 });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string): number => s.replace(ANSI, "").length;

/** Aligned columns, kubectl style: upper-case headers, three spaces between columns. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visibleLength(c))))
      .join("   ")
      .trimEnd();
  return `${[line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n")}\n`;
}

/** Two-column "key: value" block for a single object. */
export function renderFields(fields: ReadonlyArray<readonly [string, string | undefined]>): string {
  const shown = fields.filter(([, v]) => v !== undefined && v !== "");
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return `${shown.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join("\n")}\n`;
}
