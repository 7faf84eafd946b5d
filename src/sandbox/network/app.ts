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
 * - A connection that starts with a PROXY protocol v2 header (the PLS has proxy protocol on) is
 *   decoded first, as an app behind such a PLS must: its Azure LINKID TLV is answered in
 *   `X-Sandbox-Link-Id` and in whoami's `linkIdentifier`, its source in whoami's `proxyProtocol`.
 *   Without a header, neither appears. A malformed header closes the connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { azureLinkId, decodeProxyV2, type ProxyV2Header } from "./proxy-v2.js";
import type { Route } from "./route.js";

export const HEADERS = {
  pod: "X-Sandbox-Pod",
  namespace: "X-Sandbox-Namespace",
  node: "X-Sandbox-Node",
  sourceIp: "X-Sandbox-Source-Ip",
  linkId: "X-Sandbox-Link-Id",
} as const;

/** What the app saw of one connection: its route, and the PROXY protocol header it started with. */
interface Seen {
  route: Route;
  proxy?: ProxyV2Header;
}

const linkIdOf = (s: Seen) => {
  const id = s.proxy ? azureLinkId(s.proxy.tlvs) : undefined;
  return id === undefined ? undefined : String(id);
};

export const HELLOWORLD_TITLE = "Welcome to Azure Kubernetes Service (AKS)";
const isHelloworld = (image: string) => /(^|\/)azuredocs\/aks-helloworld(:|@|$)/.test(image);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function whoami(s: Seen) {
  const r = s.route;
  const linkIdentifier = linkIdOf(s);
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
    ...(r.pod.cluster ? { cluster: r.pod.cluster } : {}),
    ...(linkIdentifier !== undefined ? { linkIdentifier } : {}),
    ...(s.proxy?.source
      ? { proxyProtocol: { source: s.proxy.source, destination: s.proxy.destination } }
      : {}),
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

function answer(s: Seen, req: IncomingMessage, res: ServerResponse): void {
  const r = s.route;
  const linkId = linkIdOf(s);
  if (linkId !== undefined) res.setHeader(HEADERS.linkId, linkId);
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
  const body = json ? `${JSON.stringify(whoami(s), null, 2)}\n` : page(r);
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

/**
 * Reads a PROXY protocol v2 header off the start of `stream`, if it has one, and hands the stream
 * on (`then`) with every byte after the header still to be read. A malformed header: the stream is
 * destroyed, as a proxy-protocol-aware server drops such a connection.
 */
function takeProxyHeader(stream: Duplex, then: (header: ProxyV2Header | undefined) => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const r = decodeProxyV2(buffered);
    if ("incomplete" in r) return;
    stream.off("data", onData);
    stream.pause();
    if ("error" in r) {
      stream.destroy();
      return;
    }
    const header = "header" in r ? r.header : undefined;
    const rest = "header" in r ? buffered.subarray(r.length) : buffered;
    if (rest.length > 0) stream.unshift(rest);
    then(header);
    stream.resume();
  };
  stream.on("data", onData);
}

export function startPodApp(): PodApp {
  const seen = new WeakMap<object, Seen>();
  const server = createServer((req, res) => {
    const s = seen.get(req.socket);
    if (!s) {
      res.writeHead(500).end();
      return;
    }
    answer(s, req, res);
  });
  const open = new Set<Duplex>();
  return {
    serve(route, stream) {
      open.add(stream);
      stream.once("close", () => open.delete(stream));
      takeProxyHeader(stream, (proxy) => {
        seen.set(stream, { route, ...(proxy ? { proxy } : {}) });
        server.emit("connection", stream);
      });
    },
    close() {
      for (const s of open) s.destroy();
      open.clear();
      server.close();
    },
  };
}
