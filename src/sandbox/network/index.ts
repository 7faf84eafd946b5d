/**
 * The sandbox's partner network: one TCP port on 127.0.0.1 that speaks HTTP CONNECT, absolute-form
 * HTTP proxy requests and SOCKS5 (told apart by the first byte, 0x05), and routes each connection
 * through the sandbox's state (route.ts) to a pod's in-process HTTP app (app.ts). It never opens a
 * socket: the far end of every connection is one half of an in-process stream pair.
 *
 * Answers when a connection does not go through (reason in `X-Sandbox-Reason` and the body):
 *
 * | why                                   | CONNECT / absolute-form | SOCKS5 reply            |
 * | ------------------------------------- | ----------------------- | ----------------------- |
 * | unknown VNet in the proxy user        | 407                     | auth failure (RFC 1929) |
 * | no endpoint / name / ambiguous / no Service | 502               | 0x04 host unreachable   |
 * | endpoint connection not Approved      | 502                     | 0x02 not allowed        |
 * | no such Service port, no ready pod    | 502                     | 0x05 refused            |
 * | dropped by a NetworkPolicy            | 504 after dropDelayMs   | 0x04 after dropDelayMs  |
 *
 * HTTP answers also carry `X-Sandbox-Failure` (the kind: not-approved, port-refused, dropped, …)
 * and, when the destination was a name, `X-Sandbox-Resolved-Address` (what it resolved to in the
 * client's VNet, comma-separated) — on a `200 Connection established` too — as a resolver would
 * have told the client (`plsctl verify` reports both).
 */
import { createServer, type Server, type Socket } from "node:net";
import { duplexPair } from "node:stream";
import type { ArmState } from "../arm/types.js";
import { realClock, type SandboxClock } from "../clock.js";
import { startPodApp } from "./app.js";
import { allowAll, type IngressGate } from "./gate.js";
import { parseProxyHead, proxyAnswer } from "./http-proxy.js";
import { azureLinkIdTlv, encodeProxyV2 } from "./proxy-v2.js";
import { ByteReader, HandshakeError } from "./reader.js";
import { clientVnets, isIpv4 } from "./resolve.js";
import {
  type FailureKind,
  type NetworkSources,
  type Route,
  type RouteFailure,
  routeConnection,
} from "./route.js";
import { SOCKS, socksHandshake, socksReply } from "./socks.js";

export { HEADERS } from "./app.js";
export type { GatePod, GateVerdict, IngressGate } from "./gate.js";
export { allowAll } from "./gate.js";
export { clustersPolicyGate, networkPolicyGate } from "./policy-gate.js";
export type { ClusterSource, NetworkSources, Route } from "./route.js";

export interface PartnerNetworkOptions {
  sources: NetworkSources;
  /** 0 or absent: a free port. */
  port?: number;
  gate?: IngressGate;
  /** How long a connection a NetworkPolicy drops hangs before the proxy gives up on it (default 2 s). */
  dropDelayMs?: number;
  clock?: SandboxClock;
  log?: (line: string) => void;
}

export interface PartnerNetworkStats {
  connections: number;
  routed: number;
  failed: Partial<Record<FailureKind | "handshake", number>>;
}

export interface PartnerNetwork {
  url: string;
  port: number;
  /** Where the merger plugs the NetworkPolicy evaluator in. */
  setIngressGate(gate: IngressGate): void;
  stats(): PartnerNetworkStats;
  close(): Promise<void>;
}

const HTTP_FAIL: Record<FailureKind, [number, string]> = {
  "bad-vnet": [407, "Proxy Authentication Required"],
  "unknown-address": [502, "Bad Gateway"],
  ambiguous: [502, "Bad Gateway"],
  "not-a-service": [502, "Bad Gateway"],
  "not-approved": [502, "Bad Gateway"],
  "port-refused": [502, "Bad Gateway"],
  "no-ready-pod": [502, "Bad Gateway"],
  dropped: [504, "Gateway Timeout"],
};

const SOCKS_FAIL: Record<FailureKind, number> = {
  "bad-vnet": SOCKS.notAllowed,
  "unknown-address": SOCKS.hostUnreachable,
  ambiguous: SOCKS.hostUnreachable,
  "not-a-service": SOCKS.hostUnreachable,
  "not-approved": SOCKS.notAllowed,
  "port-refused": SOCKS.refused,
  "no-ready-pod": SOCKS.refused,
  dropped: SOCKS.hostUnreachable,
};

const RESOLVED = "X-Sandbox-Resolved-Address";
const PROXY_AUTH = 'Proxy-Authenticate: Basic realm="plsctl sandbox: user = the client VNet name or id"';

/**
 * The PROXY protocol v2 header Azure sends the backend first when the PLS has proxy protocol on:
 * the client's address and port, the endpoint's address and the port it dialled, and Azure's
 * LINKID TLV (proxy-v2.ts). Undefined when proxy protocol is off.
 */
function proxyHeader(r: Route, clientPort: number): Buffer | undefined {
  const pp = r.proxyProtocol;
  if (!pp) return undefined;
  return encodeProxyV2({
    source: { address: pp.clientIp, port: clientPort },
    destination: { address: r.destination, port: r.service.port },
    tlvs: pp.linkId !== undefined ? [azureLinkIdTlv(pp.linkId)] : [],
  });
}

/** One partner network's live parts, shared by the functions that serve its connections. */
interface Proxy {
  o: PartnerNetworkOptions;
  gate: IngressGate;
  clock: SandboxClock;
  dropDelayMs: number;
  log: (line: string) => void;
  app: ReturnType<typeof startPodApp>;
  stats: PartnerNetworkStats;
  sockets: Set<Socket>;
  /** Round-robin counters, per Service. */
  rr: Map<string, number>;
  closing: AbortController;
}

function count(p: Proxy, k: FailureKind | "handshake"): void {
  p.stats.failed[k] = (p.stats.failed[k] ?? 0) + 1;
}

/** Routes, waiting out a drop the way a client would wait for a SYN that is never answered. */
async function route(
  p: Proxy,
  host: string,
  port: number,
  user: string | undefined,
): Promise<Route | RouteFailure> {
  const pick = (key: string, n: number) => {
    const i = p.rr.get(key) ?? 0;
    p.rr.set(key, i + 1);
    return i % n;
  };
  const r = routeConnection(p.o.sources, host, port, { user, gate: p.gate, pick });
  if ("kind" in r) {
    count(p, r.kind);
    p.log(`network: ${host}:${port} (${user ?? "any VNet"}) refused: ${r.reason}`);
    if (r.kind === "dropped") await p.clock.sleep(p.dropDelayMs, p.closing.signal);
  } else {
    p.stats.routed += 1;
    p.log(`network: ${host}:${port} -> pod ${r.pod.namespace}/${r.pod.name}:${r.podPort} as ${r.sourceIp}`);
  }
  return r;
}

/** Joins the client to the pod's app through an in-process stream pair (proxy header and bytes read first). */
function splice(p: Proxy, client: Socket, r: Route, first: Buffer): void {
  const [near, far] = duplexPair();
  p.app.serve(r, far);
  const header = proxyHeader(r, client.remotePort ?? 0);
  if (header) near.write(header);
  if (first.length > 0) near.write(first);
  client.pipe(near);
  near.pipe(client);
  const end = () => {
    client.destroy();
    near.destroy();
    far.destroy();
  };
  client.once("close", end);
  client.on("error", end);
  near.on("error", end);
  near.once("close", () => client.end());
  client.resume();
}

async function http(p: Proxy, client: Socket, reader: ByteReader): Promise<void> {
  const head = parseProxyHead(await reader.through("\r\n\r\n", 16 * 1024));
  const r = await route(p, head.host, head.port, head.user);
  const rest = reader.release();
  if ("kind" in r) {
    const [status, text] = HTTP_FAIL[r.kind];
    const extra = [
      `${RESOLVED}: ${(r.resolved ?? []).join(", ")}`,
      ...(r.kind === "bad-vnet" ? [PROXY_AUTH] : []),
    ].slice(r.resolved ? 0 : 1);
    client.end(proxyAnswer(status, text, r.reason, [`X-Sandbox-Failure: ${r.kind}`, ...extra]));
    return;
  }
  if (head.forward) return splice(p, client, r, Buffer.concat([head.forward, rest]));
  const named = !isIpv4(head.host) ? `${RESOLVED}: ${r.destination}\r\n` : "";
  client.write(`HTTP/1.1 200 Connection established\r\n${named}\r\n`);
  splice(p, client, r, rest);
}

async function socks(p: Proxy, client: Socket, reader: ByteReader): Promise<void> {
  const write = (b: Buffer) => client.write(b);
  const req = await socksHandshake(reader, write, (user) => {
    const v = clientVnets(p.o.sources.arm() as Readonly<ArmState>, user);
    return "error" in v ? v.error : undefined;
  });
  const r = await route(p, req.host, req.port, req.user);
  const rest = reader.release();
  if ("kind" in r) {
    client.end(socksReply(SOCKS_FAIL[r.kind]));
    return;
  }
  write(socksReply(SOCKS.succeeded, r.destination, req.port));
  splice(p, client, r, rest);
}

/** A new client: SOCKS5 when its first byte is 0x05, an HTTP proxy request otherwise. */
function onConnection(p: Proxy, client: Socket): void {
  p.stats.connections += 1;
  p.sockets.add(client);
  client.once("close", () => p.sockets.delete(client));
  client.on("error", () => client.destroy());
  client.once("data", (first: Buffer) => {
    const reader = new ByteReader(client, first);
    const speak = first[0] === 0x05 ? socks : http;
    speak(p, client, reader).catch((err: unknown) => {
      count(p, "handshake");
      const message = err instanceof HandshakeError ? err.message : String(err);
      p.log(`network: handshake failed: ${message}`);
      if (client.destroyed) return;
      if (first[0] !== 0x05) client.end(proxyAnswer(400, "Bad Request", `plsctl sandbox proxy: ${message}`));
      else client.end();
    });
  });
}

export async function startPartnerNetwork(o: PartnerNetworkOptions): Promise<PartnerNetwork> {
  const p: Proxy = {
    o,
    gate: o.gate ?? allowAll,
    clock: o.clock ?? realClock,
    dropDelayMs: o.dropDelayMs ?? 2000,
    log: o.log ?? (() => {}),
    app: startPodApp(),
    stats: { connections: 0, routed: 0, failed: {} },
    sockets: new Set<Socket>(),
    rr: new Map<string, number>(),
    closing: new AbortController(),
  };
  const server: Server = createServer((client) => onConnection(p, client));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  p.log(`network: partner proxy on ${url} (HTTP CONNECT, absolute-form HTTP, SOCKS5)`);
  return {
    url,
    port,
    setIngressGate(g) {
      p.gate = g;
    },
    stats: () => structuredClone(p.stats),
    close: () =>
      new Promise<void>((resolve) => {
        p.closing.abort();
        for (const s of p.sockets) s.destroy();
        p.app.close();
        server.close(() => resolve());
      }),
  };
}
