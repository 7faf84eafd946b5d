/**
 * Where the sandbox's servers listen: loopback only. Its tokens, CA key and admin endpoints are
 * for this machine; an address other programs on the network could reach is refused.
 */

export class BindAddressError extends Error {}

const ALLOWED: Record<string, "127.0.0.1" | "::1"> = {
  "127.0.0.1": "127.0.0.1",
  localhost: "127.0.0.1",
  "::1": "::1",
  "[::1]": "::1",
};

/** The address to listen on for `host` (default 127.0.0.1); throws BindAddressError for any other. */
export function loopbackHost(host: string | undefined): "127.0.0.1" | "::1" {
  if (host === undefined) return "127.0.0.1";
  const h = ALLOWED[host.trim().toLowerCase()];
  if (!h) {
    throw new BindAddressError(
      `the sandbox listens on loopback only (127.0.0.1, ::1 or localhost), not ${JSON.stringify(host)}: its tokens and admin endpoints must not be reachable from the network`,
    );
  }
  return h;
}

/** `https://127.0.0.1:<port>` or `https://[::1]:<port>`. */
export function httpsUrl(host: "127.0.0.1" | "::1", port: number): string {
  return `https://${host === "::1" ? "[::1]" : host}:${port}`;
}
