/**
 * Which refusals of an automatic private endpoint connection mean "ask for a manual one instead":
 * pure rules over plsctl's errors (the flow decides; src/flows/connect/mode.ts).
 */
import type { ConnectTarget } from "./connect.js";
import { PlsctlError } from "./errors.js";
import type { ProgressEvent } from "./progress.js";
import { parseResourceId } from "./resource-id.js";

export type Mode = Extract<ProgressEvent, { kind: "connect-mode" }>;

/** ARM's answer to a token of another tenant than the subscription's (401). */
export const OTHER_TENANT = "InvalidAuthenticationTokenTenant";

/**
 * Azure refused an automatic connection for want of rights on the target, or across tenants:
 * `LinkedAuthorizationFailed`, a token of the wrong tenant for the linked subscription
 * (`InvalidAuthenticationTokenTenant`), or `AuthorizationFailed` naming the target's scope (not the
 * endpoint's own). ARM refuses the PUT before the endpoint exists, so a manual request can follow.
 */
export function automaticRefused(err: unknown, target: ConnectTarget): Mode["why"] | undefined {
  if (!(err instanceof PlsctlError)) return undefined;
  if (err.code === "LinkedAuthorizationFailed") return "linked-authorization-failed";
  if (err.code === OTHER_TENANT) return "other-tenant";
  const targetSub = parseResourceId(target.ref)?.subscriptionId ?? "";
  if (
    err.code === "AuthorizationFailed" &&
    (err.message.toLowerCase().includes(target.ref.toLowerCase()) ||
      (targetSub !== "" && new RegExp(`linked.*${targetSub}`, "i").test(err.message)))
  )
    return "linked-authorization-failed";
  return undefined;
}
