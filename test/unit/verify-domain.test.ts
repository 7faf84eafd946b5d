/** The pure rules of `plsctl verify`: the causes' words, --port and --http, the human rendering. */
import { describe, expect, it } from "vitest";
import {
  checkHttpPath,
  dnsMismatchCause,
  notApprovedCause,
  parsePort,
  type VerifyEndpoint,
  type VerifyResult,
} from "../../src/domain/verify.js";
import { makeColors } from "../../src/output/colors.js";
import { renderVerify } from "../../src/output/verify.js";

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const ep = (state: string, description: string | null = null): VerifyEndpoint => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-a`,
  name: "pe-a",
  resourceGroup: "rg",
  state,
  description,
  privateIp: "10.0.0.4",
});

describe("notApprovedCause", () => {
  it("Pending on a PLS alias: the approve line, quoted for a shell", () => {
    const c = notApprovedCause(ep("Pending"), "pls-app.1234.westeurope.azure.privatelinkservice", SUB);
    expect(c.hint).toBe(
      `Ask the provider to run: plsctl approve --pls pls-app.1234.westeurope.azure.privatelinkservice pe-a --from-subscription ${SUB}`,
    );
  });
  it("Pending on a PaaS resource: no plsctl line (its owner approves in Azure)", () => {
    const vault = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;
    expect(notApprovedCause(ep("Pending"), vault, SUB).hint).not.toMatch(/plsctl approve/);
  });
  it("Rejected with and without a description; Disconnected", () => {
    expect(notApprovedCause(ep("Rejected", "not a customer"), "x", SUB).message).toMatch(
      /rejected it: "not a customer"$/,
    );
    expect(notApprovedCause(ep("Rejected"), "x", SUB).message).toMatch(/rejected it\.$/);
  });
  it("Disconnected: the provider removed or recreated its service; ask for the new alias, connect --replace", () => {
    const alias = "pls-app.1234.westeurope.azure.privatelinkservice";
    const c = notApprovedCause(ep("Disconnected"), alias, SUB);
    expect(c.kind).toBe("not-approved");
    expect(c.message).toMatch(
      new RegExp(
        `removed or recreated its service: the Private Link Service behind it \\(${alias.replace(/\./g, "\\.")}\\) is gone or no longer has this connection`,
      ),
    );
    expect(c.hint).toMatch(/Ask the provider for the new alias/);
    expect(c.hint).toMatch(/plsctl connect --pls <new alias> --name pe-a -g rg .*--replace$/);
  });
});

it("dnsMismatchCause says both addresses", () => {
  expect(dnsMismatchCause("dns.example", ["10.0.0.9"], "10.0.0.4").message).toBe(
    "dns.example resolves to 10.0.0.9, the endpoint's IP is 10.0.0.4.",
  );
});

describe("flags", () => {
  it.each(["1", "80", "65535"])("--port %s is taken", (p) => expect(parsePort(p)).toBe(Number(p)));
  it.each(["0", "65536", "-1", "8.5", "http", ""])("--port %j is exit 2", (p) =>
    expect(() => parsePort(p)).toThrow(expect.objectContaining({ exitCode: 2 })),
  );
  it.each(["/", "/healthz?x=1"])("--http %s is taken", (p) => expect(checkHttpPath(p)).toBe(p));
  it.each(["healthz", "/a b", "/\r\nX: y"])("--http %j is exit 2", (p) =>
    expect(() => checkHttpPath(p)).toThrow(expect.objectContaining({ exitCode: 2 })),
  );
});

it("renders a step without a time of its own as '-', and the cause with its hint", () => {
  const r: VerifyResult = {
    reached: false,
    via: "proxy",
    target: { host: "app.example", port: 80, address: "10.0.0.9" },
    endpoint: ep("Approved"),
    dns: { name: "app.example", addresses: ["10.0.0.9"], matchesEndpoint: false },
    steps: [
      { step: "endpoint", ok: true, ms: 12, detail: "pe-a: Approved, IP 10.0.0.4" },
      { step: "resolve", ok: false, ms: null, detail: "app.example resolves to 10.0.0.9" },
    ],
    http: null,
    cause: dnsMismatchCause("app.example", ["10.0.0.9"], "10.0.0.4"),
  };
  const text = renderVerify(r, makeColors(0));
  expect(text).toContain("  ok   endpoint   12 ms  pe-a: Approved, IP 10.0.0.4");
  expect(text).toContain("  FAIL resolve        -  app.example resolves to 10.0.0.9");
  expect(text).toMatch(
    /Not reached: app\.example resolves to 10\.0\.0\.9, the endpoint's IP is 10\.0\.0\.4\.\nPoint app\.example at 10\.0\.0\.4/,
  );
});
