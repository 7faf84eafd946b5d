/**
 * Bundles one TypeScript entry of scripts/ (bench sections, the soak) with esbuild into `outfile`
 * and imports it: the scripts run on the project's Node 22 without a TypeScript loader. `outfile`
 * must lie inside the project (node_modules/.plsctl-*) so the bundle resolves node_modules.
 */
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function importTs(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}
