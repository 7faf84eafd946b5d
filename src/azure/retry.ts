/**
 * How plsctl's ARM requests are retried, in place of core-rest-pipeline's default retry policy
 * (which retries a refused connection three times with exponential backoff: 5.9 s before an
 * unreachable endpoint is reported).
 *
 * - 429 and 503, and `RetryableErrorDueToAnotherOperation` (409 or 429: the network provider's "the
 *   resource is locked by another operation"), are retried after the server's `x-ms-retry-after-ms`,
 *   `retry-after-ms` or `Retry-After` (seconds or an HTTP date), else after 1, 2, 4, 8, 16 s;
 *   500/502/504 (not for POST) up to 3 times. All within a time budget (60 s): past it, the last
 *   answer surfaces, marked with `x-plsctl-retried` so errors.ts can say what was tried.
 *   (learn.microsoft.com: azure-resource-manager/management/request-limits-and-throttling)
 * - A request that got no answer because the endpoint cannot be reached (refused, DNS, TLS) is
 *   never retried: that is reported at once. A connection that dropped mid-request (reset, broken
 *   pipe) is retried up to 2 times (1 s, 2 s) for the methods a replay cannot harm: GET, HEAD,
 *   DELETE, and a PUT without `If-Match` (ARM's PUT is a full create-or-replace); a conditional PUT
 *   or a POST surfaces the drop (the user re-runs).
 * - Long-running operations: the SDK's poller polls at once after the first answer and then sleeps
 *   on real timers. Here, polls wait for the server's Retry-After (the first answer's too), else
 *   2 s, on the injected clock; the Retry-After is taken off those answers so the poller does not
 *   sleep a second time (the adapters pass `updateIntervalInMs: 0`).
 * Sleeps go through the injected clock, so tests run all of this without waiting.
 */

import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { parseQuotaReset } from "../domain/fleet-query.js";
import { isDroppedConnection } from "../domain/network-errors.js";
import type { RetryNotice } from "../domain/progress.js";

export interface RetryClock {
  now(): number;
  /** Resolves after `ms`; on abort it may resolve or reject (the signal is checked after). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ArmRetryOptions {
  clock: RetryClock;
  /** How long one request may spend waiting to be retried (default ARM_RETRY_BUDGET_MS). */
  budgetMs?: number;
  /** Told before each retry (callers that pace their own work back off on "throttled"/"busy"). */
  onRetry?: (reason: "throttled" | "busy" | "server") => void;
  /** Told before each retry, dropped connections included, with what happened and the wait (for the user). */
  onNotice?: (notice: RetryNotice) => void;
  /** Told of each request's final answer, after any retries (metrics). */
  onAnswer?: (answer: ArmAnswer) => void;
}

/** A request's final answer: its method and HTTP status. */
export interface ArmAnswer {
  method: string;
  status: number;
}

/** One retry about to happen (its shape is the domain's: the progress event carries it as is). */
export type { RetryNotice };

const resourceOf = (url: string): string => {
  try {
    return new URL(url).pathname.split("/").filter(Boolean).slice(-2).join("/");
  } catch {
    return url;
  }
};

export const ARM_RETRY_BUDGET_MS = 60_000;
/** Waits when the server gives no hint. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 16_000];
const MAX_ATTEMPTS = 10;
const MAX_SERVER_ERROR_RETRIES = 3;
const MAX_DROP_RETRIES = 2;
/** Poll spacing of a long-running operation whose server sends no Retry-After (core-lro's default). */
export const LRO_POLL_MS = 2000;
/** A Retry-After beyond this is taken as this. */
const MAX_HINT_MS = 120_000;
/** Set on the last answer when retrying stopped: `<attempts> <waited ms> <next wait ms>`. */
export const RETRIED_HEADER = "x-plsctl-retried";
export const RETRYABLE_CONFLICT = "RetryableErrorDueToAnotherOperation";

/** The server's wait hint in ms: x-ms-retry-after-ms / retry-after-ms, else Retry-After (s or HTTP date). */
export function retryAfterMs(
  headers: { get(name: string): string | undefined },
  now: number,
): number | undefined {
  for (const name of ["x-ms-retry-after-ms", "retry-after-ms"]) {
    const v = headers.get(name);
    if (v !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.min(Number(v), MAX_HINT_MS);
  }
  const v = headers.get("retry-after")?.trim();
  if (!v) return quotaResetMs(headers.get("x-ms-user-quota-resets-after"));
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_HINT_MS);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), MAX_HINT_MS);
}

/**
 * Azure Resource Graph's throttling header, `hh:mm:ss` until the caller's quota resets
 * (learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).
 */
function quotaResetMs(v: string | undefined): number | undefined {
  const ms = parseQuotaReset(v);
  return ms === undefined ? undefined : Math.min(ms, MAX_HINT_MS);
}

function armErrorCode(res: PipelineResponse): string | undefined {
  try {
    const body = JSON.parse(res.bodyAsText ?? "") as { error?: { code?: unknown } };
    return typeof body.error?.code === "string" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

/** Why this answer is worth another try, or undefined. */
export function retryReason(
  res: PipelineResponse,
  method: string,
): "throttled" | "busy" | "server" | undefined {
  if (res.status === 429 || res.status === 503) return "throttled";
  if (res.status === 409 && armErrorCode(res) === RETRYABLE_CONFLICT) return "busy";
  if ((res.status === 500 || res.status === 502 || res.status === 504) && method !== "POST") return "server";
  return undefined;
}

const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);
const pollKey = (url: string): string => {
  try {
    return new URL(url).pathname.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
};

function stillRunning(res: PipelineResponse): boolean {
  if (res.status === 202) return true;
  if (res.status !== 200) return false;
  try {
    const status = (JSON.parse(res.bodyAsText ?? "") as { status?: unknown }).status;
    return typeof status === "string" && !TERMINAL.has(status.toLowerCase());
  } catch {
    return false;
  }
}

const stripRetryAfter = (res: PipelineResponse) => {
  for (const h of ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"]) res.headers.delete(h);
};

/** Whether a request whose connection dropped may be sent again as it is. */
export function replayable(request: Pick<PipelineRequest, "method" | "headers">): boolean {
  const m = request.method.toUpperCase();
  return m === "GET" || m === "HEAD" || m === "DELETE" || (m === "PUT" && !request.headers.has("if-match"));
}

/** As the SDK reports an aborted request. */
const aborted = (request: PipelineRequest): Error | undefined =>
  request.abortSignal?.aborted
    ? Object.assign(new Error("The operation was aborted."), { name: "AbortError" })
    : undefined;

async function sleep(clock: RetryClock, ms: number, request: PipelineRequest): Promise<void> {
  if (ms > 0) {
    try {
      await clock.sleep(ms, request.abortSignal as AbortSignal | undefined);
    } catch (err) {
      if (!aborted(request)) throw err;
    }
  }
  const reason = aborted(request);
  if (reason) throw reason;
}

export function armRetryPolicy(o: ArmRetryOptions): PipelinePolicy {
  const budget = o.budgetMs ?? ARM_RETRY_BUDGET_MS;
  const { clock } = o;
  /** Long-running operations' status URLs → when the next poll may go. */
  const polls = new Map<string, number>();

  /** Paces polls; learns new operations from the first answer's Azure-AsyncOperation / Location. */
  const trackOperation = (request: PipelineRequest, res: PipelineResponse) => {
    const key = pollKey(request.url);
    const hint = retryAfterMs(res.headers, clock.now());
    if (polls.has(key)) {
      stripRetryAfter(res);
      if (stillRunning(res)) polls.set(key, clock.now() + (hint ?? LRO_POLL_MS));
      else polls.delete(key);
      return;
    }
    const monitors = ["azure-asyncoperation", "location"]
      .map((h) => res.headers.get(h))
      .filter((u): u is string => Boolean(u));
    if (monitors.length === 0 || res.status < 200 || res.status > 202) return;
    stripRetryAfter(res);
    // As the SDK's poller: the first poll at once, unless the server asked to wait.
    for (const url of monitors) polls.set(pollKey(url), clock.now() + (hint ?? 0));
  };

  return {
    name: "plsctlArmRetry",
    async sendRequest(request, next) {
      const due = polls.get(pollKey(request.url));
      if (due !== undefined) await sleep(clock, due - clock.now(), request);
      const start = clock.now();
      let serverErrors = 0;
      let drops = 0;
      for (let attempt = 1; ; attempt++) {
        let res: PipelineResponse;
        try {
          res = await next(request);
        } catch (err) {
          // Unreachable (refused, DNS, TLS): at once. Dropped mid-request: again, where harmless.
          const wait = BACKOFF_MS[drops] ?? 1000;
          const retry =
            isDroppedConnection(err) &&
            !aborted(request) &&
            replayable(request) &&
            drops < MAX_DROP_RETRIES &&
            clock.now() - start + wait <= budget;
          if (!retry) throw err;
          drops += 1;
          o.onNotice?.({
            reason: "dropped",
            method: request.method,
            resource: resourceOf(request.url),
            status: null,
            code: null,
            waitMs: wait,
            retry: attempt,
          });
          await sleep(clock, wait, request);
          continue;
        }
        const reason = retryReason(res, request.method);
        if (reason === undefined) {
          trackOperation(request, res);
          o.onAnswer?.({ method: request.method, status: res.status });
          return res;
        }
        if (reason === "server") serverErrors += 1;
        const hint = reason === "server" ? undefined : retryAfterMs(res.headers, clock.now());
        const wait = hint ?? BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] ?? 1000;
        const waited = clock.now() - start;
        if (waited + wait > budget || attempt >= MAX_ATTEMPTS || serverErrors > MAX_SERVER_ERROR_RETRIES) {
          res.headers.set(RETRIED_HEADER, `${attempt - 1} ${waited} ${wait}`);
          o.onAnswer?.({ method: request.method, status: res.status });
          return res;
        }
        o.onRetry?.(reason);
        o.onNotice?.({
          reason,
          method: request.method,
          resource: resourceOf(request.url),
          status: res.status,
          code: armErrorCode(res) ?? null,
          waitMs: wait,
          retry: attempt,
        });
        await sleep(clock, wait, request);
      }
    },
  };
}

/** The client options that put this policy in place of the SDK's retries. */
export function armRetryClientOptions(o: ArmRetryOptions) {
  return {
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: armRetryPolicy(o), position: "perCall" as const }],
  };
}
