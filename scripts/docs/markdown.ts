/**
 * The few Markdown pieces the command reference is made of. Text from the declarations is plain
 * prose with `code spans`: outside the spans, `<name>` must not become an HTML tag and `*` must
 * not start emphasis; inside a table, `|` must not end the cell (not even in a code span).
 */

/** Escapes prose for Markdown, leaving `code spans` as they are; one line. */
export function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*<>]/g, (c) => ENTITIES[c] ?? c)))
    .join("")
    .replace(/\s*\n\s*/g, " ");
}

const ENTITIES: Record<string, string> = { "\\": "\\\\", "*": "\\*", "<": "&lt;", ">": "&gt;" };

/** A code span that holds any text (a backtick inside gets a longer fence). */
export const code = (text: string): string => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

/** A fenced block; the fence is longer than any backtick run inside. */
export function fenced(lang: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${body.replace(/\s+$/, "")}\n${fence}`;
}

/** A table; the columns are the header's (cells are Markdown; their pipes are escaped here). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "show a Service's PLS" → "Show a Service's PLS." (a summary as a sentence). */
export function sentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Notes as Markdown: a paragraph of prose is joined into one line; a paragraph whose lines are
 * indented (an aligned list, as `--help` shows it) stays as it is, in a text block.
 */
export function prose(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((para) => {
      const lines = para.split("\n");
      const aligned = lines.some((l) => /^\s{2,}\S/.test(l));
      return aligned ? fenced("text", dedent(para)) : inline(para.trim());
    })
    .join("\n\n");
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^\s*/)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join("\n");
}
