/** The partner's rules without I/O: what --pls names, PaaS group ids and zones, subnet, DNS and message flags. */
import { describe, expect, it } from "vitest";
import {
  approveCommand,
  checkDnsFlags,
  checkRequestMessage,
  endpointName,
  isOurRecord,
  paasGroup,
  parseConnectTarget,
  recordMetadata,
  subnetIdOf,
} from "../../src/domain/connect.js";

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const ALIAS = "pls-app.3f2a1b0c-1111-4222-8333-444455556666.westeurope.azure.privatelinkservice";
const PLS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls-app`;
const KV = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-app`;
const SQL = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app`;
const BLOB = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stapp`;

describe("parseConnectTarget", () => {
  it("an alias and a PLS id", () => {
    expect(parseConnectTarget(ALIAS, undefined, "AzureCloud")).toMatchObject({
      kind: "alias",
      name: "pls-app",
      region: "westeurope",
    });
    expect(parseConnectTarget(PLS_ID, undefined, "AzureCloud")).toMatchObject({
      kind: "pls",
      name: "pls-app",
      subscriptionId: SUB,
    });
  });

  it.each([
    [KV, "vault", "privatelink.vaultcore.azure.net", "kv-app.vault.azure.net"],
    [SQL, "sqlServer", "privatelink.database.windows.net", "sql-app.database.windows.net"],
    [BLOB, "blob", "privatelink.blob.core.windows.net", "stapp.blob.core.windows.net"],
    [KV, "VAULT", "privatelink.vaultcore.azure.net", "kv-app.vault.azure.net"],
  ])("%s with --group-id %s: the standard zone %s", (id, group, zone, fqdn) => {
    expect(parseConnectTarget(id, group, "AzureCloud")).toMatchObject({
      kind: "paas",
      zone,
      fqdn,
      groupId: paasGroup(group),
    });
  });

  it("a resource id ending in '/' names the same resource", () => {
    expect(parseConnectTarget(`${KV}/`, "vault", "AzureCloud")).toMatchObject({ ref: KV, name: "kv-app" });
    expect(parseConnectTarget(` ${PLS_ID}// `, undefined, "AzureCloud")).toMatchObject({ ref: PLS_ID });
  });

  it("the zone follows --cloud", () => {
    expect(parseConnectTarget(SQL, "sqlServer", "AzureUSGovernment")).toMatchObject({
      zone: "privatelink.database.usgovcloudapi.net",
    });
  });

  it.each([
    [ALIAS, "vault", /a Private Link Service has no group ids/],
    [PLS_ID, "blob", /a Private Link Service has no group ids/],
    [KV, "table", /is not one plsctl knows/],
    [KV, "blob", /not the resource id of a Microsoft.Storage\/storageAccounts resource/],
    [KV, undefined, /not the resource id of a Private Link Service/],
    ["pls-app", undefined, /neither a Private Link Service resource id nor an alias/],
  ])("%s with --group-id %s: exit 2", (pls, group, message) => {
    expect(() => parseConnectTarget(pls, group, "AzureCloud")).toThrow(message);
    try {
      parseConnectTarget(pls, group, "AzureCloud");
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe("flags", () => {
  it("--request-message: 140 characters pass, 141 do not", () => {
    expect(() => checkRequestMessage("x".repeat(140))).not.toThrow();
    expect(() => checkRequestMessage("x".repeat(141))).toThrow(/141 characters long/);
  });

  it("--name, else pe-<target name>", () => {
    const t = parseConnectTarget(ALIAS, undefined, "AzureCloud");
    expect(endpointName(undefined, t)).toBe("pe-pls-app");
    expect(endpointName("pe-x", t)).toBe("pe-x");
    expect(() => endpointName("-bad", t)).toThrow(/not a valid private endpoint name/);
    // Azure's rule for private endpoints: 2-64 characters, ending with a letter, digit or '_'.
    expect(endpointName("p".repeat(64), t)).toBe("p".repeat(64));
    expect(endpointName("pe_", t)).toBe("pe_");
    expect(() => endpointName("p".repeat(65), t)).toThrow(/65 characters, at most 64/);
    expect(() => endpointName("p", t)).toThrow(/not a valid private endpoint name/);
    const long = parseConnectTarget(`${ALIAS.replace(/^[^.]+/, "p".repeat(80))}`, undefined, "AzureCloud");
    expect(endpointName(undefined, long)).toBe(`pe-${"p".repeat(61)}`);
  });

  it("--subnet-id or --vnet/--subnet, in the endpoint's subscription", () => {
    const id = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s`;
    expect(subnetIdOf({ subnetId: id }, { subscriptionId: undefined, resourceGroup: "rg" })).toEqual({
      subnetId: id,
      subscriptionId: SUB,
    });
    expect(
      subnetIdOf({ vnet: "v", subnet: "s" }, { subscriptionId: SUB, resourceGroup: "net" }).subnetId,
    ).toBe(id);
    expect(() => subnetIdOf({ vnet: "v" }, { subscriptionId: SUB, resourceGroup: "rg" })).toThrow(
      /Which subnet/,
    );
    expect(() =>
      subnetIdOf({ subnetId: id, vnet: "v" }, { subscriptionId: SUB, resourceGroup: "rg" }),
    ).toThrow(/alone/);
    expect(() => subnetIdOf({ subnetId: PLS_ID }, { subscriptionId: SUB, resourceGroup: "rg" })).toThrow(
      /not a subnet/,
    );
    expect(() => subnetIdOf({ subnetId: id }, { subscriptionId: "other", resourceGroup: "rg" })).toThrow(
      /--subscription is other/,
    );
  });

  it("--dns-zone and --dns-name go together, never with a PaaS target", () => {
    const pls = parseConnectTarget(ALIAS, undefined, "AzureCloud");
    expect(checkDnsFlags({}, pls)).toBeUndefined();
    expect(checkDnsFlags({ dnsZone: "Fabrikam.Internal.", dnsName: "App" }, pls)).toEqual({
      zone: "fabrikam.internal",
      label: "app",
    });
    expect(() => checkDnsFlags({ dnsZone: "fabrikam.internal" }, pls)).toThrow(/go together/);
    expect(() => checkDnsFlags({ overwriteDns: true }, pls)).toThrow(/goes with --dns-zone/);
    expect(() => checkDnsFlags({ dnsZone: "bad zone", dnsName: "a" }, pls)).toThrow(/not a DNS zone/);
    const kv = parseConnectTarget(KV, "vault", "AzureCloud");
    expect(() => checkDnsFlags({ dnsZone: "x.internal", dnsName: "a" }, kv)).toThrow(
      /privatelink\.vaultcore\.azure\.net/,
    );
  });
});

describe("records and the approve line", () => {
  const pe = `/subscriptions/${SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe-a`;

  it("a record is plsctl's only with its marker and this endpoint's id (any casing)", () => {
    expect(isOurRecord(recordMetadata(pe), pe.toUpperCase())).toBe(true);
    expect(isOurRecord(recordMetadata(`${pe}x`), pe)).toBe(false);
    expect(isOurRecord({ privateEndpointId: pe }, pe)).toBe(false);
    expect(isOurRecord(undefined, pe)).toBe(false);
  });

  it("the approve line names the PLS, the endpoint and the partner's subscription, quoted for a shell", () => {
    expect(approveCommand(ALIAS, "pe-a", SUB)).toBe(
      `plsctl approve --pls ${ALIAS} pe-a --from-subscription ${SUB}`,
    );
  });
});
