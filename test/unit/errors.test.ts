import { describe, expect, it } from "vitest";
import { azureError, parseAuthorizationMessage } from "../../src/azure/errors.js";
import { EXIT_CODE_HELP, ExitCode, PlsctlError } from "../../src/domain/errors.js";
import { makeColors } from "../../src/output/colors.js";
import { showError, toPlsctlError } from "../../src/output/errors.js";

const restError = (statusCode: number, code: string, message: string) =>
  Object.assign(new Error(message), { name: "RestError", statusCode, code });

const AUTHZ =
  "The client 'ci@contoso' with object id '5b6c' does not have authorization to perform action " +
  "'Microsoft.Network/privateLinkServices/write' over scope '/subscriptions/s1/resourceGroups/rg' or the scope is invalid. " +
  "If access was recently granted, please refresh your credentials.";
const LINKED =
  "The client 'x' with object id 'y' has permission to perform action 'Microsoft.Network/privateEndpoints/write' on scope " +
  "'/subscriptions/p/resourceGroups/rg-partner'; however, it does not have permission to perform action " +
  "'Microsoft.Network/privateLinkServices/privateEndpointConnectionsApproval/action' on the linked scope(s) " +
  "'/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/privateLinkServices/pls' or the linked scope(s) are invalid.";

describe("exit-code dictionary", () => {
  it("documents every code exactly once", () => {
    expect(EXIT_CODE_HELP.map(([c]) => c).sort((a, b) => a - b)).toEqual(
      Object.values(ExitCode).sort((a, b) => a - b),
    );
    expect(ExitCode).toEqual({
      Ok: 0,
      Failed: 1,
      Usage: 2,
      NotFound: 3,
      Auth: 4,
      Timeout: 5,
      Interrupted: 130,
    });
  });
});

describe("azureError", () => {
  it.each([
    [
      401,
      "InvalidAuthenticationToken",
      "The access token is invalid.",
      ExitCode.Auth,
      /rejected the credentials/,
    ],
    [401, "ExpiredAuthenticationToken", "expired", ExitCode.Auth, /az login/],
    [
      403,
      "AuthorizationFailed",
      AUTHZ,
      ExitCode.Auth,
      /not allowed to perform 'Microsoft\.Network\/privateLinkServices\/write' on \/subscriptions\/s1\/resourceGroups\/rg/,
    ],
    [
      403,
      "LinkedAuthorizationFailed",
      LINKED,
      ExitCode.Auth,
      /privateEndpointConnectionsApproval\/action' on \/subscriptions\/s\//,
    ],
    [
      404,
      "ResourceNotFound",
      "The Resource 'x' was not found.",
      ExitCode.NotFound,
      /not found \(ResourceNotFound/,
    ],
    [
      404,
      "ResourceGroupNotFound",
      "Resource group 'rg' could not be found.",
      ExitCode.NotFound,
      /ResourceGroupNotFound/,
    ],
    [429, "SubscriptionRequestsThrottled", "too many", ExitCode.Failed, /throttling/],
    [409, "AnotherOperationInProgress", "busy", ExitCode.Failed, /busy \(409 AnotherOperationInProgress\)/],
    [500, "InternalServerError", "boom", ExitCode.Failed, /boom/],
  ])("maps %i %s", (status, code, message, exitCode, pattern) => {
    const e = azureError(restError(status, code, message), "read Private Link Service pls");
    expect(e.exitCode).toBe(exitCode);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^Could not read Private Link Service pls: /);
    expect(`${e.message} ${e.hint ?? ""}`).toMatch(pattern);
  });

  it("names the missing permission and scope in the hint", () => {
    const e = azureError(restError(403, "AuthorizationFailed", AUTHZ), "create the PLS");
    expect(e.hint).toContain("'Microsoft.Network/privateLinkServices/write'");
  });

  it("maps missing credentials to 4 and network failures to 1 with the cause in words", () => {
    const cred = Object.assign(new Error("no az"), { name: "CredentialUnavailableError" });
    expect(azureError(cred, "list").exitCode).toBe(ExitCode.Auth);
    const refused = Object.assign(new Error("fetch failed"), {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    const e = azureError(refused, "list PLS");
    expect(e.exitCode).toBe(ExitCode.Failed);
    expect(e.message).toMatch(/connection was refused/);
    const tls = Object.assign(new Error("self signed"), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    expect(azureError(tls, "list PLS").message).toMatch(/untrusted CA/);
  });

  it("reports a failed long-running operation with Azure's code", () => {
    const e = azureError(
      new Error(
        "The long-running operation has failed. InvalidResourceReference. Resource /x was not found.",
      ),
      "create the endpoint",
    );
    expect(e.code).toBe("InvalidResourceReference");
    expect(e.message).toContain("Azure reported InvalidResourceReference: Resource /x was not found.");
  });

  it("parses ARM authorization messages", () => {
    expect(parseAuthorizationMessage(AUTHZ)).toEqual({
      action: "Microsoft.Network/privateLinkServices/write",
      scope: "/subscriptions/s1/resourceGroups/rg",
    });
    expect(parseAuthorizationMessage("nope")).toEqual({});
  });
});

describe("showError", () => {
  const colors = makeColors(0);
  it("prints message and hint, no stack unless verbose", () => {
    const err = new PlsctlError("Service default/web not found.", {
      exitCode: ExitCode.NotFound,
      hint: "Check -n.",
    });
    const shown = showError(err, colors, false);
    expect(shown.exitCode).toBe(3);
    expect(shown.text).toBe("error: Service default/web not found.\n  Check -n.\n");
    expect(shown.json.error).toMatchObject({ message: "Service default/web not found.", exitCode: 3 });
  });

  it("treats unknown errors as bugs with a stack under --verbose only", () => {
    const bug = new TypeError("x is undefined");
    expect(showError(bug, colors, false).text).not.toContain("at ");
    expect(showError(bug, colors, true).text).toMatch(/TypeError: x is undefined\n\s+at /);
    expect(toPlsctlError(bug).exitCode).toBe(1);
  });

  it("maps aborts to 130", () => {
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(toPlsctlError(abort).exitCode).toBe(130);
  });
});
