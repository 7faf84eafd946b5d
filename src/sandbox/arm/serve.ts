/**
 * One HTTPS request to the ARM emulator: its body read, long-running operations settled, then
 * either a `/_sandbox/*` admin endpoint or the ARM pipeline (pipeline.ts); the reply carries ARM's
 * request-id, correlation and caching headers.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAdmin } from "./admin.js";
import { adminDeps, type Live } from "./live.js";
import { settleOperations } from "./lro.js";
import { handle } from "./pipeline.js";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The path's segments, percent-decoded where they decode. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const CANNOT_PARSE = {
  error: { code: "InvalidRequestFormat", message: "Cannot parse the request.", details: [] },
};

/** An ARM request through the pipeline: dropped (a fault), or answered. */
async function serveArm(
  live: Live,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  request: { url: URL; segs: string[]; text: string },
): Promise<void> {
  let body: unknown;
  if (request.text.trim() !== "") {
    try {
      body = JSON.parse(request.text);
    } catch {
      return send(res, 400, CANNOT_PARSE, {}, requestId);
    }
  }
  const path = `/${request.segs.join("/")}`;
  const headers = req.headers as Record<string, string | string[] | undefined>;
  const method = req.method ?? "GET";
  const out = await handle(
    live.deps,
    { method, path, query: request.url.searchParams, headers, body },
    request.segs,
  );
  const log = live.opts.log;
  if ("drop" in out) {
    log?.(`arm: fault drop ${req.method} ${path}`);
    req.socket.destroy();
    return;
  }
  const { reply } = out;
  log?.(`arm: ${req.method} ${path} -> ${reply.status} (${out.operation})`);
  const clientReq = req.headers["x-ms-client-request-id"];
  const correlation = typeof clientReq === "string" ? clientReq : undefined;
  send(res, reply.status, reply.body, reply.headers ?? {}, requestId, correlation);
}

export async function onRequest(live: Live, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    const text = await readBody(req);
    const url = new URL(req.url ?? "/", live.base);
    const segs = pathSegments(url.pathname);
    if (settleOperations(live.state, live.emu.now())) live.deps.save();
    if (segs[0] === "_sandbox") {
      const r = await handleAdmin(req, text, segs.slice(1), adminDeps(live));
      return send(res, r.status, r.body, {}, requestId);
    }
    await serveArm(live, req, res, requestId, { url, segs, text });
  } catch (e) {
    live.opts.log?.(`arm: internal error ${(e as Error).stack ?? String(e)}`);
    send(res, 500, { error: { code: "InternalServerError", message: String(e) } }, {}, requestId);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  requestId: string,
  correlation?: string,
): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  const h: Record<string, string> = {
    "Cache-Control": "no-cache",
    Pragma: "no-cache",
    Expires: "-1",
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": correlation ?? requestId,
    "x-ms-routing-request-id": `WESTEUROPE:${new Date().toISOString().replace(/[-:.]/g, "")}:${requestId}`,
    ...headers,
  };
  if (body !== undefined) h["Content-Type"] = "application/json; charset=utf-8";
  const etag =
    body && typeof body === "object" ? ((body as Record<string, unknown>).etag ?? undefined) : undefined;
  if (typeof etag === "string" && !h.ETag) h.ETag = etag;
  h["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(status, h);
  res.end(payload);
}
