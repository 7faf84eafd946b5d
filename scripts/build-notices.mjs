// What went into a bundle, from esbuild's metafile: which packages each output file holds
// (bundle-manifest.json, read by the tests that check what a command loads) and the licence of
// every bundled package (THIRD_PARTY_NOTICES.txt: MIT, BSD and Apache-2.0 want it shipped along).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** The folder of the package an input file belongs to, or undefined for plsctl's own sources. */
function packageDir(input) {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const rest = input.slice(at + "node_modules/".length).split("/");
  const name = rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  return resolve(input.slice(0, at), "node_modules", name);
}

const readPkg = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** { "cli.js": ["commander", "plsctl"], "chunks/x.js": [...] }: the packages in each file. */
export function bundleManifest(metafile, outdir) {
  const manifest = {};
  for (const [out, info] of Object.entries(metafile.outputs)) {
    if (!out.endsWith(".js")) continue;
    const names = new Set();
    for (const input of Object.keys(info.inputs)) {
      const dir = packageDir(input);
      names.add(dir ? readPkg(dir).name : "plsctl");
    }
    manifest[relative(outdir, resolve(out))] = [...names].sort();
  }
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

export function thirdPartyNotices(metafile) {
  const dirs = new Set(Object.keys(metafile.inputs).map(packageDir).filter(Boolean));
  const entries = [...dirs].map((dir) => {
    const pkg = readPkg(dir);
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : undefined;
    return {
      title: `${pkg.name}@${pkg.version} (${pkg.license ?? "see package"})`,
      text: text ?? (existsSync(dir) ? `No licence file; package.json says: ${pkg.license}` : ""),
    };
  });
  entries.sort((a, b) => a.title.localeCompare(b.title));
  const body = entries.map((e) => `${e.title}\n${"-".repeat(e.title.length)}\n${e.text}\n`).join("\n");
  return new TextEncoder().encode(
    `plsctl's bundle contains the following packages, under their own licences:\n\n${body}`,
  );
}
