/**
 * An Event on the Service for each approval, rejection and removal that landed (reasons
 * PrivateEndpointApproved / PrivateEndpointRejected / PrivateEndpointRemoved, type Normal, source
 * plsctl), so `kubectl describe svc` shows who was let in, and by which rule, beside the AKS
 * controller's own events. Only when the PLS was found through the Service (`approve <service>`).
 * Best effort: a failure (RBAC without `create` on events) is one warning, never a failed decision.
 */
import type { Context } from "../../context.js";
import type { Decision } from "../../domain/decide.js";
import { createServiceEvent } from "../../kube/events.js";
import { getService } from "../../kube/services.js";

const REASON = {
  approve: "PrivateEndpointApproved",
  reject: "PrivateEndpointRejected",
  remove: "PrivateEndpointRemoved",
} as const;

const DONE = { approve: "Approved", reject: "Rejected", remove: "Removed" } as const;

/** "Approved private endpoint connection pe-x.1a2b of pls-app: requester subscription 9a8b…, policy rule fabrikam" */
export function eventMessage(d: Decision & { action: keyof typeof REASON }): string {
  const rule = d.rule ? `policy rule ${d.rule}` : "no policy rule (selected on the command line)";
  return `${DONE[d.action]} private endpoint connection ${d.name} of ${d.pls}: requester subscription ${d.requester ?? "unknown"}, ${rule}`;
}

export async function recordDecisionEvents(ctx: Context, service: string, landed: Decision[]): Promise<void> {
  const written = landed.filter((d): d is Decision & { action: keyof typeof REASON } => d.action !== "none");
  if (written.length === 0) return;
  try {
    const kube = await ctx.kube();
    const svc = await getService(kube, kube.namespace, service);
    for (const d of written) {
      await createServiceEvent(kube, svc, {
        type: "Normal",
        reason: REASON[d.action],
        message: eventMessage(d),
        component: "plsctl",
        instance: ctx.env.hostname ?? "",
        at: ctx.clock.now(),
      });
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.report.warn(
      `Could not record the decisions as Events on Service ${service}: ${(err as Error).message}`,
      "The decisions stand. To see them in `kubectl describe svc`, grant plsctl `create` on events in the Service's namespace.",
    );
  }
}
