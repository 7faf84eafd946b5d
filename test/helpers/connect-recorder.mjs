/**
 * For a spawned plsctl (NODE_OPTIONS=--import <this file>): appends the target of every
 * net.Socket.prototype.connect call — host and port, or a Unix socket's path — as one JSON line to
 * the file named by PLSCTL_TEST_CONNECT_LOG. A recorder, not a mock: the call goes on unchanged
 * (and the loopback guard, imported too, still refuses what it must).
 */
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const net = require("node:net");
const file = process.env.PLSCTL_TEST_CONNECT_LOG;

if (file) {
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    // net.connect() passes its normalized arguments as one array.
    const [first, second] = Array.isArray(args[0]) ? args[0] : args;
    let target;
    if (typeof first === "object" && first !== null)
      target =
        first.path != null
          ? { path: String(first.path) }
          : { host: first.host ?? "localhost", port: Number(first.port) };
    else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first)))
      target = { host: typeof second === "string" ? second : "localhost", port: Number(first) };
    else if (typeof first === "string") target = { path: first };
    if (target) appendFileSync(file, `${JSON.stringify(target)}\n`);
    return original.apply(this, args);
  };
}
