/**
 * `connect --replace` in a landing zone: the partner's spoke01 is linked to central zones in a hub
 * subscription. The A record plsctl wrote in the hub's `fabrikam.internal` follows the replacement
 * — also when `--replace` is run without the DNS flags (the record is found from the old endpoint's
 * tag) — and disconnect still finds it afterwards. A rejected Key Vault endpoint replaced under the
 * same name gets its zone group on the hub's `privatelink.vaultcore.azure.net` again.
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
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const KV = `/subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo`;
const t = useSandbox({ world: hubWorld("contributor") });
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const cli = (args: string[]) => runCli([...args, "-o", "json"], { env: sandboxEnv(t.sb, "partner") });
const writes = () => armWrites(t.sb, "partner");
const pnet = () => networkAs(t.sb, "partner");
const aliasOf = async (pls: string) =>
  (await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, pls)).alias ?? "";

function hubDns(): PrivateDnsManagementClient {
  const token = t.sb.arm.tokens.partner ?? "";
  return new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    HUB_SUB,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}
const hubIps = async (zone: string, label: string) =>
  (await hubDns().recordSets.get(HUB_RG, zone, "A", label)).aRecords?.map((a) => a.ipv4Address);

beforeAll(async () => {
  await exposeToPartner(t, "web", "pls-web");
});

describe("--replace with the record in a hub's zone", () => {
  it("without DNS flags: the hub record plsctl wrote points at the new endpoint; a re-run writes nothing; disconnect deletes it", async () => {
    const oldAlias = await aliasOf("pls-web");
    expect((await cli(["connect", "--pls", oldAlias, ...where, "--name", "pe-first"])).code).toBe(0);
    const first = await cli([
      "connect",
      "--pls",
      oldAlias,
      ...where,
      "--name",
      "pe-hub",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "app",
    ]);
    expect(first.code, first.stderr).toBe(0);
    const oldIp = JSON.parse(first.stdout).privateIp;
    expect(await hubIps("fabrikam.internal", "app")).toEqual([oldIp]);

    await t.core.deleteNamespacedService({ name: "web", namespace: "default" });
    await t.sb.controller.idle();
    await exposeToPartner(t, "web", "pls-web");
    const newAlias = await aliasOf("pls-web");
    expect((await cli(["disconnect", "--name", "pe-first", "-g", "rg-partner"])).code).toBe(0);

    const r = await cli(["connect", "--pls", newAlias, ...where, "--name", "pe-hub", "--replace"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      target: newAlias,
      fqdn: "app.fabrikam.internal",
      dns: { zoneId: hubZoneId("fabrikam.internal"), record: "app", central: true },
      replaced: { target: oldAlias, state: "Disconnected", privateIp: oldIp },
    });
    expect(out.privateIp).not.toBe(oldIp);
    expect(await hubIps("fabrikam.internal", "app")).toEqual([out.privateIp]);
    const pe = await pnet().privateEndpoints.get("rg-partner", "pe-hub");
    expect(pe.tags).toEqual({ plsctlDnsRecord: `${hubZoneId("fabrikam.internal")}/A/app` });

    const before = writes();
    const again = await cli(["connect", "--pls", newAlias, ...where, "--name", "pe-hub", "--replace"]);
    expect(JSON.parse(again.stdout)).toMatchObject({
      changed: false,
      replaced: null,
      fqdn: "app.fabrikam.internal",
    });
    expect(writes()).toBe(before);

    const d = await cli(["disconnect", "--name", "pe-hub", "-g", "rg-partner"]);
    expect(JSON.parse(d.stdout).deletedRecords).toEqual(["app.fabrikam.internal"]);
  });
});

describe("--replace of a rejected Key Vault endpoint", () => {
  it("the same target under the same name: replaced, its zone group on the hub's zone again", async () => {
    const kv = ["connect", "--pls", KV, "--group-id", "vault", ...where, "--name", "pe-kv"];
    const first = await cli(kv);
    expect(first.code, first.stderr).toBe(0);
    const rej = await runCli(["reject", "--pls", KV, "pe-kv", "--from-subscription", PART], { env: t.env });
    expect(rej.code, rej.stderr).toBe(0);
    // Without --replace the same command reuses it and says how to replace it.
    const before = writes();
    const kept = await cli(kv);
    expect(JSON.parse(kept.stdout)).toMatchObject({ state: "Rejected", changed: false });
    expect(kept.stderr).toMatch(/once they agree, re-run this command with --replace/);
    expect(writes()).toBe(before);

    const r = await cli([...kv, "--replace"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      state: "Pending",
      replaced: { target: KV, state: "Rejected" },
      dns: { zoneId: hubZoneId("privatelink.vaultcore.azure.net"), zoneGroup: true },
      changed: true,
    });
    const groups = [];
    for await (const g of pnet().privateDnsZoneGroups.list("rg-partner", "pe-kv")) groups.push(g);
    expect(groups.flatMap((g) => g.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId))).toEqual([
      hubZoneId("privatelink.vaultcore.azure.net"),
    ]);
    const after = writes();
    expect(JSON.parse((await cli([...kv, "--replace"])).stdout)).toMatchObject({ changed: false });
    expect(writes()).toBe(after);
  });
});
