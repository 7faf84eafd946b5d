/**
 * One ARM request from bytes to reply: authentication, routing, counters, faults, throttling,
 * api-version, subscription/tenant checks, RBAC, resource-group existence, preconditions, handler.
 */
import type { IdentitySpec } from "../world.js";
import { checkApiVersion } from "./api-versions.js";
import { authenticate, wrongTenant } from "./auth.js";
import { denied } from "./deny.js";
import { ArmError, resourceGroupNotFound } from "./errors.js";
import { bucketOf, type Counters, type Faults, type NetworkWriteLimiter, type Throttler } from "./limits.js";
import { checkPreconditions } from "./preconditions.js";
import { authorizationFailed, can, canAtOrBelow } from "./rbac.js";
import type { Ctx, EmuServices, Router } from "./router.js";
import type { ArmRequest, ArmState, CallerIdentity, FaultRule, Reply } from "./types.js";
import { key, rgId } from "./util.js";

export interface PipelineDeps {
  state: () => ArmState;
  router: Router;
  byToken: Map<string, CallerIdentity>;
  counters: Counters;
  faults: Faults;
  throttler: Throttler;
  netLimiter: NetworkWriteLimiter;
  throttling: boolean;
  emu: EmuServices;
  base: () => string;
  log?: (line: string) => void;
  save: () => void;
}

export type Outcome = { reply: Reply; operation: string } | { drop: true; operation: string };

const KNOWN_NAMESPACES = [
  "microsoft.network",
  "microsoft.containerservice",
  "microsoft.resources",
  "microsoft.keyvault",
  "microsoft.sql",
  "microsoft.storage",
  "microsoft.authorization",
];

function unrouted(segs: string[], methods: string[], method: string, apiVersion: string | null): ArmError {
  if (methods.length > 0) {
    return new ArmError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
    );
  }
  const pi = segs.findIndex((s) => s.toLowerCase() === "providers");
  const ns = pi >= 0 ? segs[pi + 1] : undefined;
  if (ns && !KNOWN_NAMESPACES.includes(ns.toLowerCase())) {
    return new ArmError(
      404,
      "NoRegisteredProviderFound",
      `No registered resource provider found for namespace '${ns}'.`,
    );
  }
  if (!apiVersion) return checkApiVersionMissing();
  const type = ns
    ? segs
        .slice(pi + 2)
        .filter((_, i) => i % 2 === 0)
        .join("/")
    : segs.join("/");
  return new ArmError(
    404,
    "InvalidResourceType",
    `The resource type '${type}' could not be found in the namespace '${ns ?? "Microsoft.Resources"}' for api version '${apiVersion}'.`,
  );
}

function checkApiVersionMissing(): ArmError {
  try {
    checkApiVersion("any", null);
  } catch (e) {
    return e as ArmError;
  }
  return new ArmError(400, "MissingApiVersionParameter", "api-version missing");
}

export async function handle(d: PipelineDeps, req: ArmRequest, segs: string[]): Promise<Outcome> {
  let operation = "unauthenticated";
  try {
    const auth = req.headers.authorization;
    let caller: CallerIdentity;
    try {
      caller = authenticate(Array.isArray(auth) ? auth[0] : auth, d.byToken);
    } catch (e) {
      d.counters.count("unauthenticated", "anonymous");
      throw e;
    }
    const { route, params, methods } = d.router.match(req.method, segs);
    if (!route) {
      operation = "unrouted";
      d.counters.count("unrouted", caller.name, `${req.method} ${req.path}`);
      d.log?.(`arm: unrouted ${req.method} ${req.path} (${caller.name})`);
      throw unrouted(segs, methods, req.method, req.query.get("api-version"));
    }
    operation = route.op;
    const kind = route.cls === "reads" ? "read" : "write";
    d.counters.count(
      route.op,
      caller.name,
      undefined,
      { method: route.method, route: route.path, kind },
      req.path,
    );
    const fired = d.faults.pick({
      operation: route.op,
      identity: caller.name,
      method: req.method,
      path: req.path,
    });
    const faultReply = await applyFaults(fired, route.op);
    if (faultReply) return { ...faultReply, operation };
    const state = d.state();
    const sub = params.sub;
    const headers: Record<string, string> = {};
    if (d.throttling) {
      const now = d.emu.now();
      const cls = req.method === "DELETE" ? "deletes" : route.cls;
      Object.assign(
        headers,
        d.throttler.take(
          caller.name,
          sub ?? caller.tenantId,
          sub ? "subscription" : "tenant",
          cls,
          now,
          bucketOf(d.emu.settings, cls),
        ),
      );
      if (sub && kind === "write" && /\/providers\/microsoft\.network\//i.test(req.path)) {
        d.netLimiter.take(sub, d.emu.settings.networkWriteLimit, now);
      }
    }
    const apiVersion = checkApiVersion(route.api, req.query.get("api-version"));
    const identity = state.world.identities.find((i) => i.name === caller.name);
    if (sub) checkSubscription(state, caller, sub);
    if (route.action) {
      authorize(d, identity, caller, route.action, req.path, route.list === true);
      const deny = denied(state.world, caller, route.action, req.path);
      if (deny) throw deny;
    }
    if (params.rg && !(route.op === "ResourceGroups_CreateOrUpdate")) {
      if (!state.resources[key(rgId(sub ?? "", params.rg))]) {
        if (!(route.op === "ResourceGroups_Get" || route.op === "ResourceGroups_CheckExistence")) {
          throw resourceGroupNotFound(params.rg);
        }
      }
    }
    if (req.method !== "GET") checkPreconditions(state, req);
    const ctx: Ctx = {
      state,
      req,
      p: params,
      caller,
      identity,
      apiVersion,
      base: d.base(),
      emu: d.emu,
      dirty: false,
    };
    const failing = fired.find((f) => f.kind === "lroFailed");
    if (failing) {
      ctx.lroError = {
        code: failing.errorCode ?? "InternalServerError",
        message: failing.errorMessage ?? "An error occurred. (sandbox fault injection)",
      };
    }
    const reply = await route.handler(ctx);
    if (ctx.dirty) d.save();
    reply.headers = { ...headers, ...reply.headers };
    return { reply, operation };
  } catch (e) {
    if (e instanceof ArmError) {
      return { reply: { status: e.status, body: e.toBody(), headers: e.headers }, operation };
    }
    d.log?.(`arm: internal error on ${req.method} ${req.path}: ${(e as Error).stack ?? String(e)}`);
    return {
      reply: { status: 500, body: { error: { code: "InternalServerError", message: String(e) } } },
      operation,
    };
  }
}

function checkSubscription(state: ArmState, caller: CallerIdentity, sub: string): void {
  const s = state.world.subscriptions.find((x) => x.id.toLowerCase() === sub.toLowerCase());
  if (!s) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
  if (s.tenantId !== caller.tenantId) throw wrongTenant(caller.tenantId, s.tenantId);
}

function authorize(
  d: PipelineDeps,
  identity: IdentitySpec | undefined,
  caller: CallerIdentity,
  action: string,
  scope: string,
  list: boolean,
): void {
  const ok = list
    ? canAtOrBelow(d.emu.roles, identity, action, scope)
    : can(d.emu.roles, identity, action, scope);
  if (!ok) throw authorizationFailed(caller, action, scope);
}

/** Retry-After (seconds, or an HTTP date), x-ms-retry-after-ms, as the fault asks. */
function retryHeaders(f: FaultRule, defaultSeconds: number | null): Record<string, string> {
  const h: Record<string, string> = {};
  const seconds = f.retryAfterSeconds === undefined ? defaultSeconds : f.retryAfterSeconds;
  if (seconds !== null) {
    h["Retry-After"] = f.retryAfterDate
      ? new Date(Date.now() + seconds * 1000).toUTCString()
      : String(seconds);
  }
  if (f.retryAfterMs !== undefined) h["x-ms-retry-after-ms"] = String(f.retryAfterMs);
  return h;
}

async function applyFaults(fired: FaultRule[], op: string): Promise<Outcome | undefined> {
  for (const f of fired) {
    if (f.kind === "latency") await new Promise((r) => setTimeout(r, f.latencyMs ?? 1000));
  }
  for (const f of fired) {
    if (f.status !== undefined) throw statusFault(f);
    if (f.kind === "drop") return { drop: true, operation: op };
    if (f.kind === "409") {
      throw new ArmError(
        409,
        f.errorCode ?? "RetryableErrorDueToAnotherOperation",
        f.errorMessage ??
          `Operation ${op} is not allowed since another operation is in progress on the resource. (sandbox fault injection)`,
        retryHeaders(f, null),
      );
    }
    if (f.kind === "429") {
      const ra = String(f.retryAfterSeconds ?? 1);
      throw new ArmError(
        429,
        f.errorCode ?? "TooManyRequests",
        f.errorMessage ??
          `The request is being throttled as the limit has been reached for operation type - ${op}. Please try again after '${ra}' seconds. (sandbox fault injection)`,
        retryHeaders(f, 1),
      );
    }
    if (f.kind === "500") {
      throw new ArmError(
        500,
        "InternalServerError",
        `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', operation '${op}' (sandbox fault injection).`,
      );
    }
    if (f.kind === "503") {
      throw new ArmError(
        503,
        "ServiceUnavailable",
        "The service is temporarily unavailable. (sandbox fault injection)",
        retryHeaders(f, 1),
      );
    }
  }
  return undefined;
}

const DEFAULT_FAULT: Record<number, [string, string]> = {
  400: ["BadRequest", "The request is invalid."],
  404: ["NotFound", "The resource was not found."],
  409: ["Conflict", "The request conflicts with the current state of the resource."],
  429: ["TooManyRequests", "The request is being throttled."],
  500: ["InternalServerError", "Encountered internal server error."],
  503: ["ServiceUnavailable", "The service is temporarily unavailable."],
};

/** A fault given as `{status, code, message, retryAfter, headers}`: the reply it describes. */
function statusFault(f: FaultRule): ArmError {
  const status = f.status ?? 500;
  const [code, message] = DEFAULT_FAULT[status] ?? ["Error", `Injected HTTP ${status}.`];
  const headers: Record<string, string> = { ...f.headers };
  const ra = f.retryAfter ?? f.retryAfterSeconds;
  if (ra !== undefined && ra !== null) headers["Retry-After"] = String(ra);
  return new ArmError(status, f.code ?? code, f.message ?? `${message} (sandbox fault injection)`, headers);
}
