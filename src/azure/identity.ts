/** Who plsctl runs as in Azure, and whether ARM accepts it (doctor's credential check). */

import { call } from "./call.js";
import type { CredentialPrincipal } from "./credentials.js";
import type { Azure } from "./handle.js";
import { armGet } from "./rest.js";

export type { CredentialPrincipal } from "./credentials.js";

/** The credential's principal (from its token's claims), or a PlsctlError when no token can be had. */
export async function whoAmI(azure: Azure): Promise<CredentialPrincipal> {
  return call(azure, "get an Azure access token", (arm) => arm.principal());
}

/** Reads the subscription (any principal with a role in it may): proves ARM accepts the credential. */
export async function readSubscription(
  azure: Azure,
  subscriptionId: string,
): Promise<{ displayName: string | undefined; tenantId: string | undefined }> {
  return call(azure, `read subscription ${subscriptionId}`, async () => {
    const s = (await armGet(azure, `/subscriptions/${subscriptionId}`, "2022-12-01")) as {
      displayName?: string;
      tenantId?: string;
    };
    return { displayName: s.displayName, tenantId: s.tenantId };
  });
}
