/**
 * `--metrics-addr host:port`: where `approve --watch` serves /metrics, /healthz and /readyz. The
 * host is an IP address written out: a loopback one (127.0.0.0/8, ::1, `localhost`) by default,
 * every interface only when asked in so many words (`0.0.0.0:9464`, `[::]:9464`, or the pod's own
 * address). A bare `:9464`, which Go programs read as "every interface", is refused: listening
 * beyond the machine is never implied. IPv6 goes in brackets, as in a URL: `[::1]:9464`.
 */
import { isIP } from "node:net";
import { usageError } from "./errors.js";

export interface MetricsAddr {
  host: string;
  port: number;
  /** Reachable from other machines (not a loopback address). */
  exposed: boolean;
}

const HINT =
  "Give host:port, e.g. --metrics-addr 127.0.0.1:9464 (this machine only) or 0.0.0.0:9464 (every interface: in a pod, for Prometheus).";

export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

export function parseMetricsAddr(raw: string): MetricsAddr {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(raw.trim());
  const host = m ? (m[1] ?? m[2] ?? "") : "";
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw usageError(`--metrics-addr ${JSON.stringify(raw)} is not host:port.`, HINT);
  }
  if (host === "") {
    throw usageError(
      `--metrics-addr ${JSON.stringify(raw)} names no host: plsctl does not listen beyond this machine unless told so.`,
      `Write the address out: 127.0.0.1:${port} for this machine only, 0.0.0.0:${port} for every interface.`,
    );
  }
  if (host !== "localhost" && isIP(host) === 0) {
    throw usageError(`--metrics-addr ${JSON.stringify(raw)}: the host must be an IP address.`, HINT);
  }
  return { host, port, exposed: !isLoopback(host) };
}
