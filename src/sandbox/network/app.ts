/**
 * The small HTTP app every sandbox pod "serves" on its container ports. One `http.Server` that
 * never listens: the proxy hands it one end of an in-process stream pair per routed connection,
 * with the route (pod, source address) attached.
 *
 * - GET/HEAD of any path: the sample app's page for `mcr.microsoft.com/azuredocs/aks-helloworld*`
 *   (its TITLE variable, else "Welcome to Azure Kubernetes Service (AKS)"), else a page naming the
 *   pod; JSON (`whoami`) with `Accept: application/json` or at `/_sandbox/whoami`.
 * - Every response carries `X-Sandbox-Pod`, `X-Sandbox-Namespace`, `X-Sandbox-Node` and
 *   `X-Sandbox-Source-Ip` (the address the pod sees: a PLS NAT IP or a node IP).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Route } from "./route.js";

export const HEADERS = {
  pod: "X-Sandbox-Pod",
  namespace: "X-Sandbox-Namespace",
  node: "X-Sandbox-Node",
  sourceIp: "X-Sandbox-Source-Ip",
} as const;

export const HELLOWORLD_TITLE = "Welcome to Azure Kubernetes Service (AKS)";
const isHelloworld = (image: string) => /(^|\/)azuredocs\/aks-helloworld(:|@|$)/.test(image);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function whoami(r: Route) {
  return {
    pod: r.pod.name,
    namespace: r.pod.namespace,
    node: r.pod.node,
    podIp: r.pod.ip,
    port: r.podPort,
    sourceIp: r.sourceIp,
    sourceKind: r.sourceKind,
    service: `${r.service.namespace}/${r.service.name}`,
    privateEndpoint: r.endpointId,
  };
}

function page(r: Route): string {
  if (isHelloworld(r.pod.image)) {
    const title = escapeHtml(r.pod.env.TITLE ?? HELLOWORLD_TITLE);
    return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
  <div id="container">
    <h1>${title}</h1>
    <p>Served by pod ${escapeHtml(r.pod.name)} (plsctl sandbox)</p>
  </div>
</body>
</html>
`;
  }
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${escapeHtml(r.pod.name)}</title></head>
<body>
  <h1>Hello from pod ${escapeHtml(r.pod.namespace)}/${escapeHtml(r.pod.name)}</h1>
  <p>Port ${r.podPort}, node ${escapeHtml(r.pod.node)}, source address ${escapeHtml(r.sourceIp)} (plsctl sandbox)</p>
</body>
</html>
`;
}

function answer(r: Route, req: IncomingMessage, res: ServerResponse): void {
  res.setHeader(HEADERS.pod, r.pod.name);
  res.setHeader(HEADERS.namespace, r.pod.namespace);
  res.setHeader(HEADERS.node, r.pod.node);
  res.setHeader(HEADERS.sourceIp, r.sourceIp);
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
    res.end("Method not allowed\n");
    return;
  }
  const path = (req.url ?? "/").split("?")[0];
  const json = path === "/_sandbox/whoami" || /application\/json/i.test(req.headers.accept ?? "");
  const body = json ? `${JSON.stringify(whoami(r), null, 2)}\n` : page(r);
  res.writeHead(200, {
    "Content-Type": json ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(method === "HEAD" ? undefined : body);
}

export interface PodApp {
  /** Serves one connection routed to `route` over `stream` (the far end of the client's). */
  serve(route: Route, stream: Duplex): void;
  close(): void;
}

export function startPodApp(): PodApp {
  const routes = new WeakMap<object, Route>();
  const server = createServer((req, res) => {
    const r = routes.get(req.socket);
    if (!r) {
      res.writeHead(500).end();
      return;
    }
    answer(r, req, res);
  });
  const open = new Set<Duplex>();
  return {
    serve(route, stream) {
      routes.set(stream, route);
      open.add(stream);
      stream.once("close", () => open.delete(stream));
      server.emit("connection", stream);
    },
    close() {
      for (const s of open) s.destroy();
      open.clear();
      server.close();
    },
  };
}
