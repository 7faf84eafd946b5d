/**
 * A TCP tunnel through an HTTP CONNECT proxy on loopback — the sandbox's partner network
 * (`PLSCTL_SANDBOX_PROXY`), which `plsctl verify` uses to reach a private endpoint. It dials the
 * proxy and nothing else: a proxy URL whose host is not 127.0.0.0/8, ::1 or localhost is refused
 * before any socket opens, so no code path here can reach a private-range address directly.
 */
import { connect, isIP, type Socket } from "node:net";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";

export interface Tunnel {
  /** The tunnel, ready for the protocol to the destination (HTTP, say). */
  socket: Socket;
  /** `host:port` as asked for. */
  target: string;
  /** The proxy's answer line, e.g. `HTTP/1.1 200 Connection established`. */
  statusLine: string;
  /** What the proxy resolved a name to (`X-Sandbox-Resolved-Address`), when it says. */
  resolved?: string[];
}

/** The proxy answered CONNECT with something else than 200: why, as it says. */
export class TunnelRefused extends PlsctlError {
  constructor(
    message: string,
    readonly status: number,
    /** `X-Sandbox-Failure`: not-approved, port-refused, dropped, unknown-address, … */
    readonly kind: string | undefined,
    /** `X-Sandbox-Reason`, else the status line. */
    readonly reason: string,
    readonly resolved: string[] | undefined,
  ) {
    super(message, {
      exitCode: status === 504 ? ExitCode.Timeout : ExitCode.Failed,
      code: `Proxy${status || "Error"}`,
    });
  }
}

const header = (head: string, name: string): string | undefined =>
  new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(head)?.[1]?.trim();

const addresses = (v: string | undefined): string[] | undefined =>
  v === undefined ? undefined : v.split(",").flatMap((a) => (a.trim() ? [a.trim()] : []));

export interface TunnelOptions {
  signal?: AbortSignal;
  /** How long the proxy may take to answer (default 10 s). */
  timeoutMs?: number;
}

const MAX_HEAD = 16 * 1024;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/** The proxy's host, port and (optional) user from `http://[user@]127.0.0.1:port`. */
export function parseProxyUrl(proxyUrl: string): { host: string; port: number; user?: string } {
  let u: URL;
  try {
    u = new URL(proxyUrl);
  } catch {
    throw usageError(
      `The proxy URL ${JSON.stringify(proxyUrl)} is not a URL.`,
      "Use http://127.0.0.1:<port>.",
    );
  }
  if (u.protocol !== "http:")
    throw usageError(`The proxy URL ${proxyUrl} is not http://: only HTTP CONNECT proxies are supported.`);
  if (!isLoopbackHost(u.hostname))
    throw usageError(
      `The proxy ${u.hostname} is not on this machine: plsctl only tunnels through a loopback proxy (127.0.0.1, ::1).`,
      'Use the sandbox\'s partner network: eval "$(plsctl sandbox env --as partner)".',
    );
  const port = Number(u.port || 80);
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port, ...(user ? { user } : {}) };
}

/** Opens `CONNECT host:port` through the loopback proxy; rejects with the proxy's reason. */
export function openTunnel(
  proxyUrl: string,
  host: string,
  port: number,
  o: TunnelOptions = {},
): Promise<Tunnel> {
  const proxy = parseProxyUrl(proxyUrl);
  const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const auth = proxy.user
    ? [`Proxy-Authorization: Basic ${Buffer.from(`${proxy.user}:`).toString("base64")}`]
    : [];
  return new Promise<Tunnel>((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(timeout()), o.timeoutMs ?? 10_000);
    const onAbort = () => fail(new PlsctlError("Interrupted.", { exitCode: ExitCode.Interrupted }));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    const onError = (err: Error) =>
      fail(new PlsctlError(`Cannot reach the proxy ${proxyUrl}: ${err.message}.`));
    const onClose = () => fail(new PlsctlError(`The proxy ${proxyUrl} closed the connection.`));
    function done() {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
    }
    function fail(err: Error) {
      done();
      socket.destroy();
      reject(err);
    }
    const timeout = () =>
      new PlsctlError(`The proxy ${proxyUrl} did not answer CONNECT ${target} in time.`, {
        exitCode: ExitCode.Timeout,
        code: "Timeout",
      });
    function onData(chunk: Buffer) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > MAX_HEAD) fail(new PlsctlError(`The proxy ${proxyUrl} sent no valid answer.`));
        return;
      }
      const text = head.subarray(0, end).toString("latin1");
      const statusLine = text.split("\r\n")[0] ?? "";
      const status = Number(statusLine.split(" ")[1]);
      const resolved = addresses(header(text, "x-sandbox-resolved-address"));
      if (status === 200) {
        done();
        socket.pause();
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve({ socket, target, statusLine, ...(resolved ? { resolved } : {}) });
        return;
      }
      const why = header(text, "x-sandbox-reason") ?? statusLine;
      fail(
        new TunnelRefused(
          `Cannot reach ${target} through ${proxyUrl}: ${why}`,
          status,
          header(text, "x-sandbox-failure"),
          why,
          resolved,
        ),
      );
    }
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    socket.once("connect", () =>
      socket.write([`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, ...auth, "", ""].join("\r\n")),
    );
  });
}
