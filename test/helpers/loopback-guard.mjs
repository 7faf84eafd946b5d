/**
 * The loopback guard: every test process (vitest `setupFiles`) and every plsctl the tests spawn
 * (`NODE_OPTIONS=--import <this file>`, test/helpers/loopback-env.ts) may reach 127.0.0.0/8, ::1,
 * `localhost` and Unix sockets only. Any other connection attempt — TCP (net, tls, http, https,
 * fetch: all go through net.Socket.prototype.connect), UDP (dgram send/connect) or a DNS lookup of
 * another name — throws at once, before a packet leaves. A guard, not a mock: it never answers on
 * anyone's behalf. Plain JavaScript so that a spawned Node can --import it without a loader.
 */
import { createRequire } from "node:module";

// require, not import: an ESM import of a built-in reads all its exports, and some are lazy
// getters that load modules plsctl itself never loads (net.BlockList, dns.promises) — which the
// tests of what plsctl loads would then see.
const require = createRequire(import.meta.url);
const dgram = require("node:dgram");
const dns = require("node:dns");
const net = require("node:net");

const INSTALLED = Symbol.for("plsctl.loopbackGuard");

/**
 * What the guard hands an allowed call to (Node's own functions, filled in at install). The guard's
 * own test swaps these for traps while it tries forbidden targets, so that a guard that failed to
 * refuse would hit the trap — never the network.
 */
export const originals = {};

export class LoopbackGuardError extends Error {
  constructor(what, target) {
    super(
      `loopback guard: ${what} ${target} refused — tests may reach only 127.0.0.0/8, ::1, localhost or a Unix socket (test/helpers/loopback-guard.mjs)`,
    );
    this.name = "LoopbackGuardError";
    this.code = "ERR_LOOPBACK_GUARD";
  }
}

/** True for a loopback IP literal or the name localhost (and *.localhost, which resolves to it). */
export function isLoopbackHost(host) {
  if (host === undefined || host === null || host === "") return true; // Node's default: localhost
  let h = String(host).trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h.startsWith("::ffff:")) h = h.slice("::ffff:".length);
  if (net.isIPv4(h)) return h.split(".")[0] === "127";
  if (net.isIPv6(h)) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

/** host/port/path of any form Socket#connect takes (options, [options, cb] normalised, port+host, path). */
function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first && typeof first === "object") {
    if (first.path !== undefined && first.path !== null) return { path: String(first.path) };
    return { host: first.host ?? first.hostname, port: first.port };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === "string" ? args[1] : undefined, port: first };
}

function checkSocketTarget(args) {
  const t = targetOf(args);
  if (t.path !== undefined) return;
  if (!isLoopbackHost(t.host)) throw new LoopbackGuardError("connection to", `${t.host}:${t.port}`);
}

function install() {
  if (globalThis[INSTALLED]) return;
  globalThis[INSTALLED] = true;

  originals.connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    checkSocketTarget(args);
    return originals.connect.apply(this, args);
  };

  originals.send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(...args) {
    // send(msg, [offset, length,] port, address, cb): the address follows the port.
    const numbers = args.slice(1).findIndex((a) => typeof a !== "number");
    const address = numbers >= 0 ? args[1 + numbers] : undefined;
    if (typeof address === "string" && !isLoopbackHost(address))
      throw new LoopbackGuardError("UDP datagram to", address);
    return originals.send.apply(this, args);
  };
  originals.udpConnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, cb) {
    if (typeof address === "string" && !isLoopbackHost(address))
      throw new LoopbackGuardError("UDP connect to", `${address}:${port}`);
    return originals.udpConnect.call(this, port, address, cb);
  };

  originals.lookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, ...rest) {
    if (!isLoopbackHost(hostname)) throw new LoopbackGuardError("DNS lookup of", hostname);
    return originals.lookup.call(this, hostname, ...rest);
  };
  // dns.promises is a lazy getter: guard its lookup when someone first asks for it.
  const promises = Object.getOwnPropertyDescriptor(dns, "promises");
  if (promises?.get && promises.configurable) {
    let guardedPromises;
    Object.defineProperty(dns, "promises", {
      ...promises,
      get() {
        if (guardedPromises) return guardedPromises;
        guardedPromises = promises.get.call(dns);
        originals.promisesLookup = guardedPromises.lookup;
        guardedPromises.lookup = function guardedPromiseLookup(hostname, ...rest) {
          if (!isLoopbackHost(hostname)) throw new LoopbackGuardError("DNS lookup of", hostname);
          return originals.promisesLookup.call(this, hostname, ...rest);
        };
        return guardedPromises;
      },
    });
  }
}

install();
