/**
 * `connect`'s PUT of the endpoint. An alias is first checked for visibility; while Azure says it is
 * not visible (or refuses the PUT for that reason) plsctl retries along a backoff, on the injected
 * clock, up to ALIAS_RETRY_MS, capped by what is left of --timeout. A PLS id or a PaaS resource is
 * PUT once; an automatic connection Azure refuses for want of rights becomes a manual one.
 */
import {
  createEndpoint,
  type EndpointView,
  isAliasVisible,
  NOT_VISIBLE_CODE,
} from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import type { ConnectTarget } from "../../domain/connect.js";
import type { EndpointSpec } from "../../domain/connect-plan.js";
import {
  ALIAS_RETRY_MS,
  aliasStillUnknown,
  groupRefused,
  isGroupRefused,
  notVisible,
} from "../../domain/connect-refusals.js";
import { type Deadline, remainingMs } from "../../domain/deadline.js";
import { PlsctlError } from "../../domain/errors.js";
import { done, notYet, pollUntil } from "../support/poll.js";
import { automaticRefused } from "./mode.js";

const ALIAS_BACKOFF_MS = [5000, 10_000, 20_000, 30_000];

const isCode = (err: unknown, code: string) => err instanceof PlsctlError && err.code === code;

/** One endpoint PUT: what to create, for which target; `beforePut` runs once, right before the first PUT. */
export interface Put {
  ctx: Context;
  azure: Azure;
  target: ConnectTarget;
  e: EndpointSpec;
  /** --replace deletes the old endpoint there: for an alias, only once Azure shows it. */
  beforePut: () => Promise<void>;
}

/** Creates the endpoint: by alias along the retries, else with one PUT. */
export function create(put: Put, deadline: Deadline): Promise<EndpointView> {
  return put.target.kind === "alias" ? createByAlias(put, deadline) : createOnce(put);
}

async function createOnce({ ctx, azure, target, e, beforePut }: Put): Promise<EndpointView> {
  await beforePut();
  ctx.progress({ kind: "creating-endpoint", name: e.name, manual: e.manual });
  try {
    return await createEndpoint(azure, e);
  } catch (err) {
    if (isCode(err, NOT_VISIBLE_CODE)) throw notVisible(target, e.subscriptionId, 0);
    if (target.kind === "paas" && isGroupRefused(err)) throw groupRefused(target, err);
    // An automatic connection needs the approval right on the target (and the target's tenant);
    // without it ARM refuses the PUT and nothing is created: ask for a manual one instead.
    const why = e.manual ? undefined : automaticRefused(err, target);
    if (!why) throw err;
    ctx.progress({
      kind: "connect-mode",
      manual: true,
      why: why === "other-tenant" ? "other-tenant-refused" : why,
    });
    return createEndpoint(azure, { ...e, manual: true });
  }
}

function createByAlias({ ctx, azure, target, e, beforePut }: Put, deadline: Deadline): Promise<EndpointView> {
  const started = ctx.clock.now();
  const budget = Math.min(ALIAS_RETRY_MS, remainingMs(deadline, started));
  // Says when the next look comes (the backoff, cut at the deadline); nothing when none will.
  const notYetVisible = (n: number) => {
    const left = started + budget - ctx.clock.now();
    const retryInMs = Math.min(ALIAS_BACKOFF_MS[Math.min(n, ALIAS_BACKOFF_MS.length - 1)] ?? 0, left);
    if (retryInMs > 0)
      ctx.progress({
        kind: "alias-not-visible-yet",
        alias: target.ref,
        retryInMs,
        ...(n === 0 ? { first: { budgetMs: budget } } : {}),
      });
    return notYet;
  };
  return pollUntil({
    clock: ctx.clock,
    signal: ctx.signal,
    backoff: ALIAS_BACKOFF_MS,
    timeoutMs: budget,
    onTimeout: () => {
      const waited = ctx.clock.now() - started;
      return deadline.timeoutMs < ALIAS_RETRY_MS
        ? aliasStillUnknown(target.ref, e.subscriptionId, waited)
        : notVisible(target, e.subscriptionId, waited);
    },
    check: async (n) => {
      if (!(await isAliasVisible(azure, e.subscriptionId, e.location, target.ref))) return notYetVisible(n);
      await beforePut();
      ctx.progress({ kind: "creating-endpoint", name: e.name, manual: e.manual });
      try {
        return done(await createEndpoint(azure, e));
      } catch (err) {
        if (!isCode(err, NOT_VISIBLE_CODE)) throw err;
        return notYetVisible(n);
      }
    },
  });
}
