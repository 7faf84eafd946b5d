/**
 * One shape for an Azure call: the adapters say what they do (in words, for the message), the
 * permission it needs, and what a "not there" or a refusal means for them; `call` passes the abort
 * signal (and, for a long-running operation, the polling options), awaits, and turns any other
 * error into a PlsctlError through `azureError`.
 */
import { azureError } from "./errors.js";
import { type ArmClients, type Azure, armOf } from "./handle.js";

/**
 * A 404 that names a missing parent of the thing asked for, rather than the thing itself
 * (ARM's codes: learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found).
 */
export type MissingParent = "SubscriptionNotFound" | "ResourceGroupNotFound";

/** Any 404 at all: what a delete or a look-around wants (whatever is missing, nothing is left there). */
export const ANY_PARENT: readonly MissingParent[] = ["SubscriptionNotFound", "ResourceGroupNotFound"];

/**
 * ARM answered 404 (the SDK's RestError, also from paged lists and long-running operations) for
 * the thing itself: it is not there. A 404 whose code names a missing parent (`MissingParent`)
 * means the address is wrong — usually the user's typo — and counts only when listed in `allow`.
 */
export function isMissing(err: unknown, allow: readonly MissingParent[] = []): boolean {
  const e = err as { statusCode?: unknown; code?: unknown } | undefined;
  if (e?.statusCode !== 404) return false;
  const parent = ANY_PARENT.find((c) => c === e.code);
  return parent === undefined || allow.includes(parent);
}

/** What every SDK operation is given: the signal; for a long-running one, polls paced by retry.ts. */
export interface CallOptions {
  abortSignal: AbortSignal;
  /** 0: polls wait for ARM's Retry-After in retry.ts (on the injected clock), not a second time. */
  updateIntervalInMs?: number;
}

export interface CallOn<T> {
  /** The permission the call needs, named in a 403 when ARM's own message is lost (paged calls). */
  action?: string;
  scope?: string;
  /** A long-running operation (PUT/DELETE that ARM answers 201/202 and plsctl polls). */
  lro?: boolean;
  /** When the thing is not there (isMissing with `allow`): this value instead of an error. */
  missing?: { value: () => T; allow?: readonly MissingParent[] };
  /** When ARM refuses the call (403): this value instead of an error (the caller does without). */
  forbidden?: (err: unknown) => T;
}

/** Runs `fn` with the SDK clients and the options every request carries; errors as sentences. */
export async function call<T>(
  azure: Azure,
  what: string,
  fn: (arm: ArmClients, options: CallOptions) => Promise<T>,
  on: CallOn<T> = {},
): Promise<T> {
  try {
    const arm = armOf(azure);
    const options: CallOptions = on.lro
      ? { abortSignal: arm.signal, updateIntervalInMs: 0 }
      : { abortSignal: arm.signal };
    return await fn(arm, options);
  } catch (err) {
    if (on.missing && isMissing(err, on.missing.allow)) return on.missing.value();
    if (on.forbidden && (err as { statusCode?: unknown }).statusCode === 403) return on.forbidden(err);
    throw azureError(
      err,
      what,
      on.action !== undefined && on.scope !== undefined ? { action: on.action, scope: on.scope } : undefined,
    );
  }
}

/**
 * Every item of a paged ARM list (the SDK's iterator reads page after page), mapped; items `map`
 * returns undefined for are left out.
 */
export async function all<T, U>(items: AsyncIterable<T>, map: (item: T) => U | undefined): Promise<U[]> {
  const out: U[] = [];
  for await (const item of items) {
    const u = map(item);
    if (u !== undefined) out.push(u);
  }
  return out;
}

/** The first item of a paged ARM list that `pick` maps to a value; pages are read only until then. */
export async function first<T, U>(
  items: AsyncIterable<T>,
  pick: (item: T) => U | undefined,
): Promise<U | undefined> {
  for await (const item of items) {
    const u = pick(item);
    if (u !== undefined) return u;
  }
  return undefined;
}
