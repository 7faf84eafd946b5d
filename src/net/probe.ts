/**
 * The sockets of `plsctl verify` that are not the sandbox tunnel (tunnel.ts): resolving a name with
 * the system resolver, dialling an address directly (the real product, run on a VM in the
 * partner's VNet), and one HTTP/1.1 GET over an open socket (direct or tunnelled). Failures come
 * back as data, because for verify they are findings, not errors.
 */
import { lookup } from "node:dns/promises";
import { type ClientRequest, request } from "node:http";
import { connect, isIP, type Socket } from "node:net";

export type DialFailure = { kind: "refused" | "timeout" | "unreachable"; reason: string };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const errCode = (err: unknown): string => String((err as { code?: string }).code ?? "");
const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The addresses the system resolver gives `name` ([] when it has none). */
export async function resolveAddresses(name: string): Promise<string[] | { error: string }> {
  if (isIP(name)) return [name];
  try {
    return (await lookup(name, { all: true })).map((a) => a.address);
  } catch (err) {
    const code = errCode(err);
    if (code === "ENOTFOUND" || code === "ENODATA") return [];
    return { error: `${code || "lookup failed"}: ${errText(err)}` };
  }
}

/** A TCP connection to `address:port` (an IP), or why it did not open. */
export function dial(
  address: string,
  port: number,
  o: { timeoutMs: number; signal?: AbortSignal },
): Promise<Socket | DialFailure> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => {
      finish();
      socket.destroy();
      resolve({ kind: "timeout", reason: `no answer in ${o.timeoutMs} ms` });
    }, o.timeoutMs);
    const onAbort = () => {
      finish();
      socket.destroy();
      reject(o.signal?.reason);
    };
    const finish = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("error");
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      finish();
      socket.on("error", () => {});
      resolve(socket);
    });
    socket.once("error", (err) => {
      finish();
      const code = errCode(err);
      resolve(
        code === "ECONNREFUSED"
          ? { kind: "refused", reason: "connection refused (nothing listens on that port)" }
          : code === "ETIMEDOUT"
            ? { kind: "timeout", reason: errText(err) }
            : { kind: "unreachable", reason: `${code || "error"}: ${errText(err)}` },
      );
    });
  });
}

/** `GET path` over `socket` (closed afterwards); the body cut at `maxBody` characters. */
export function httpGet(
  socket: Socket,
  host: string,
  path: string,
  o: { timeoutMs: number; maxBody: number; signal?: AbortSignal },
): Promise<HttpAnswer | { error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: HttpAnswer | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done({ error: `no answer in ${o.timeoutMs} ms` }), o.timeoutMs);
    const req: ClientRequest = request({
      method: "GET",
      path,
      headers: { Host: host, Accept: "*/*", "User-Agent": "plsctl-verify", Connection: "close" },
      createConnection: () => socket,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    req.on("error", (err) => done({ error: errText(err) }));
    req.on("response", (res) => {
      let body = "";
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const answer = () => ({ status: res.statusCode ?? 0, headers, body: body.slice(0, o.maxBody) });
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (body.length >= o.maxBody) done(answer());
      });
      res.on("end", () => done(answer()));
      res.on("error", () => done(answer()));
    });
    req.end();
    // A tunnel comes back paused (tunnel.ts): the HTTP parser's 'data' listener does not resume it.
    socket.resume();
  });
}
