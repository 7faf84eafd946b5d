/**
 * The waits of `plsctl connect`: for an endpoint an earlier, interrupted run left provisioning, and
 * (`--wait-approved`) for the provider's decision on its connection. Both poll the endpoint on the
 * injected clock within the command's one `--timeout`.
 */
import { type EndpointView, readEndpoint } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import { type Deadline, remainingMs } from "../../domain/deadline.js";
import { ExitCode, PlsctlError, timeoutError } from "../../domain/errors.js";
import { done, notYet, pollUntil } from "../support/poll.js";

const APPROVAL_BACKOFF_MS = [5000, 10_000, 15_000, 30_000];

/** Until the provider decides: Approved returns; Rejected or Disconnected fail (exit 1); time up is exit 5. */
export async function waitApproved(
  ctx: Context,
  azure: Azure,
  ep: EndpointView,
  deadline: Deadline,
  approveLine: string | null,
): Promise<EndpointView> {
  let last = "";
  let current = ep;
  const at = { subscriptionId: ep.subscriptionId, resourceGroup: ep.resourceGroup, name: ep.name };
  return pollUntil({
    clock: ctx.clock,
    signal: ctx.signal,
    backoff: APPROVAL_BACKOFF_MS,
    timeoutMs: remainingMs(deadline, ctx.clock.now()),
    onTimeout: () =>
      timeoutError(
        `Timed out after ${Math.round(deadline.timeoutMs / 1000)} s (--timeout) waiting for the provider to approve private endpoint ${ep.name} (still ${current.state}).`,
        `Re-run the same command to keep waiting (it writes nothing again)${approveLine ? `; the provider approves with: ${approveLine}` : "."}`,
      ),
    check: async (n) => {
      if (n > 0) current = (await readEndpoint(azure, at)) ?? { ...current, state: "Deleted" };
      if (current.state === "Approved") return done(current);
      if (current.state === "Rejected" || current.state === "Disconnected" || current.state === "Deleted") {
        throw new PlsctlError(
          current.state === "Rejected"
            ? `The provider rejected the connection of private endpoint ${ep.name}: ${current.description || "(no description)"}.`
            : current.state === "Deleted"
              ? `Private endpoint ${ep.name} was deleted while plsctl waited for its approval.`
              : `The provider removed the connection of private endpoint ${ep.name} (Disconnected): ${current.description || "(no description)"}.`,
          {
            exitCode: ExitCode.Failed,
            code: `Connection${current.state}`,
            hint: `Talk to the provider; to ask again, delete the endpoint (plsctl disconnect --name ${ep.name} --resource-group ${ep.resourceGroup}) and connect again.`,
          },
        );
      }
      if (current.state !== last) {
        last = current.state;
        ctx.progress({
          kind: "waiting-approval",
          name: ep.name,
          state: current.state,
          approveCommand: approveLine,
        });
      }
      return notYet;
    },
  });
}

const IN_PROGRESS = /^(updating|creating|provisioning)$/i;
const SETTLE_BACKOFF_MS = [1000, 2000, 5000];

/**
 * An endpoint still provisioning — an earlier run was stopped during its PUT, which Azure finishes
 * anyway — is waited for (on the clock, for what is left of --timeout) before it is reused, so a
 * re-run reports it as the clean run would: provisioned, with its IP. Undefined when it went away
 * meanwhile.
 */
export async function settled(
  ctx: Context,
  azure: Azure,
  at: { subscriptionId: string; resourceGroup: string; name: string },
  ep: EndpointView,
  deadline: Deadline,
): Promise<EndpointView | undefined> {
  if (!IN_PROGRESS.test(ep.provisioningState)) return ep;
  let last = ep.provisioningState;
  return pollUntil<EndpointView | undefined>({
    clock: ctx.clock,
    signal: ctx.signal,
    backoff: SETTLE_BACKOFF_MS,
    timeoutMs: remainingMs(deadline, ctx.clock.now()),
    onTimeout: () =>
      timeoutError(
        `Timed out after ${Math.round(deadline.timeoutMs / 1000)} s (--timeout) waiting for private endpoint ${at.name} to finish provisioning (still ${last}).`,
        "Re-run the same command to keep waiting (it writes nothing while the endpoint provisions).",
      ),
    check: async () => {
      const now = await readEndpoint(azure, at);
      if (!now) return done(undefined);
      last = now.provisioningState;
      return IN_PROGRESS.test(now.provisioningState) ? notYet : done(now);
    },
  });
}
