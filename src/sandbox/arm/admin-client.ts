/**
 * The client side of the `/_sandbox/*` admin endpoints, for plsctl's own commands: reads the admin
 * token from the state directory and talks HTTPS to the running sandbox with its CA. Loopback only.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { ADMIN, TOKENS_FILE } from "./auth.js";

export class AdminRequestError extends Error {}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export interface AdminTarget {
  stateDir: string;
  /** `https://127.0.0.1:<port>` (the runtime's arm.url, or kube.url for the Kubernetes emulator's faults). */
  url: string;
  caFile: string;
}

function adminToken(stateDir: string): string {
  const file = join(stateDir, TOKENS_FILE);
  let tokens: Record<string, string>;
  try {
    tokens = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  } catch (e) {
    throw new AdminRequestError(`cannot read the sandbox's tokens in ${file}: ${(e as Error).message}`);
  }
  const token = tokens[ADMIN];
  if (!token) throw new AdminRequestError(`${file} holds no admin token`);
  return token;
}

/** One admin request; resolves with the parsed JSON body (undefined for 204). */
export function adminRequest(t: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = new URL(`/_sandbox/${path}`, t.url);
  if (url.protocol !== "https:" || !LOOPBACK.has(url.hostname)) {
    return Promise.reject(
      new AdminRequestError(`the sandbox's ARM endpoint ${t.url} is not an https loopback address`),
    );
  }
  let ca: Buffer;
  let token: string;
  try {
    ca = readFileSync(t.caFile);
    token = adminToken(t.stateDir);
  } catch (e) {
    return Promise.reject(e instanceof AdminRequestError ? e : new AdminRequestError((e as Error).message));
  }
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const req = request(url, { method, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status >= 300) {
          reject(
            new AdminRequestError(`${method} ${url.pathname} answered ${status}: ${text.slice(0, 200)}`),
          );
          return;
        }
        try {
          resolve(text ? JSON.parse(text) : undefined);
        } catch {
          reject(new AdminRequestError(`${method} ${url.pathname} answered something that is not JSON`));
        }
      });
      res.on("error", (e) => reject(new AdminRequestError(e.message)));
    });
    req.on("error", (e) => reject(new AdminRequestError(e.message)));
    req.end(payload);
  });
}
