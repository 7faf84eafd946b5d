/** The Kubernetes emulator's `/_sandbox/faults` admin endpoint, and the Status a `status` fault answers. */
import type { IncomingMessage } from "node:http";
import { KubeApiError } from "./errors.js";
import { type KubeFaultRule, type KubeFaults, kubeFaultProblems } from "./faults.js";
import { readBody } from "./http.js";

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

const adminError = (status: number, message: string) => ({ status, body: { error: { message } } });

export async function handleFaultAdmin(
  req: IncomingMessage,
  adminToken: string,
  faults: KubeFaults,
): Promise<{ status: number; body?: unknown }> {
  const text = await readBody(req);
  if (!adminToken || req.headers.authorization !== `Bearer ${adminToken}`)
    return adminError(401, "The sandbox admin token is required.");
  switch (req.method) {
    case "GET":
      return { status: 200, body: faults.list() };
    case "DELETE":
      faults.clear();
      return { status: 200, body: [] };
    case "POST": {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return adminError(400, "The body is not JSON.");
      }
      const problems = kubeFaultProblems(body);
      if (problems.length) return adminError(400, problems.join("; "));
      faults.add(body as KubeFaultRule[]);
      return { status: 200, body: faults.list() };
    }
    default:
      return adminError(405, `No sandbox admin endpoint ${req.method} /_sandbox/faults.`);
  }
}

/** The Status error a `status` fault answers with, as the apiserver words its own. */
export function statusFault(f: KubeFaultRule): KubeApiError {
  const code = f.status ?? 500;
  const reason = REASONS[code];
  const err = new KubeApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: f.message ?? `injected HTTP ${code} (sandbox fault injection)`,
    ...(reason ? { reason } : {}),
    ...(f.retryAfter !== undefined ? { details: { retryAfterSeconds: f.retryAfter } } : {}),
    code,
  });
  return err;
}
