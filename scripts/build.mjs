// Builds the ESM bundle that bin/plsctl.js imports: plsctl and every package it uses (the Azure
// and Kubernetes SDKs too), tree-shaken, minified and code-split so that each command loads only
// the chunks it needs and `--help` none of the SDKs. The package then has no runtime dependencies.
//
// Layout, so that a build never pulls a file from under a running plsctl:
//   dist/b-<content hash>/cli.js, chunks/*.js   one folder per build, written under a temporary
//                                                name and renamed into place when complete
//   dist/cli.js                                  `export * from "./b-<hash>/cli.js"`, replaced
//                                                last, by a rename (atomic)
//   dist/.npmignore                              keeps the source maps out of the package
// A process that loaded an older dist/cli.js keeps resolving its chunks inside its own build
// folder; that folder is removed only when it was replaced more than KEEP_MINUTES ago and is not
// one of the KEEP_BUILDS most recently replaced. Same sources, same hash: a rebuild without
// changes writes nothing. `npm pack` / `npm publish` (and `--clean`) keep only the new build.
//
// Usage: node scripts/build.mjs [--outdir dist] [--clean]
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { checkBundle, kubeModels } from "./build-kube-models.mjs";
import { bundleManifest, thirdPartyNotices } from "./build-notices.mjs";

const KEEP_MINUTES = 30;
const KEEP_BUILDS = 3;
const BUILD_DIR = /^b-[0-9a-f]{12}$/;
const KEEP = ["cli.js", ".npmignore"];

const { values: args } = parseArgs({
  options: { outdir: { type: "string", default: "dist" }, clean: { type: "boolean", default: false } },
});
const root = resolve(args.outdir);
const clean = args.clean || ["pack", "publish"].includes(process.env.npm_command ?? "");

// Some bundled CommonJS packages require() Node's built-ins (and, inside try/catch, optional
// native add-ons): give every chunk a real `require`, which esbuild's ESM output then uses.
const banner =
  'import { createRequire as __plsctlCreateRequire } from "node:module";\n' +
  "const require = __plsctlCreateRequire(import.meta.url);";

// Node's built-ins through `require`, not through ESM `import`: importing one as ESM makes Node build
// its module namespace, which reads every export — and node:http's `WebSocket`, `CloseEvent` and
// `MessageEvent` are lazy getters that load Node's own copy of undici (~30 ms and ~4 MB at every
// start of a command that talks to a cluster or to Azure, for nothing: the SDKs never use them).
// A `require` returns the exports object and reads only what the code uses.
const builtinsViaRequire = {
  name: "builtins-via-require",
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_][a-z0-9_/]*$/ }, (a) =>
      a.kind === "import-statement" && isBuiltin(a.path)
        ? { path: a.path.replace(/^node:/, ""), namespace: "node-builtin" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${a.path}`)});`,
      loader: "js",
    }));
  },
};

// client-node 2 imports fetch, Agent and ProxyAgent from undici, whose index requires all of undici
// besides: its mock agents, cache stores, WebSocket, EventSource, cookies, … (~40 ms of loading at
// every start of a command that talks to a cluster, for nothing). client-node's imports resolve
// instead to an entry over undici's own files that holds only those three, set up as the index sets
// them up (the Dispatcher API methods; fetch's stack trace, as in a bundle without __filename).
// A client-node that imports any other name from undici fails the build here, rather than getting
// undefined at run time.
const UNDICI_NAMES = ["fetch", "Agent", "ProxyAgent"];
const undiciEntry = {
  name: "undici-entry",
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (a) => {
      if (!a.importer.includes(`${sep}@kubernetes${sep}client-node${sep}`)) return undefined;
      const code = readFileSync(a.importer, "utf8");
      const names = [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]undici['"]/g)].flatMap((m) =>
        m[1]
          .split(",")
          .map((n) => n.trim().split(/\s+as\s+/)[0])
          .filter(Boolean),
      );
      const other =
        /import\s+[\w*$][^{;]*from\s*['"]undici['"]|import\(\s*['"]undici['"]|require\(\s*['"]undici['"]/;
      const unknown = names.filter((n) => !UNDICI_NAMES.includes(n));
      if (unknown.length > 0 || other.test(code)) {
        return {
          errors: [
            {
              text: `${a.importer} imports ${unknown.join(", ") || "undici"} from undici: add it to the undici-entry plugin of scripts/build.mjs`,
            },
          ],
        };
      }
      // A file beside undici's index (never written): the metafile counts it as undici's.
      const index = createRequire(a.importer).resolve("undici");
      return { path: join(dirname(index), "index.plsctl-entry.js") };
    });
    b.onLoad({ filter: /[\\/]undici[\\/]index\.plsctl-entry\.js$/ }, (a) => ({
      resolveDir: dirname(a.path),
      loader: "js",
      contents: `"use strict";
const Dispatcher = require("./lib/dispatcher/dispatcher");
Object.assign(Dispatcher.prototype, require("./lib/api"));
const fetchImpl = require("./lib/web/fetch").fetch;
module.exports.Agent = require("./lib/dispatcher/agent");
module.exports.ProxyAgent = require("./lib/dispatcher/proxy-agent");
module.exports.fetch = function fetch(init, options = undefined) {
  return fetchImpl(init, options).catch((err) => {
    if (err && typeof err === "object") Error.captureStackTrace(err, module.exports.fetch);
    throw err;
  });
};
`,
    }));
  },
};

// client-node's index imports every feature's module, and with them the CommonJS packages they
// use; esbuild keeps a CommonJS package's initialisation wherever it is imported (the package may
// have side effects), even when nothing imported from it is used. These have none: marked so, they
// stay out of the bundle unless plsctl uses what needs them (tar-fs and stream-buffers: `kubectl
// cp`'s tar streams, ~60 KB evaluated at every start of a command that talks to a cluster).
const PURE_FROM_CLIENT_NODE = ["tar-fs", "stream-buffers"];
const clientNodePureImports = {
  name: "client-node-pure-imports",
  setup(b) {
    b.onResolve({ filter: /^[a-z]/ }, async (a) => {
      if (a.pluginData?.pure || !PURE_FROM_CLIENT_NODE.includes(a.path)) return undefined;
      if (!a.importer.includes(`${sep}@kubernetes${sep}client-node${sep}`)) return undefined;
      const r = await b.resolve(a.path, {
        kind: a.kind,
        importer: a.importer,
        resolveDir: a.resolveDir,
        pluginData: { pure: true },
      });
      return r.errors.length > 0 ? { errors: r.errors } : { path: r.path, sideEffects: false };
    });
  },
};

// @azure/arm-network's NetworkManagementClient creates all of its ~200 operation groups, so the
// bundle kept every operation and model of the package (1.1 MB evaluated at the start of every
// Azure command). plsctl's import of it (src/azure/clients.ts) resolves instead to a class built
// the same way from the package's own files, with only the groups NETWORK_GROUPS lists there (the
// NetworkClient type keeps src/azure to them). A listed group the package no longer has fails the
// build.
const NETWORK_CLIENTS = join("src", "azure", "clients.ts");
const armNetworkGroups = {
  name: "arm-network-groups",
  setup(b) {
    b.onResolve({ filter: /^@azure\/arm-network$/ }, (a) => {
      if (!a.importer.endsWith(NETWORK_CLIENTS)) return undefined;
      const list = readFileSync(a.importer, "utf8").match(/NETWORK_GROUPS = \[([^\]]*)\]/)?.[1];
      const groups = [...(list ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1]);
      if (groups.length === 0) return { errors: [{ text: `no NETWORK_GROUPS in ${a.importer}` }] };
      const esm = join(dirname(createRequire(a.importer).resolve("@azure/arm-network")), "..", "esm");
      const missing = groups.filter((g) => !existsSync(join(esm, "classic", g, "index.js")));
      if (missing.length > 0) {
        return { errors: [{ text: `@azure/arm-network has no operation group ${missing.join(", ")}` }] };
      }
      // A file beside the package's client (never written): the metafile counts it as the package's.
      return { path: join(esm, "networkManagementClient.plsctl-groups.js"), pluginData: { groups } };
    });
    b.onLoad({ filter: /networkManagementClient\.plsctl-groups\.js$/ }, (a) => {
      const groups = a.pluginData.groups;
      const op = (g) => `_get${g[0].toUpperCase()}${g.slice(1)}Operations`;
      return {
        resolveDir: dirname(a.path),
        loader: "js",
        contents: [
          'import { createNetworkManagement } from "./api/networkManagementContext.js";',
          ...groups.map((g) => `import { ${op(g)} } from "./classic/${g}/index.js";`),
          "export class NetworkManagementClient {",
          "  constructor(credential, subscriptionIdOrOptions, options) {",
          "    let subscriptionId;",
          '    if (typeof subscriptionIdOrOptions === "string") subscriptionId = subscriptionIdOrOptions;',
          '    else if (typeof subscriptionIdOrOptions === "object") options = subscriptionIdOrOptions;',
          '    this._client = createNetworkManagement(credential, subscriptionId ?? "", options ?? {});',
          "    this.pipeline = this._client.pipeline;",
          ...groups.map((g) => `    this.${g} = ${op(g)}(this._client);`),
          "  }",
          "}",
          "",
        ].join("\n"),
      };
    });
  },
};

// client-node's CoreV1Api with only the methods plsctl calls, and its ObjectSerializer with only the
// models plsctl can meet (210 of 757): see scripts/build-kube-models.mjs.
const kubeModelTypes = kubeModels(resolve(import.meta.dirname, ".."));

const staging = join(root, ".staging"); // esbuild computes paths for it; nothing is written there
const result = await build({
  entryPoints: { cli: "src/cli.ts" },
  outdir: staging,
  write: false,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  minify: true, // ~5 MB less memory and a faster start than whitespace-only minifying
  // Linked maps for development (`node --enable-source-maps`); dist/.npmignore keeps them out of
  // the package. Paths point at src/ and node_modules/, so the maps stay small.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none", // collected, with each package's licence, into THIRD_PARTY_NOTICES.txt
  banner: { js: banner },
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  plugins: [builtinsViaRequire, undiciEntry, clientNodePureImports, armNetworkGroups, kubeModelTypes.plugin],
  logLevel: "warning",
});

checkBundle(result.metafile, kubeModelTypes.state);

// Everything but Node's built-ins is inside the bundle: the package has no runtime dependencies.
// ws and debug require() these optional add-ons inside try/catch, and do without them.
const OPTIONAL = ["bufferutil", "utf-8-validate", "supports-color"];
const external = Object.values(result.metafile.outputs)
  .flatMap((o) => o.imports)
  .filter((i) => i.external && !isBuiltin(i.path) && !OPTIONAL.includes(i.path));
if (external.length > 0) {
  throw new Error(`not bundled: ${[...new Set(external.map((i) => i.path))].join(", ")}`);
}

const files = result.outputFiles
  .map((f) => ({ path: relative(staging, f.path), contents: f.contents }))
  .concat([
    { path: "bundle-manifest.json", contents: bundleManifest(result.metafile, staging) },
    { path: "THIRD_PARTY_NOTICES.txt", contents: thirdPartyNotices(result.metafile) },
  ])
  .sort((a, b) => a.path.localeCompare(b.path));
const hash = createHash("sha256");
for (const f of files) hash.update(`${f.path}\0${f.contents.length}\0`).update(f.contents);
const id = `b-${hash.digest("hex").slice(0, 12)}`;

mkdirSync(root, { recursive: true });
const target = join(root, id);
if (!existsSync(join(target, "cli.js"))) {
  const tmp = join(root, `.tmp-${id}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(tmp, f.path)), { recursive: true });
    writeFileSync(join(tmp, f.path), f.contents);
  }
  try {
    renameSync(tmp, target);
  } catch (err) {
    // Another build of the same sources won the race: its folder is identical.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(target, "cli.js"))) throw err;
  }
}

writeFileSync(join(root, ".npmignore"), "*.map\n");
const entry = join(root, "cli.js");
const stub = `// Written by scripts/build.mjs: the current build (see there).\nexport * from "./${id}/cli.js";\n`;
const previous = existsSync(entry) ? readFileSync(entry, "utf8") : "";
if (previous !== stub) {
  const tmpEntry = join(root, `.cli.js.${process.pid}.tmp`);
  writeFileSync(tmpEntry, stub);
  renameSync(tmpEntry, entry);
  // Mark the build this one replaces, so it is kept for KEEP_MINUTES from now.
  const old = previous.match(/from "\.\/(b-[0-9a-f]{12})\/cli\.js"/)?.[1];
  const replaced = old ? [old] : readdirSync(root).filter((n) => !BUILD_DIR.test(n) && !KEEP.includes(n));
  const now = new Date();
  for (const name of replaced) {
    if (name !== id && existsSync(join(root, name))) utimesSync(join(root, name), now, now);
  }
}

// Prune: everything but the current build, once replaced long enough ago.
const cutoff = Date.now() - KEEP_MINUTES * 60_000;
const others = readdirSync(root)
  .filter((n) => !KEEP.includes(n) && n !== id)
  .map((name) => ({ name, mtime: statSync(join(root, name)).mtimeMs }))
  .sort((a, b) => b.mtime - a.mtime);
let kept = 0;
for (const { name, mtime } of others) {
  const recentBuild = BUILD_DIR.test(name) && kept < KEEP_BUILDS;
  if (!clean && (mtime > cutoff || recentBuild)) {
    if (BUILD_DIR.test(name)) kept += 1;
    continue;
  }
  rmSync(join(root, name), { recursive: true, force: true });
}
