/**
 * `connect` / `disconnect` in a landing zone: the partner's spoke01 is linked to central private DNS
 * zones in a hub subscription (`fabrikam.internal`, `privatelink.vaultcore.azure.net`) where the
 * partner may write (Private DNS Zone Contributor). connect writes into the linked hub zone — the A
 * record of a PLS target, the zone group of a Key Vault — and creates no zone or link of its own
 * (Azure would refuse a second link); `--dns-zone-id` names the zone; re-runs write nothing;
 * disconnect deletes the record it wrote in the hub.
 */
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { HUB_RG, HUB_SUB, hubWorld, hubZoneId } from "../sandbox/helpers/worlds.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const KV = `/subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo`;
const t = useSandbox({ world: hubWorld("contributor") });
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const cli = (args: string[]) => runCli([...args, "-o", "json"], { env: sandboxEnv(t.sb, "partner") });
const writes = () => armWrites(t.sb, "partner");
let plsId: string;

function dnsAs(sub: string): PrivateDnsManagementClient {
  const token = t.sb.arm.tokens.partner ?? "";
  return new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    sub,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}
const partnerZones = async () => {
  const out: string[] = [];
  for await (const z of dnsAs(PART).privateZones.listByResourceGroup("rg-partner")) out.push(z.name ?? "");
  return out;
};
const hubRecord = (zone: string, label: string) => dnsAs(HUB_SUB).recordSets.get(HUB_RG, zone, "A", label);

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
});

describe("connect with the spoke linked to a hub's zone", () => {
  it("--dns-zone/--dns-name: the record goes into the hub zone; no zone or link of its own; a re-run writes nothing", async () => {
    const ops = () => ({ ...(t.sb.arm.counters().byIdentity.partner?.byOperation ?? {}) });
    const before0 = ops();
    const r = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--name",
      "pe-hub",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "app",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dns).toMatchObject({
      zone: "fabrikam.internal",
      zoneId: hubZoneId("fabrikam.internal"),
      record: "app",
      central: true,
    });
    expect(out.fqdn).toBe("app.fabrikam.internal");
    expect(r.stderr).toMatch(
      /Private DNS zone fabrikam\.internal is linked to the VNet already, from .*rg-hub-dns/,
    );
    const rec = await hubRecord("fabrikam.internal", "app");
    expect(rec.aRecords?.map((a) => a.ipv4Address)).toEqual([out.privateIp]);
    expect(rec.metadata).toMatchObject({ managedBy: "plsctl", privateEndpointId: out.endpoint.id });
    expect(await partnerZones()).toEqual([]);
    // Economical: one subscription list, the links of the zones of that name only.
    const used = (op: string) => (ops()[op] ?? 0) - (before0[op] ?? 0);
    expect(used("Subscriptions_List")).toBe(1);
    expect(used("VirtualNetworkLinks_List")).toBeLessThanOrEqual(2);

    const before = writes();
    const again = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--name",
      "pe-hub",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "app",
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, dns: { central: true } });
    expect(writes()).toBe(before);
  });

  it("disconnect deletes the record it wrote in the hub zone, and only that", async () => {
    await dnsAs(HUB_SUB).recordSets.createOrUpdate(HUB_RG, "fabrikam.internal", "A", "other", {
      ttl: 300,
      aRecords: [{ ipv4Address: "10.9.9.9" }],
    });
    const r = await cli(["disconnect", "--name", "pe-hub", "-g", "rg-partner"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      endpointDeleted: true,
      deletedRecords: ["app.fabrikam.internal"],
    });
    await expect(hubRecord("fabrikam.internal", "app")).rejects.toMatchObject({ statusCode: 404 });
    expect((await hubRecord("fabrikam.internal", "other")).aRecords).toEqual([{ ipv4Address: "10.9.9.9" }]);
    const again = await cli(["disconnect", "--name", "pe-hub", "-g", "rg-partner"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, deletedRecords: [] });
  });

  it("an endpoint first made without DNS: the re-run with --dns-zone tags it, and disconnect still finds the hub record", async () => {
    const first = await cli(["connect", "--pls", plsId, ...where, "--name", "pe-later"]);
    expect(first.code, first.stderr).toBe(0);
    const r = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--name",
      "pe-later",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "later",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Pending", changed: true, dns: { central: true } });
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-later");
    expect(pe.tags).toEqual({ plsctlDnsRecord: `${hubZoneId("fabrikam.internal")}/A/later` });
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Pending",
    );
    const d = await cli(["disconnect", "--name", "pe-later", "-g", "rg-partner"]);
    expect(JSON.parse(d.stdout).deletedRecords).toEqual(["later.fabrikam.internal"]);
    await expect(hubRecord("fabrikam.internal", "later")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("--dns-zone-id names the zone: the record goes there", async () => {
    const r = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--name",
      "pe-byid",
      "--dns-zone-id",
      hubZoneId("fabrikam.internal"),
      "--dns-name",
      "api",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).dns).toMatchObject({
      zone: "fabrikam.internal",
      zoneId: hubZoneId("fabrikam.internal"),
      central: true,
    });
    expect((await hubRecord("fabrikam.internal", "api")).aRecords?.length).toBe(1);
    expect(await partnerZones()).toEqual([]);
    const d = await cli(["disconnect", "--name", "pe-byid", "-g", "rg-partner"]);
    expect(JSON.parse(d.stdout).deletedRecords).toEqual(["api.fabrikam.internal"]);
  });

  it("--dns-zone-id that is not a zone id, or names another zone than --dns-zone: exit 2, no request", async () => {
    const before = writes();
    const bad = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--dns-zone-id",
      "/subscriptions/x/resourceGroups/y",
      "--dns-name",
      "a",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dns-zone-id .* is not a private DNS zone's resource id/);
    const clash = await cli([
      "connect",
      "--pls",
      plsId,
      ...where,
      "--dns-zone",
      "other.internal",
      "--dns-zone-id",
      hubZoneId("fabrikam.internal"),
      "--dns-name",
      "a",
    ]);
    expect(clash.code).toBe(2);
    expect(writes()).toBe(before);
  });

  it("a Key Vault target: the zone group points at the hub's privatelink.vaultcore.azure.net", async () => {
    const r = await cli(["connect", "--pls", KV, "--group-id", "vault", ...where, "--name", "pe-kv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).dns).toMatchObject({
      zoneId: hubZoneId("privatelink.vaultcore.azure.net"),
      zoneGroup: true,
      central: true,
    });
    const groups = [];
    for await (const g of networkAs(t.sb, "partner").privateDnsZoneGroups.list("rg-partner", "pe-kv"))
      groups.push(g);
    expect(groups.flatMap((g) => g.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId))).toEqual([
      hubZoneId("privatelink.vaultcore.azure.net"),
    ]);
    expect(await partnerZones()).toEqual([]);
    const rec = await hubRecord("privatelink.vaultcore.azure.net", "kv-contoso-demo");
    expect(rec.aRecords?.length).toBe(1);
    const again = await cli(["connect", "--pls", KV, "--group-id", "vault", ...where, "--name", "pe-kv"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false });
    // The zone group's record in the hub goes with the endpoint.
    const d = await cli(["disconnect", "--name", "pe-kv", "-g", "rg-partner"]);
    expect(JSON.parse(d.stdout).deletedRecords).toEqual(["kv-contoso-demo.privatelink.vaultcore.azure.net"]);
    await expect(hubRecord("privatelink.vaultcore.azure.net", "kv-contoso-demo")).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
