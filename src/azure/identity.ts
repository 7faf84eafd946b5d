/** Who plsctl runs as in Azure, and whether ARM accepts it (doctor's credential check). */
import type { CredentialPrincipal } from "./credentials.js";
import { azureError } from "./errors.js";
import { type Azure, armOf } from "./handle.js";
import { armGet } from "./rest.js";

export type { CredentialPrincipal } from "./credentials.js";

/** The credential's principal (from its token's claims), or a PlsctlError when no token can be had. */
export async function whoAmI(azure: Azure): Promise<CredentialPrincipal> {
  try {
    return await armOf(azure).principal();
  } catch (err) {
    throw azureError(err, "get an Azure access token");
  }
}

/** Reads the subscription (any principal with a role in it may): proves ARM accepts the credential. */
export async function readSubscription(
  azure: Azure,
  subscriptionId: string,
): Promise<{ displayName: string | undefined; tenantId: string | undefined }> {
  try {
    const s = (await armGet(azure, `/subscriptions/${subscriptionId}`, "2022-12-01")) as {
      displayName?: string;
      tenantId?: string;
    };
    return { displayName: s.displayName, tenantId: s.tenantId };
  } catch (err) {
    throw azureError(err, `read subscription ${subscriptionId}`);
  }
}
