/**
 * The HTTP endpoint of `approve --watch --metrics-addr`: GET /metrics (Prometheus text format),
 * /healthz (the process is alive: 200 while it runs) and /readyz (200 or 503, see
 * ApproverMetrics.ready). Nothing else: other paths 404, other methods 405.
 */
import { createServer, type Server } from "node:http";
import { type PlsctlError, usageError } from "../domain/errors.js";
import type { MetricsAddr } from "../domain/metrics-addr.js";
import type { ApproverMetrics } from "./metrics.js";

export interface MetricsServer {
  /** `http://host:port`, the port as bound. */
  url: string;
  close(): Promise<void>;
}

function handler(metrics: ApproverMetrics) {
  return (req: { method?: string; url?: string }, res: import("node:http").ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "GET only\n");
    if (path === "/healthz") return send(200, "text/plain", "ok\n");
    if (path === "/readyz") {
      const r = metrics.ready();
      return send(r.ok ? 200 : 503, "text/plain", `${r.ok ? "ok" : "not ready"}: ${r.why}\n`);
    }
    if (path === "/metrics") {
      metrics.text().then(
        (body) => send(200, metrics.contentType, body),
        (err: Error) => send(500, "text/plain", `${err.message}\n`),
      );
      return;
    }
    send(404, "text/plain", "not found: /metrics, /healthz, /readyz\n");
  };
}

function listenError(err: NodeJS.ErrnoException, addr: MetricsAddr): PlsctlError {
  const where = `${addr.host.includes(":") ? `[${addr.host}]` : addr.host}:${addr.port}`;
  if (err.code === "EADDRINUSE")
    return usageError(
      `--metrics-addr ${where}: the port is in use.`,
      "Pick another port, or stop what listens there.",
    );
  if (err.code === "EADDRNOTAVAIL")
    return usageError(
      `--metrics-addr ${where}: no interface of this machine has that address.`,
      "Use 127.0.0.1 (this machine) or 0.0.0.0 (every interface).",
    );
  if (err.code === "EACCES")
    return usageError(`--metrics-addr ${where}: not allowed to listen there.`, "Use a port above 1023.");
  return usageError(`--metrics-addr ${where}: cannot listen (${err.message}).`);
}

export function startMetricsServer(addr: MetricsAddr, metrics: ApproverMetrics): Promise<MetricsServer> {
  const server: Server = createServer(handler(metrics));
  // Probes and scrapes are short; a connection kept open must not hold the process at exit.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, addr)));
    server.listen({ host: addr.host, port: addr.port }, () => {
      const bound = server.address();
      const port = typeof bound === "object" && bound ? bound.port : addr.port;
      const host = addr.host.includes(":") ? `[${addr.host}]` : addr.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
