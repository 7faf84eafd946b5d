/** Small HTTP helpers: body reading (JSON or YAML), JSON responses, content negotiation. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { badRequest, KubeApiError, notAcceptable } from "./errors.js";

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a request body as JSON, or YAML when the content type says so (the apiserver accepts both). */
export function parseBody(text: string, contentType: string): unknown {
  const ct = contentType.split(";")[0]?.trim() ?? "";
  if (text.trim() === "") return undefined;
  try {
    if (ct === "application/yaml" || ct === "application/apply-patch+yaml") return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: KubeApiError): void {
  sendJson(res, e.code, e.body);
}

export function toApiError(e: unknown): KubeApiError | undefined {
  return e instanceof KubeApiError ? e : undefined;
}

export interface Negotiated {
  table: boolean;
}

/** JSON (and Table) only: a client that accepts neither gets 406, as from a server without its format. */
export function negotiate(accept: string | undefined): Negotiated {
  if (!accept || accept.trim() === "") return { table: false };
  const types = accept.split(",").map((t) => t.trim());
  for (const t of types) {
    const [media = "", ...params] = t.split(";").map((x) => x.trim());
    const p = Object.fromEntries(params.map((x) => x.split("=") as [string, string]));
    if (media !== "application/json" && media !== "*/*" && media !== "application/*") continue;
    if (p.as === "Table") {
      if (p.g === "meta.k8s.io" && (p.v === "v1" || p.v === "v1beta1")) return { table: true };
      continue;
    }
    if (p.as) continue;
    return { table: false };
  }
  throw notAcceptable();
}
