/**
 * ARM requests that no SDK in plsctl's dependencies covers (Microsoft.Authorization, subscriptions,
 * the private endpoint connections of PaaS resources),
 * sent through the network client's pipeline: the same credential, endpoint, TLS options, user
 * agent and retry policy (retry.ts) as every other request, without another SDK in the bundle.
 * A non-2xx answer becomes the SDK's RestError, so errors.ts words it like any other.
 */
import {
  createDefaultHttpClient,
  createPipelineRequest,
  type HttpClient,
  RestError,
} from "@azure/core-rest-pipeline";
import { type Azure, armOf } from "./handle.js";

let httpClient: HttpClient | undefined;

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** GET `path` (an ARM path, or an absolute nextLink) with `api-version`; the parsed JSON body. */
export async function armGet(azure: Azure, path: string, apiVersion: string): Promise<unknown> {
  return (await armSend(azure, "GET", path, apiVersion)).body;
}

/** An answer of armSend: status, the parsed body, and the headers a long-running operation needs. */
export interface ArmAnswer {
  status: number;
  body: unknown;
  header(name: string): string | undefined;
}

/**
 * One request (GET, PUT with a JSON body, DELETE) to an ARM path or absolute URL; a non-2xx answer
 * is thrown as the SDK's RestError. A 202's monitor (Azure-AsyncOperation / Location) is polled by
 * the caller (armAwait).
 */
export async function armSend(
  azure: Azure,
  method: "GET" | "PUT" | "DELETE",
  path: string,
  apiVersion: string,
  json?: unknown,
): Promise<ArmAnswer> {
  const arm = armOf(azure);
  const url = /^https:\/\//i.test(path)
    ? path
    : `${azure.endpoint}${path}${path.includes("?") ? "&" : "?"}api-version=${encodeURIComponent(apiVersion)}`;
  const request = createPipelineRequest({ url, method, abortSignal: arm.signal });
  request.headers.set("accept", "application/json");
  if (json !== undefined) {
    request.headers.set("content-type", "application/json");
    request.body = JSON.stringify(json);
  }
  const sub = /\/subscriptions\/([^/?]+)/i.exec(url)?.[1] ?? azure.subscription ?? "none";
  httpClient ??= createDefaultHttpClient();
  const response = await arm.network(sub).pipeline.sendRequest(httpClient, request);
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status >= 200 && response.status < 300)
    return { status: response.status, body, header: (name) => response.headers.get(name) };
  const e = (body as ErrorBody | undefined)?.error;
  throw new RestError(e?.message ?? `HTTP ${response.status}`, {
    ...(e?.code ? { code: e.code } : {}),
    statusCode: response.status,
    request,
    response,
  });
}

/** Every item of an ARM list (`value`, following `nextLink`). */
export async function armList(azure: Azure, path: string, apiVersion: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let next: string | undefined = path;
  for (let page = 0; next && page < 1000; page++) {
    const body = (await armGet(azure, next, apiVersion)) as
      | { value?: unknown[]; nextLink?: string }
      | undefined;
    out.push(...(body?.value ?? []));
    next = body?.nextLink ?? undefined;
  }
  return out;
}
