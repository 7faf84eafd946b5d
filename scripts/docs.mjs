// `npm run docs [-- --check]`: the command reference in docs/commands/ from the command
// declarations (scripts/docs.ts). The script imports the sources, so it is bundled with esbuild
// first, as `npm run bench` and `npm run soak` do.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { importTs } from "./import-ts.mjs";

// Bundled inside the project, so the bundle resolves node_modules.
const out = mkdtempSync(join("node_modules", ".plsctl-docs-"));
let code = 1;
try {
  const mod = await importTs(join("scripts", "docs.ts"), join(out, "docs.mjs"));
  code = await mod.default(process.argv.slice(2));
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(code);
