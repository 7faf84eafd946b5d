/**
 * Every error the Azure translator makes carries a "what to do" line: over a table of what ARM
 * answers (each status plsctl meets, the retried mark, failed long-running operations, networks
 * and credentials), no PlsctlError comes out without a hint.
 */
import { describe, expect, it } from "vitest";
import { azureError } from "../../src/azure/errors.js";
import { RETRIED_HEADER } from "../../src/azure/retry.js";
import { kubeError } from "../../src/kube/errors.js";

const restError = (statusCode: number, code: string, message: string, retried?: string) =>
  Object.assign(new Error(message), {
    name: "RestError",
    statusCode,
    code,
    request: { url: "https://127.0.0.1/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/x/y" },
    response: { headers: { get: (h: string) => (h === RETRIED_HEADER ? retried : undefined) } },
  });

const CASES: Array<[string, unknown]> = [
  ["400 BadRequest", restError(400, "InvalidRequestFormat", "Cannot parse the request.")],
  ["400 quota", restError(400, "QuotaExceeded", "Quota exceeded for resource type privateEndpoints.")],
  ["401", restError(401, "InvalidAuthenticationToken", "The access token is invalid.")],
  ["401 other tenant", restError(401, "InvalidAuthenticationTokenTenant", "wrong issuer")],
  ["403", restError(403, "AuthorizationFailed", "no access")],
  [
    "404",
    restError(
      404,
      "ResourceNotFound",
      "The Resource 'Microsoft.Network/privateLinkServices/p' under resource group 'rg' was not found.",
    ),
  ],
  ["404 group", restError(404, "ResourceGroupNotFound", "Resource group 'rg' could not be found.")],
  ["409", restError(409, "Conflict", "Another conflict.")],
  ["409 busy", restError(409, "RetryableErrorDueToAnotherOperation", "busy")],
  ["429 retried", restError(429, "SubscriptionRequestsThrottled", "throttled", "3 7000 2000")],
  ["500 retried", restError(500, "InternalServerError", "Encountered internal server error.", "3 7000 0")],
  ["502", restError(502, "BadGateway", "bad gateway")],
  ["503", restError(503, "ServiceUnavailable", "unavailable")],
  ["LRO failed", new Error("The long-running operation has failed. InternalServerError. Quota exceeded")],
  [
    "LRO failed, other",
    new Error("The long-running operation has failed. Canceled. Operation was canceled."),
  ],
  ["unknown error", new Error("something odd")],
  ["refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })],
  ["no credentials", Object.assign(new Error("no credential"), { name: "CredentialUnavailableError" })],
];

describe("every error from azureError says what to do", () => {
  it.each(CASES)("%s", (_, err) => {
    const e = azureError(err, "approve connection pe-1 of pls-app");
    expect(e.message).toMatch(/^Could not approve connection pe-1 of pls-app/);
    expect(e.hint ?? "", e.message).toMatch(/\S{3,}/);
  });

  it("a quota in a failed operation points at the quota", () => {
    const e = azureError(
      new Error("The long-running operation has failed. InternalServerError. Quota exceeded"),
      "create private endpoint pe-1",
    );
    expect(e.message).toBe(
      "Could not create private endpoint pe-1: Azure reported InternalServerError: Quota exceeded",
    );
    expect(e.hint).toMatch(/quota or limit was reached/);
  });
});

describe("every error from kubeError says what to do", () => {
  const apiError = (code: number, message: string) =>
    Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ message }) });
  it.each([
    ["401", apiError(401, "Unauthorized")],
    ["403", apiError(403, 'services "web" is forbidden')],
    ["404", apiError(404, 'services "web" not found')],
    ["409", apiError(409, "the object has been modified")],
    ["422", apiError(422, "Service is invalid")],
    ["500", apiError(500, "etcdserver: request timed out")],
    ["unknown", new Error("something odd")],
  ])("%s", (_, err) => {
    const e = kubeError(err, "read Service default/web");
    expect(e.message).toMatch(/^Could not read Service default\/web/);
    expect(e.hint ?? "", e.message).toMatch(/\S{3,}/);
  });
});
