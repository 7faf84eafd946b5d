// `npm run soak`: random expose / connect / approve / reject / disconnect / unexpose through the built
// plsctl against one sandbox, with injected faults and interrupts, then the sandbox's state compared
// with an independent model (scripts/soak/). Not part of `npm test`. The soak imports a few sandbox
// sources, so it is bundled with esbuild first, as `npm run bench` does.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { importTs } from "./import-ts.mjs";

if (!existsSync("dist/cli.js")) {
  console.error("dist/cli.js is missing: run `npm run build` first.");
  process.exit(1);
}
const entry = process.env.SOAK_ENTRY ?? join("scripts", "soak", "main.ts");
// Bundled inside the project, so the bundle resolves node_modules.
const out = mkdtempSync(join("node_modules", ".plsctl-soak-"));
let code = 1;
try {
  const outfile = join(out, "soak.mjs");
  const mod = await importTs(entry, outfile);
  code = await mod.default(process.argv.slice(2));
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(code);
