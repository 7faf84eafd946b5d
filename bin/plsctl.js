#!/usr/bin/env node
// Tiny shim: enable Node's compile cache where this Node has it, then load the bundle.
import module from "node:module";

module.enableCompileCache?.();
const { run } = await import("../dist/cli.js");
await run();
