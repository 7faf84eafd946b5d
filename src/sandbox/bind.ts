/**
 * Where the sandbox's servers listen: loopback only. Its tokens, CA key and admin endpoints are
 * for this machine; an address other programs on the network could reach is refused.
 */

export class BindAddressError extends Error {}

const ALLOWED: Record<string, "127.0.0.1"> = { "127.0.0.1": "127.0.0.1", localhost: "127.0.0.1" };
const IPV6_LOOPBACK = new Set(["::1", "[::1]", "0:0:0:0:0:0:0:1"]);

/**
 * The address to listen on for `host` (default 127.0.0.1); throws BindAddressError for any other.
 * ::1 is loopback too, but refused for now: clients given `https://[::1]:port` check the server
 * certificate against the bracketed name `[::1]`, which no certificate matches.
 */
export function loopbackHost(host: string | undefined): "127.0.0.1" {
  if (host === undefined) return "127.0.0.1";
  if (IPV6_LOOPBACK.has(host.trim().toLowerCase())) {
    throw new BindAddressError(
      "the sandbox listens on 127.0.0.1 (or localhost) only; ::1 is not supported, because clients check its certificate against the name [::1], which fails",
    );
  }
  const h = ALLOWED[host.trim().toLowerCase()];
  if (!h) {
    throw new BindAddressError(
      `the sandbox listens on loopback only (127.0.0.1 or localhost), not ${JSON.stringify(host)}: its tokens and admin endpoints must not be reachable from the network`,
    );
  }
  return h;
}

/** `https://127.0.0.1:<port>`. */
export function httpsUrl(host: "127.0.0.1", port: number): string {
  return `https://${host}:${port}`;
}
