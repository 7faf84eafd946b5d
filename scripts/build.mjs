// Builds the one ESM bundle (dist/) that bin/plsctl.js imports.
// The start-up path (commander, chalk) is bundled in, which saves ~25 ms of module resolution on
// every run; the big SDKs stay external and are resolved from node_modules only when a command
// needs them. Commands import their flows lazily, so code splitting keeps `--help` free of them.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: start clean so stale chunks do not pile up.
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  external: ["@azure/*", "@kubernetes/*", "node-forge", "yaml"],
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
