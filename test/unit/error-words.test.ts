/** Error translation that the sandbox cannot show: which credential sent a rejected token, DNS failures. */
import { describe, expect, it } from "vitest";
import { azureError, explainCredentials } from "../../src/azure/errors.js";
import { PlsctlError } from "../../src/domain/errors.js";
import { kubeError } from "../../src/kube/errors.js";

const restError = (statusCode: number, code: string, message: string, url?: string) =>
  Object.assign(new Error(message), {
    name: "RestError",
    statusCode,
    code,
    ...(url ? { request: { url } } : {}),
  });

const asError = (e: unknown): PlsctlError => {
  if (!(e instanceof PlsctlError)) throw new Error("expected a PlsctlError");
  return e;
};

describe("a 401 from ARM", () => {
  const expired = restError(
    401,
    "ExpiredAuthenticationToken",
    "The access token expiry UTC time '9/13/2020 12:26:40 PM' is earlier than current UTC time '1/2/2026 3:04:05 PM'.",
  );

  it("keeps the az login hint when the token came from DefaultAzureCredential", () => {
    const e = asError(
      explainCredentials(azureError(expired, "read Private Link Service pls"), { accessToken: undefined }),
    );
    expect(e.exitCode).toBe(4);
    expect(e.hint).toMatch(/az login/);
  });

  it("blames PLSCTL_ACCESS_TOKEN, with ARM's words, when plsctl sent that token", () => {
    const e = asError(
      explainCredentials(azureError(expired, "read Private Link Service pls"), {
        accessToken: "opaque-token-value",
      }),
    );
    expect(e.message).toBe(
      "Could not read Private Link Service pls: Azure rejected the token in PLSCTL_ACCESS_TOKEN: it has expired (ExpiredAuthenticationToken: The access token expiry UTC time '9/13/2020 12:26:40 PM' is earlier than current UTC time '1/2/2026 3:04:05 PM'.).",
    );
    expect(e.hint).toMatch(/^PLSCTL_ACCESS_TOKEN is sent as is/);
    expect(e.exitCode).toBe(4);
  });

  it("leaves the other-tenant explanation alone", () => {
    const other = azureError(restError(401, "InvalidAuthenticationTokenTenant", "wrong issuer"), "read x");
    expect(explainCredentials(other, { accessToken: "opaque-token-value" })).toBe(other);
  });
});

describe("a 404 from a paged list (the SDK drops ARM's message)", () => {
  it("names the resource group and the subscription from the request", () => {
    const e = azureError(
      restError(
        404,
        "ResourceGroupNotFound",
        "Pagination failed with unexpected statusCode 404",
        "https://management.azure.com/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b/resourceGroups/rg-gone/providers/Microsoft.Network/privateLinkServices?api-version=2024-05-01",
      ),
      "list Private Link Services in resource group rg-gone",
    );
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(
      "Could not list Private Link Services in resource group rg-gone: resource group rg-gone does not exist in subscription 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b (ResourceGroupNotFound).",
    );
    expect(e.hint).toMatch(/az group list --subscription 1b2c3d4e-/);
  });
});

describe("a Kubernetes API that cannot be resolved", () => {
  it("says so in words with the kubeconfig hint", () => {
    const dns = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND aks-x.hcp.westeurope.azmk8s.io"), {
        code: "ENOTFOUND",
      }),
    });
    const e = kubeError(dns, "read Service default/web", "https://aks-x.hcp.westeurope.azmk8s.io:443");
    expect(e.message).toBe(
      "Could not read Service default/web: no answer from the Kubernetes API at https://aks-x.hcp.westeurope.azmk8s.io:443: the host name could not be resolved (ENOTFOUND).",
    );
    expect(e.hint).toMatch(/server in the kubeconfig.*kubectl cluster-info/);
  });

  it("names an unknown fetch failure by its deepest cause", () => {
    const odd = Object.assign(new TypeError("fetch failed"), { cause: new Error("something odd happened") });
    expect(kubeError(odd, "list nodes", "https://127.0.0.1:1").message).toBe(
      "Could not list nodes: no answer from the Kubernetes API at https://127.0.0.1:1: something odd happened.",
    );
  });
});
