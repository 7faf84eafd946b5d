/**
 * The HTTP side of the partner proxy: `CONNECT host:port` (tunnels: `curl --proxytunnel`,
 * `https://` through a proxy) and absolute-form requests (`GET http://10.0.0.4/ HTTP/1.1`, what
 * `curl --proxy http://… http://…` sends), one request per connection for the latter. The
 * client's VNet is the user of `Proxy-Authorization: Basic` (the proxy URL's user part).
 */
import { HandshakeError } from "./reader.js";

export interface ProxyHead {
  method: string;
  /** CONNECT: host and port of the authority; absolute-form: of the URL (port 80 by default). */
  host: string;
  port: number;
  user: string | undefined;
  /** Absolute-form only: the request rewritten to origin-form, `Connection: close`, no Proxy-*. */
  forward?: Buffer;
}

/** Parses `host:port`, `[v6]:port` (refused later as unknown) and bare hosts. */
function authority(s: string, defaultPort: number): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(s);
  if (!m?.[1]) throw new HandshakeError(`"${s}" is not host:port`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new HandshakeError(`port ${m[2]} is out of range`);
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

function proxyUser(value: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value ?? "");
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const user = decoded.split(":")[0];
  return user === "" ? undefined : user;
}

export function parseProxyHead(head: Buffer): ProxyHead {
  const lines = head.toString("latin1").split("\r\n");
  const [method = "", target = "", version = ""] = (lines[0] ?? "").split(" ");
  if (!/^HTTP\/1\.[01]$/.test(version)) throw new HandshakeError("not an HTTP/1.x request");
  const headers = lines.slice(1).filter((l) => l !== "");
  const header = (name: string) =>
    headers
      .find((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim();
  const user = proxyUser(header("Proxy-Authorization"));
  if (method === "CONNECT") return { method, ...authority(target, 443), user };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new HandshakeError(
      `"${target}" is not an absolute URL: this is a proxy (use it with curl --proxy, or CONNECT host:port)`,
    );
  }
  if (url.protocol !== "http:")
    throw new HandshakeError(
      `${url.protocol}// is not proxied in absolute form: use CONNECT (curl --proxytunnel)`,
    );
  const { host, port } = authority(url.host, 80);
  const kept = headers.filter((h) => !/^(proxy-[a-z-]*|connection|keep-alive):/i.test(h));
  const forward = Buffer.from(
    [`${method} ${url.pathname}${url.search} ${version}`, ...kept, "Connection: close", "", ""].join("\r\n"),
    "latin1",
  );
  return { method, host, port, user, forward };
}

/** A short answer from the proxy itself; the reason goes in `X-Sandbox-Reason` and the body. */
export function proxyAnswer(status: number, text: string, reason: string, extra: string[] = []): Buffer {
  const body = `${reason}\n`;
  const oneLine = reason.replace(/[\r\n]+/g, " ");
  return Buffer.from(
    [
      `HTTP/1.1 ${status} ${text}`,
      `X-Sandbox-Reason: ${oneLine}`,
      "Content-Type: text/plain; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Connection: close",
      ...extra,
      "",
      body,
    ].join("\r\n"),
    "utf8",
  );
}
