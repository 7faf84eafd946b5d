/** Shared types of the ARM emulator: stored resources, state, requests and replies. */
import type { ArmFaultKind } from "../faults-spec.js";
import type { WorldSpec } from "../world.js";

export type Json = Record<string, unknown>;

/** A stored ARM resource in its wire shape (`properties` nested, as ARM returns it). */
export interface Resource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  etag?: string;
  properties: Json;
  [key: string]: unknown;
}

export interface OperationRecord {
  id: string;
  status: "InProgress" | "Succeeded" | "Failed";
  startTime: string;
  doneAt: number;
  /** Resources whose provisioningState becomes Succeeded when the operation ends. */
  settle: string[];
  /** Resources removed when the operation ends (long-running deletes). */
  remove: string[];
  error?: { code: string; message: string };
  /** A long-running POST's answer (checkPrivateLinkServiceVisibility), served by its result URL once done. */
  result?: Json;
}

export interface ArmState {
  format: "plsctl-arm-state";
  version: 1;
  world: WorldSpec;
  /** Keyed by lower-cased resource id. */
  resources: Record<string, Resource>;
  operations: Record<string, OperationRecord>;
  /**
   * Lower-cased ids of private endpoint connections the provider removed (DELETE): a later PUT on
   * one is a 404, not "cannot be created by the service provider".
   */
  removedConnections?: string[];
  /** When each private link service (lower-cased id) was created, on the emulator's clock (alias propagation). */
  plsCreatedAt?: Record<string, number>;
  /**
   * A-record sets a private DNS zone group wrote: lower-cased record id → lower-cased zone group id.
   * A record not in here was written by hand and is never overwritten by a zone group.
   */
  zoneGroupRecords?: Record<string, string>;
}

export interface CallerIdentity {
  name: string;
  tenantId: string;
  objectId: string;
  clientId: string;
}

export interface ArmRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An injected fault. Two shapes, both matched by operation id, identity, method and path:
 * - `kind` (the original model): `429`, `500`, `503` with the emulator's own error bodies, `drop`
 *   (connection reset), `latency`, `lroFailed`;
 * - `status` (any 400-599) with the error `code`, `message`, `retryAfter` (seconds) and extra
 *   `headers` the test wants, exactly as ARM would send them.
 */
export interface FaultRule {
  operation?: string;
  identity?: string;
  /**
   * `lroFailed` (sandbox extension): the request is served, but its long-running PUT ends
   * `Failed` with `errorCode`/`errorMessage` (provisioningState Failed, status URL Failed).
   */
  kind?: ArmFaultKind;
  /** Reply with this status and `{"error":{"code","message"}}`. */
  status?: number;
  code?: string;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  headers?: Record<string, string>;
  /** Which requests: all given fields must match (operation/identity here or at the top level). */
  match?: FaultMatch;
  /** Fires for a request with this probability (0..1, default 1); `rate` is the older name. */
  probability?: number;
  rate?: number;
  /** Fires this many times, then never again. */
  times?: number;
  latencyMs?: number;
  /** 429/503 (default 1) and 409 (default none): `Retry-After` in seconds; null sends none. */
  retryAfterSeconds?: number | null;
  /** Send `Retry-After` as an HTTP date (now + retryAfterSeconds) instead of seconds. */
  retryAfterDate?: boolean;
  /** Also send `x-ms-retry-after-ms`. */
  retryAfterMs?: number;
  /** lroFailed; 409 (default RetryableErrorDueToAnotherOperation) and 429 (default TooManyRequests). */
  errorCode?: string;
  errorMessage?: string;
}

export interface FaultMatch {
  method?: string;
  /**
   * Path pattern, case-insensitive, without the query: `*` matches within one segment, `**` any
   * number of segments (README, "Faults", has examples).
   */
  path?: string;
  /** Path as a regular expression (case-insensitive, unanchored), tested against the path without the query. */
  pathRegex?: string;
  operation?: string;
  identity?: string;
}

export interface CounterBucket {
  total: number;
  byOperation: Record<string, number>;
}

export interface RequestCounters extends CounterBucket {
  byIdentity: Record<string, CounterBucket>;
  /** Requests no route matched (method + path), also counted under operation `unrouted`. */
  unrouted: string[];
  /** What each counted operation id is: its method, route template and throttling class. */
  operations: Record<string, OperationInfo>;
  /**
   * Write requests by `METHOD /path` (lower-cased path, no query), any identity, faulted or not:
   * "one PUT per connection" is countable per resource.
   */
  writesByPath: Record<string, number>;
}

export interface OperationInfo {
  method: string;
  route: string;
  /** `read` for GETs, HEADs and read-like POSTs (ARM's reads bucket); `write` for the rest. */
  kind: "read" | "write";
}

/** A write in flight on a private link service (locks.ts): what a concurrent write is refused with. */
export interface PlsLock {
  /** NRP-style operation name and id, as the refusal names them. */
  operation: string;
  id: string;
  until: number;
}
