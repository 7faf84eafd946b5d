/**
 * A small ARM JSON client over node:https, as the cloud controller uses ARM: bearer token, the
 * sandbox CA, api-version 2026-01-01 for Microsoft.Network, long-running operations polled through
 * `Azure-AsyncOperation` (else `Location`), honouring `Retry-After`. Non-2xx answers and failed
 * operations become `ArmResponseError`s carrying azcore's error text.
 */
import { request as httpsRequest } from "node:https";
import { realClock, type SandboxClock } from "../clock.js";
import { ArmResponseError, armError } from "./messages.js";

export const NETWORK_API_VERSION = "2026-01-01";

export interface ArmClientOptions {
  url: string;
  token: string;
  caCertPem: string;
  /** Poll interval when the service sends no Retry-After (the CCM uses 5 s). */
  pollIntervalMs: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Paces polls and retries (default: real time). */
  clock?: SandboxClock;
}

export interface ArmResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface ArmClient {
  /** GET; undefined on 404, ArmResponseError on any other failure. */
  get<T>(path: string): Promise<T | undefined>;
  /** GET that throws on 404 too. */
  getStrict<T>(path: string): Promise<T>;
  /** GET a collection, following nextLink. */
  list<T>(path: string): Promise<T[]>;
  /** PUT and wait for the long-running operation; returns the final resource. */
  put<T>(path: string, body: unknown): Promise<T>;
  /** DELETE and wait for the long-running operation. 404 counts as done. */
  delete(path: string): Promise<void>;
}

/** Resolves after `ms` of real time, or at once when `signal` aborts. */
export const sleep = realClock.sleep;

function header(res: ArmResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After in ms (seconds or HTTP date); undefined when absent or zero. */
function retryAfterMs(res: ArmResponse, now: number): number | undefined {
  const v = header(res, "retry-after");
  if (v === undefined) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return secs > 0 ? secs * 1000 : undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What every request of one client shares: its options, base URL and clock. */
interface Wire {
  opts: ArmClientOptions;
  base: string;
  wait(ms: number): Promise<void>;
  /** The answer's Retry-After in ms, on the client's clock. */
  retryAfter(res: ArmResponse): number | undefined;
}

function absolute(w: Wire, pathOrUrl: string, addVersion: boolean): string {
  const u = new URL(pathOrUrl.startsWith("http") ? pathOrUrl : `${w.base}${pathOrUrl}`);
  if (addVersion && !u.searchParams.has("api-version"))
    u.searchParams.set("api-version", NETWORK_API_VERSION);
  return u.toString();
}

function send(w: Wire, method: string, url: string, body?: unknown): Promise<ArmResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpsRequest(
      url,
      {
        method,
        ca: w.opts.caCertPem,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${w.opts.token}`,
          "user-agent": "cloud-provider-azure (plsctl sandbox)",
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Send, retrying throttling/transient answers a few times like the SDK's retry policy. */
async function call(w: Wire, method: string, url: string, body?: unknown): Promise<ArmResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await send(w, method, url, body);
    const transient = res.status === 429 || res.status >= 500;
    if (!transient || attempt >= 3) return res;
    w.opts.log?.(`controller: ARM ${method} ${new URL(url).pathname} answered ${res.status}; retrying`);
    await w.wait(w.retryAfter(res) ?? Math.min(w.opts.pollIntervalMs, 1000) * (attempt + 1));
  }
}

function fail(method: string, url: string, res: ArmResponse): never {
  throw armError(method, url, res.status, res.text);
}

function parse<T>(res: ArmResponse): T {
  return (res.text ? JSON.parse(res.text) : {}) as T;
}

/** Polls an Azure-AsyncOperation URL until the operation succeeds; throws when it fails or is canceled. */
async function pollAsyncOperation(w: Wire, aao: string): Promise<void> {
  let delay = 0; // the first poll is immediate
  for (;;) {
    await w.wait(delay);
    const pollUrl = absolute(w, aao, false);
    const poll = await call(w, "GET", pollUrl);
    if (poll.status >= 400) fail("GET", pollUrl, poll);
    const status = String(parse<{ status?: string }>(poll).status ?? "").toLowerCase();
    if (status.includes("succeeded")) return;
    if (status.includes("fail") || status.includes("cancel")) fail("GET", pollUrl, poll);
    delay = w.retryAfter(poll) ?? w.opts.pollIntervalMs;
  }
}

/** Polls a Location URL while it answers 202 (404 also ends it: the resource is gone). */
async function pollLocation(w: Wire, location: string): Promise<void> {
  let delay = 0; // the first poll is immediate
  for (;;) {
    await w.wait(delay);
    const pollUrl = absolute(w, location, false);
    const poll = await call(w, "GET", pollUrl);
    if (poll.status >= 400 && poll.status !== 404) fail("GET", pollUrl, poll);
    if (poll.status !== 202) return;
    delay = w.retryAfter(poll) ?? w.opts.pollIntervalMs;
  }
}

/** Wait for an LRO started by `res`; throws when it ends Failed/Canceled. */
async function waitLro(w: Wire, res: ArmResponse): Promise<void> {
  const aao = header(res, "azure-asyncoperation") ?? header(res, "operation-location");
  const location = header(res, "location");
  if (aao) return pollAsyncOperation(w, aao);
  if (location && res.status === 202) return pollLocation(w, location);
}

async function listAll<T>(w: Wire, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = absolute(w, path, true);
  while (next) {
    const url: string = next;
    const res = await call(w, "GET", url);
    if (res.status >= 300) fail("GET", url, res);
    const page = parse<{ value?: T[]; nextLink?: string | null }>(res);
    out.push(...(page.value ?? []));
    next = page.nextLink ? absolute(w, page.nextLink, true) : undefined;
  }
  return out;
}

export function createArmClient(opts: ArmClientOptions): ArmClient {
  const clock = opts.clock ?? realClock;
  const w: Wire = {
    opts,
    base: opts.url.replace(/\/+$/, ""),
    wait: (ms) => clock.sleep(ms, opts.signal),
    retryAfter: (res) => retryAfterMs(res, clock.now()),
  };
  return {
    async get<T>(path: string) {
      const url = absolute(w, path, true);
      const res = await call(w, "GET", url);
      if (res.status === 404) return undefined;
      if (res.status >= 300) fail("GET", url, res);
      return parse<T>(res);
    },
    async getStrict<T>(path: string) {
      const url = absolute(w, path, true);
      const res = await call(w, "GET", url);
      if (res.status >= 300) fail("GET", url, res);
      return parse<T>(res);
    },
    list: <T>(path: string) => listAll<T>(w, path),
    async put<T>(path: string, body: unknown) {
      const url = absolute(w, path, true);
      const res = await call(w, "PUT", url, body);
      if (res.status >= 300) fail("PUT", url, res);
      await waitLro(w, res);
      const final = await call(w, "GET", url);
      if (final.status >= 300) fail("GET", url, final);
      return parse<T>(final);
    },
    async delete(path: string) {
      const url = absolute(w, path, true);
      const res = await call(w, "DELETE", url);
      if (res.status === 404) return;
      if (res.status >= 300) fail("DELETE", url, res);
      await waitLro(w, res);
    },
  };
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ArmResponseError && err.statusCode === 404;
}
