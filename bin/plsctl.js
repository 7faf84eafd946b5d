#!/usr/bin/env node
// Tiny shim: check the Node version before anything else loads (an older Node fails deep inside a
// dependency with a confusing error), enable Node's compile cache where this Node has it, then
// load the bundle. Plain syntax only, so that an old Node gets as far as the message.
import { MIN_NODE, nodeVersionProblem } from "./check-node.js";

const problem = nodeVersionProblem(process.versions.node, MIN_NODE, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  Promise.all([import("node:module"), import("node:v8")])
    .then(([m, v8]) => {
      // The Kubernetes client's HTTP parser (undici's llhttp) is WebAssembly; V8 compiles it at
      // once with its baseline compiler, then recompiles its hot functions with the optimising
      // one in the background: ~12 MB more peak memory and ~50 ms more CPU in a command that
      // parses a handful of small responses. A budget ~80 times V8's default keeps that for
      // processes that parse a lot (a long watch). Read when the module is compiled, so setting
      // it now, before anything loads, takes effect.
      v8.default.setFlagsFromString("--wasm-tiering-budget=1000000000");
      // Nearly all a command allocates while it starts survives (the bundle's modules): a young
      // generation grown to 16 MB only copies it around before promoting it, and its touched pages
      // stay in the peak memory. Kept at its initial size, status peaks ~6 MB lower for the same
      // GC time (more, shorter scavenges). Read at each growth, so it applies from now on; after
      // the first second V8's default (2) is back, so that a long run (1,000 approvals: ~5%
      // slower with the small young generation) works as before.
      v8.default.setFlagsFromString("--semi-space-growth-factor=1");
      setTimeout(() => v8.default.setFlagsFromString("--semi-space-growth-factor=2"), 1000).unref();
      if (m.default.enableCompileCache) m.default.enableCompileCache();
      return import("../dist/cli.js");
    })
    .then((cli) => cli.run());
}
