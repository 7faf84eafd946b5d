/**
 * Clients of the sandbox's partner network written by hand, so the tests see every byte: HTTP
 * CONNECT, absolute-form HTTP and SOCKS5 frames to the proxy on 127.0.0.1 — and a record of every
 * TCP connect this process makes, to prove nothing dials anything but loopback.
 */
import { connect, Socket } from "node:net";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads one HTTP response off `sock` until it ends (every response here is `Connection: close`). */
function readResponse(sock: Socket, sent: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    sock.on("data", (c: Buffer) => chunks.push(c));
    sock.on("error", reject);
    sock.on("close", () => resolve(parseResponse(Buffer.concat(chunks).toString("utf8"))));
    sock.resume();
    sock.write(sent);
  });
}

export function parseResponse(text: string): Answer {
  const split = text.indexOf("\r\n\r\n");
  const head = split < 0 ? text : text.slice(0, split);
  const [status = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(status.split(" ")[1]), headers, body: split < 0 ? "" : text.slice(split + 4) };
}

const basic = (user: string | undefined) =>
  user === undefined ? [] : [`Proxy-Authorization: Basic ${Buffer.from(`${user}:`).toString("base64")}`];

function open(proxyPort: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(proxyPort, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
}

export interface Via {
  user?: string;
  path?: string;
  accept?: string;
}

/** `GET http://host:port/path` in absolute form through the proxy. */
export async function viaAbsolute(
  proxyPort: number,
  host: string,
  port: number,
  o: Via = {},
): Promise<Answer> {
  const sock = await open(proxyPort);
  const req = [
    `GET http://${host}:${port}${o.path ?? "/"} HTTP/1.1`,
    `Host: ${host}:${port}`,
    ...(o.accept ? [`Accept: ${o.accept}`] : []),
    ...basic(o.user),
    "",
    "",
  ].join("\r\n");
  return readResponse(sock, Buffer.from(req));
}

/** Waits until `sock` has sent at least one CRLF CRLF-terminated head; returns it and the rest. */
function readHead(sock: Socket): Promise<{ head: string; rest: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const i = buf.indexOf("\r\n\r\n");
      if (i >= 0) {
        sock.off("data", onData);
        sock.pause();
        resolve({ head: buf.subarray(0, i).toString("utf8"), rest: buf.subarray(i + 4), ended: false });
      }
    };
    sock.on("data", onData);
    sock.once("error", reject);
    sock.once("end", () => resolve({ head: buf.toString("utf8"), rest: Buffer.alloc(0), ended: true }));
  });
}

/**
 * `CONNECT host:port`, then (when the tunnel is up) `GET path` inside it. A refused CONNECT comes
 * back as the proxy's own answer (502/504/407 with `X-Sandbox-Reason`).
 */
export async function viaConnect(
  proxyPort: number,
  host: string,
  port: number,
  o: Via = {},
): Promise<{ connect: Answer; inner?: Answer }> {
  const sock = await open(proxyPort);
  sock.write(
    [`CONNECT ${host}:${port} HTTP/1.1`, `Host: ${host}:${port}`, ...basic(o.user), "", ""].join("\r\n"),
  );
  const { head, rest } = await readHead(sock);
  const connectAnswer = parseResponse(`${head}\r\n\r\n`);
  if (connectAnswer.status !== 200) {
    const whole = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [rest];
      sock.on("data", (c: Buffer) => chunks.push(c));
      sock.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
      sock.resume();
    });
    return { connect: { ...connectAnswer, body: whole } };
  }
  sock.resume();
  const inner = await readResponse(
    sock,
    Buffer.from(
      [
        `GET ${o.path ?? "/"} HTTP/1.1`,
        `Host: ${host}`,
        ...(o.accept ? [`Accept: ${o.accept}`] : []),
        "Connection: close",
        "",
        "",
      ].join("\r\n"),
    ),
  );
  return { connect: connectAnswer, inner };
}

/** Reads exactly `n` bytes (or fewer if the proxy closes). */
function readBytes(sock: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = () => {
      sock.off("data", onData);
      sock.off("close", done);
      sock.pause();
      const out = buf.subarray(0, n);
      if (buf.length > n) sock.unshift(buf.subarray(n));
      resolve(out);
    };
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= n) done();
    };
    sock.on("data", onData);
    sock.once("close", done);
    sock.resume();
  });
}

export interface SocksResult {
  /** RFC 1929 status when username/password was used (0 ok). */
  auth?: number;
  /** RFC 1928 reply code, when the proxy got that far. */
  reply?: number;
  bound?: string;
  inner?: Answer;
}

/** SOCKS5 by hand: greeting, optional username, CONNECT to an IPv4 address or a domain name, GET. */
export async function viaSocks(
  proxyPort: number,
  host: string,
  port: number,
  o: Via = {},
): Promise<SocksResult> {
  const sock = await open(proxyPort);
  const out: SocksResult = {};
  sock.write(Buffer.from(o.user === undefined ? [5, 1, 0x00] : [5, 1, 0x02]));
  const [, method] = await readBytes(sock, 2);
  if (method === 0x02) {
    const u = Buffer.from(o.user ?? "");
    sock.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([1, 0x78])]));
    const [, status = 0xff] = await readBytes(sock, 2);
    out.auth = status;
    if (status !== 0) {
      sock.destroy();
      return out;
    }
  }
  const ipv4 = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  const addr = ipv4
    ? Buffer.from([0x01, ...host.split(".").map(Number)])
    : Buffer.concat([Buffer.from([0x03, Buffer.byteLength(host)]), Buffer.from(host)]);
  sock.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])]));
  const reply = await readBytes(sock, 10);
  out.reply = reply[1];
  out.bound = [...reply.subarray(4, 8)].join(".");
  if (out.reply !== 0) {
    sock.destroy();
    return out;
  }
  out.inner = await readResponse(
    sock,
    Buffer.from(`GET ${o.path ?? "/"} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  return out;
}

/** Every TCP connect this process makes while recording (host, port), through `Socket#connect`. */
export function recordConnects(): { calls: Array<{ host: string; port: number }>; stop(): void } {
  const calls: Array<{ host: string; port: number }> = [];
  const original = Socket.prototype.connect;
  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    // net.connect() passes its normalized arguments as one array.
    const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    if (typeof first === "object" && first !== null) {
      const o = first as { host?: string; port?: number; path?: string | null };
      // TLS sockets (ARM) normalise to path: null.
      if (o.path == null) calls.push({ host: o.host ?? "localhost", port: Number(o.port) });
    } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
      calls.push({ host: typeof second === "string" ? second : "localhost", port: Number(first) });
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;
  return {
    calls,
    stop: () => {
      Socket.prototype.connect = original;
    },
  };
}

export const isLoopback = (host: string): boolean =>
  /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1" || host === "localhost";
