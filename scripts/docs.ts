/**
 * `npm run docs`: writes the command reference, docs/commands/<command>.md and its index, from the
 * command declarations (src/commands/). `npm run docs -- --check` writes nothing and exits 1 when a
 * file differs from what it would write, is missing, or documents no command
 * (test/unit/command-docs.test.ts checks the same in `npm test`). Commands without a declaration
 * get no page; they are listed.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compareDocs, DRIFT_TEXT, writeDocs } from "./docs/files.js";
import { programReference } from "./docs/program.js";

export const DOCS_DIR = join("docs", "commands");

/** Where the script's lines go (the console; a test's lists). */
export interface Log {
  out(line: string): void;
  err(line: string): void;
}

const consoleLog: Log = { out: (l) => console.log(l), err: (l) => console.error(l) };

export default async function main(
  argv: readonly string[],
  root = process.cwd(),
  log: Log = consoleLog,
): Promise<number> {
  let check: boolean;
  try {
    check = Boolean(parseArgs({ args: [...argv], options: { check: { type: "boolean" } } }).values.check);
  } catch (err) {
    log.err(`${(err as Error).message}\nUsage: npm run docs [-- --check]`);
    return 2;
  }
  const dir = join(root, DOCS_DIR);
  const { files, undeclared } = programReference();
  if (undeclared.length) log.out(`No declaration, so no page (yet): ${undeclared.join(", ")}.`);
  if (check) {
    const drifts = compareDocs(dir, files);
    for (const { file, drift } of drifts) log.err(`${join(DOCS_DIR, file)} ${DRIFT_TEXT[drift]}.`);
    if (drifts.length) log.err("Run `npm run docs` and commit docs/commands/.");
    else log.out(`${DOCS_DIR}: ${files.size} files, up to date.`);
    return drifts.length ? 1 : 0;
  }
  const { written, removed, foreign } = writeDocs(dir, files);
  for (const f of written) log.out(`wrote ${join(DOCS_DIR, f)}`);
  for (const f of removed) log.out(`removed ${join(DOCS_DIR, f)} (no such command)`);
  for (const f of foreign)
    log.err(`${join(DOCS_DIR, f)} documents no command and was not generated: move or delete it.`);
  log.out(`${DOCS_DIR}: ${files.size} files, ${written.length} written, ${removed.length} removed.`);
  return foreign.length ? 1 : 0;
}
