/**
 * The loopback guard (vitest setupFiles, and NODE_OPTIONS of spawned plsctl processes): any attempt
 * to reach an address other than loopback or a Unix socket throws at once — before Node's own
 * connect runs, so no packet leaves — and loopback still works. Never connects anywhere real.
 */
import { spawnSync } from "node:child_process";
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";
// @ts-expect-error: plain JavaScript (a spawned Node --imports it), no declaration file
import { isLoopbackHost, originals } from "../helpers/loopback-guard.mjs";

const GUARD = /loopback guard: .*10\.0\.0\.4.* refused/;

/** Node's own functions behind the guard, swapped for traps while forbidden targets are tried. */
const delegates = originals as Record<string, (...args: unknown[]) => unknown>;
void dns.promises; // the guard wraps its lookup on first access: before the originals are saved
const saved = { ...delegates };
const TRAPPED = /trap: the guard let/;

describe("loopback guard refuses (with traps behind it: nothing can reach the network)", () => {
  beforeEach(() => {
    expect(Object.keys(saved).sort()).toEqual(
      expect.arrayContaining(["connect", "lookup", "promisesLookup", "send", "udpConnect"]),
    );
    for (const k of Object.keys(saved))
      delegates[k] = () => {
        throw new Error(`trap: the guard let a ${k} through`);
      };
  });
  afterEach(() => Object.assign(delegates, saved));

  it("refuses TCP to 10.0.0.4:80 before the socket starts connecting", () => {
    const socket = new net.Socket();
    expect(() => socket.connect(80, "10.0.0.4")).toThrow(GUARD);
    expect(socket.connecting).toBe(false);
    expect(socket.remoteAddress).toBeUndefined();
    socket.destroy();
    expect(() => net.connect({ host: "10.0.0.4", port: 80 })).toThrow(GUARD);
    expect(() => net.createConnection(80, "10.0.0.4")).toThrow(GUARD);
  });

  it("refuses TLS, HTTP and fetch to it, and names a host it would have to resolve", async () => {
    expect(() => tls.connect(443, "10.0.0.4")).toThrow(GUARD);
    expect(() => http.get("http://10.0.0.4/")).toThrow(GUARD);
    const failed = await fetch("http://10.0.0.4/").catch((e: Error) => e);
    expect((failed as Error & { cause?: { code?: string } }).cause?.code).toBe("ERR_LOOPBACK_GUARD");
    expect(() => net.connect(443, "management.azure.com")).toThrow(
      /connection to management\.azure\.com:443/,
    );
    expect(() => net.connect(80, "::ffff:10.0.0.4")).toThrow(/refused/);
  });

  it("refuses UDP and DNS look-ups of other names", async () => {
    const udp = dgram.createSocket("udp4");
    try {
      expect(() => udp.send(Buffer.from("x"), 53, "10.0.0.4")).toThrow(GUARD);
      expect(() => udp.send(Buffer.from("x"), 0, 1, 53, "10.0.0.4")).toThrow(GUARD);
      expect(() => udp.connect(53, "10.0.0.4")).toThrow(GUARD);
    } finally {
      udp.close();
    }
    expect(() => dns.lookup("example.com", () => {})).toThrow(/DNS lookup of example\.com/);
    expect(() => dns.promises.lookup("example.com")).toThrow(/DNS lookup of example\.com/);
  });

  it("the traps themselves fire (so a guard that let something through would be caught)", () => {
    expect(() => new net.Socket().connect(1, "127.0.0.1")).toThrow(TRAPPED);
  });
});

describe("loopback guard", () => {
  it("lets loopback through: a TCP round trip on 127.0.0.1", async () => {
    const server = net.createServer((s) => s.end("pong"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        let text = "";
        const c = net.connect(port, "127.0.0.1");
        c.on("data", (d) => (text += d));
        c.on("end", () => resolve(text));
        c.on("error", reject);
      });
      expect(reply).toBe("pong");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["::1", true],
    ["[::1]", true],
    ["localhost", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.4", false],
    ["0.0.0.0", false],
    ["::", false],
    ["128.0.0.1", false],
    ["example.com", false],
  ])("isLoopbackHost(%s) = %s", (host, want) => {
    expect(isLoopbackHost(host)).toBe(want);
  });

  it("guards a spawned Node through NODE_OPTIONS", () => {
    const r = spawnSync(
      process.execPath,
      // 0.0.0.0: refused by the guard like any non-loopback address; without the guard it would
      // reach this machine only, never the network.
      ["-e", "require('node:net').connect(80, '0.0.0.0').on('error', () => {})"],
      { encoding: "utf8", env: guarded({ PATH: process.env.PATH ?? "" }) },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/loopback guard: connection to 0\.0\.0\.0:80 refused/);
  });
});
