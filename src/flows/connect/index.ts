/**
 * `plsctl connect`: the partner's private endpoint to a provider's Private Link Service (by alias or
 * id) or to an Azure PaaS resource (by id and group id). A plan first (plan.ts): the flags, the
 * subnet and its region, an endpoint of that name already there (reused when it points at the same
 * target, refused otherwise), the DNS record — everything checked before the first write. Then the
 * apply step (apply.ts): the zone, the endpoint (long-running; whether Azure accepts the connection
 * is decided right before its PUT), DNS, and with `--wait-approved` the provider's decision.
 * `--timeout` is one deadline for the whole command, taken here on the injected clock; a
 * long-running write Azure is still busy with at the deadline is abandoned (support/deadline.ts).
 */
import type { Context } from "../../context.js";
import { type ConnectFlags, planFlags } from "../../domain/connect-plan.js";
import { deadlineOf } from "../../domain/deadline.js";
import type { ConnectResult } from "../../domain/results.js";
import { withinDeadline } from "../support/deadline.js";
import { applyConnect } from "./apply.js";
import { planConnect } from "./plan.js";

export { ALIAS_RETRY_MS } from "../../domain/connect-refusals.js";

/** `connect`'s flags (ConnectFlags: what to connect, where, and its DNS) and how long to wait. */
export interface ConnectOptions extends ConnectFlags {
  location?: string | undefined;
  waitApproved: boolean;
  timeoutMs: number;
}

export async function runConnect(ctx: Context, o: ConnectOptions): Promise<ConnectResult> {
  const deadline = deadlineOf(ctx.clock.now(), o.timeoutMs);
  // Everything the flags alone decide, before any request.
  const fp = planFlags(o, {
    cloud: ctx.globals.cloud,
    subscription: ctx.globals.subscription,
    envSubscription: ctx.env.subscriptionId,
  });
  return withinDeadline(ctx, await ctx.azure(), deadline, async (azure) => {
    const plan = await planConnect(azure, o, fp);
    return applyConnect(ctx, azure, plan, { deadline, waitApproved: o.waitApproved });
  });
}
