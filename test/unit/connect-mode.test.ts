/** Which refusals of an automatic connection make `connect` ask for a manual one instead. */
import { describe, expect, it } from "vitest";
import { parseConnectTarget } from "../../src/domain/connect.js";
import { automaticRefused } from "../../src/domain/connect-mode.js";
import { ExitCode, PlsctlError } from "../../src/domain/errors.js";

const PROV = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const PLS = `/subscriptions/${PROV}/resourceGroups/MC_rg/providers/Microsoft.Network/privateLinkServices/pls-app`;
const target = parseConnectTarget(PLS, undefined, "AzureCloud");
const refused = (code: string, message = "Could not create private endpoint pe-x: refused.") =>
  new PlsctlError(message, { exitCode: ExitCode.Auth, code });

describe("automaticRefused", () => {
  it("LinkedAuthorizationFailed and a token of another tenant fall back to manual", () => {
    expect(automaticRefused(refused("LinkedAuthorizationFailed"), target)).toBe(
      "linked-authorization-failed",
    );
    expect(automaticRefused(refused("InvalidAuthenticationTokenTenant"), target)).toBe("other-tenant");
  });

  it("AuthorizationFailed on the target's scope falls back; on the endpoint's own scope it does not", () => {
    const onTarget = refused(
      "AuthorizationFailed",
      `Could not create private endpoint pe-x: not allowed to perform 'Microsoft.Network/privateLinkServices/privateEndpointConnectionsApproval/action' on ${PLS} (AuthorizationFailed).`,
    );
    expect(automaticRefused(onTarget, target)).toBe("linked-authorization-failed");
    const onEndpoint = refused(
      "AuthorizationFailed",
      "Could not create private endpoint pe-x: not allowed to perform 'Microsoft.Network/privateEndpoints/write' on /subscriptions/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/resourceGroups/rg-partner (AuthorizationFailed).",
    );
    expect(automaticRefused(onEndpoint, target)).toBeUndefined();
  });

  it("anything else is not a reason to ask again", () => {
    expect(automaticRefused(refused("InvalidValuesForRequestParameters"), target)).toBeUndefined();
    expect(automaticRefused(new Error("boom"), target)).toBeUndefined();
  });
});
