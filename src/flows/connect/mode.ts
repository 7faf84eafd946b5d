/**
 * `connect`: a manual or an automatic connection, and why — decided before any write — and which
 * refusals of an automatic one mean "ask for a manual one instead".
 *
 * An automatic connection makes ARM check the approval right on the target (a linked access
 * check), which a partner does not have on the provider's PLS; across tenants the check cannot even
 * start: across Microsoft Entra tenants "you specify the resource ID of the service and manually
 * approve the private endpoint connection" (learn.microsoft.com/azure/cloud-adoption-framework/ready/
 * azure-best-practices/limit-cross-tenant-private-endpoint-connections); "Private endpoints that
 * connect across tenants require a manual request approval" (MicrosoftDocs/azure-docs#72045; Azure/azure-sdk-for-go#14306, ansible-collections/azure#973:
 * `LinkedAuthorizationFailed`, "the current tenant … is not authorized to access linked
 * subscription …"). An auto-approving PLS approves a manual request from your subscription at once
 * too, so manual loses nothing there.
 */
import { autoApprovedPlsIds } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import { readPls } from "../../azure/pls-lookup.js";
import type { ConnectTarget } from "../../domain/connect.js";
import { type Mode, OTHER_TENANT } from "../../domain/connect-mode.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import { parseResourceId } from "../../domain/resource-id.js";

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether the PLS's subscription is in another tenant than the caller's token: ARM refuses to read
 * it with InvalidAuthenticationTokenTenant. A 403 or 404 says nothing about the tenant (same tenant,
 * no rights): false, and the automatic connection's own refusal decides.
 */
async function inOtherTenant(azure: Azure, plsId: string): Promise<boolean> {
  const id = parseResourceId(plsId);
  if (!id) return false;
  try {
    await readPls(azure, id);
    return false;
  } catch (err) {
    if (err instanceof PlsctlError && err.code === OTHER_TENANT) return true;
    if (
      err instanceof PlsctlError &&
      (err.code === "AuthorizationFailed" || err.exitCode === ExitCode.NotFound)
    )
      return false;
    throw err;
  }
}

/** Manual or automatic, and why (before any write). */
export { automaticRefused } from "../../domain/connect-mode.js";

export async function chooseMode(
  azure: Azure,
  target: ConnectTarget,
  sub: string,
  location: string,
): Promise<Mode> {
  if (target.kind === "alias") return { kind: "connect-mode", manual: true, why: "alias" };
  if (target.kind === "paas") {
    const same = sameText(target.subscriptionId, sub);
    return {
      kind: "connect-mode",
      manual: !same,
      why: same ? "paas-same-subscription" : "paas-other-subscription",
    };
  }
  const auto = (await autoApprovedPlsIds(azure, sub, location)).some((id) => sameText(id, target.ref));
  if (!auto) return { kind: "connect-mode", manual: true, why: "not-auto-approved" };
  if (await inOtherTenant(azure, target.ref))
    return { kind: "connect-mode", manual: true, why: "other-tenant" };
  return { kind: "connect-mode", manual: false, why: "auto-approved" };
}
