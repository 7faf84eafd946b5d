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
  import("node:module")
    .then((m) => {
      if (m.default.enableCompileCache) m.default.enableCompileCache();
      return import("../dist/cli.js");
    })
    .then((cli) => cli.run());
}
