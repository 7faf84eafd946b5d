// Builds the one ESM bundle (dist/) that bin/plsctl.js imports.
// Dependencies stay external (resolved from node_modules at run time); commands import their
// flows lazily, so esbuild's code splitting keeps `--help` free of the Azure and Kubernetes SDKs.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  packages: "external",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
