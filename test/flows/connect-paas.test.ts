/**
 * plsctl connect / disconnect against the sandbox's Azure PaaS targets (Key Vault, SQL server,
 * Storage blob), through the real SDK: the partner (other tenant) gets a manual, Pending connection
 * carrying its request message, a zone group on the group id's standard `privatelink.*` zone in its
 * own resource group (zone and VNet link created when missing) and the A record Azure writes there;
 * the provider's own identity gets an automatic, Approved one; re-runs write nothing; disconnect
 * takes the endpoint and the group's record; a wrong --group-id is refused before any request, and
 * Azure's own refusal of one is a clear exit 2; --wait-approved ends when the owner approves.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { armAs } from "../sandbox/helpers/sandbox.js";

const PROV = DEFAULT_IDS.providerSubscriptionId;
const PART = DEFAULT_IDS.partnerSubscriptionId;
const DATA = `/subscriptions/${PROV}/resourceGroups/rg-data/providers`;
const t = useSandbox();

const TARGETS = [
  {
    group: "vault",
    id: `${DATA}/Microsoft.KeyVault/vaults/kv-contoso-demo`,
    api: "2024-11-01",
    zone: "privatelink.vaultcore.azure.net",
    fqdn: "kv-contoso-demo.vault.azure.net",
  },
  {
    group: "sqlServer",
    id: `${DATA}/Microsoft.Sql/servers/sql-contoso-demo`,
    api: "2021-11-01",
    zone: "privatelink.database.windows.net",
    fqdn: "sql-contoso-demo.database.windows.net",
  },
  {
    group: "blob",
    id: `${DATA}/Microsoft.Storage/storageAccounts/stcontosodemo`,
    api: "2023-05-01",
    zone: "privatelink.blob.core.windows.net",
    fqdn: "stcontosodemo.blob.core.windows.net",
  },
] as const;
type Target = (typeof TARGETS)[number];
const nameOf = (x: Target) => x.id.split("/").pop() ?? "";

const asPartner = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const asProvider = ["-g", "rg-aks", "--vnet", "aks-vnet", "--subnet", "aks-subnet"];
const cli = (identity: string, args: string[], o: { clock?: FakeClock } = {}) =>
  runCli([...args, "-o", "json"], { env: sandboxEnv(t.sb, identity), ...o });

interface Pec {
  name: string;
  properties: {
    privateEndpoint: { id: string };
    privateLinkServiceConnectionState: { status: string; description: string };
  };
}
/** The target owner's view of the connection of endpoint `pe`. */
async function connectionOn(x: Target, pe: string, rg = "rg-partner"): Promise<Pec | undefined> {
  const all = await armAs(t.sb).list<Pec>(`${x.id}/privateEndpointConnections?api-version=${x.api}`);
  return all.find((c) =>
    c.properties.privateEndpoint.id.endsWith(
      `/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/${pe}`,
    ),
  );
}

/** The A record `name` of private zone `zone` in the partner's rg-partner, via the real DNS client. */
async function partnerRecord(zone: string, name: string) {
  const { PrivateDnsManagementClient } = await import("@azure/arm-privatedns");
  const token = t.sb.arm.tokens.partner ?? "";
  const dns = new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    PART,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
  const links = [];
  for await (const l of dns.virtualNetworkLinks.list("rg-partner", zone)) links.push(l);
  const rec = await dns.recordSets.get("rg-partner", zone, "A", name).catch((e: { statusCode?: number }) => {
    if (e.statusCode === 404) return undefined;
    throw e;
  });
  return { links, rec };
}

describe.each(TARGETS)("connect --group-id $group", (x) => {
  const pe = `pe-${x.group.toLowerCase()}`;
  const partnerArgs = ["connect", ...asPartner, "--pls", x.id, "--group-id", x.group, "--name", pe];

  it("the partner (other tenant): manual, Pending with its request message; zone group, zone, link and the A record; FQDN out", async () => {
    const r = await cli("partner", [...partnerArgs, "--request-message", "Fabrikam, ticket 7"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      targetKind: "paas",
      groupId: x.group,
      manual: true,
      state: "Pending",
      fqdn: x.fqdn,
      dns: { zone: x.zone, record: null, zoneGroup: true },
      // The owner approves with plsctl, as a PLS's provider does.
      approveCommand: `plsctl approve --pls ${x.id} ${pe} --from-subscription ${PART}`,
      changed: true,
    });
    expect(r.stderr).toMatch(/Manual connection: the resource is in another subscription/);
    expect((await connectionOn(x, pe))?.properties.privateLinkServiceConnectionState).toMatchObject({
      status: "Pending",
      description: "Fabrikam, ticket 7",
    });
    const groups = [];
    for await (const g of networkAs(t.sb, "partner").privateDnsZoneGroups.list("rg-partner", pe))
      groups.push(g);
    expect(groups.flatMap((g) => g.privateDnsZoneConfigs?.map((c) => c.privateDnsZoneId))).toEqual([
      `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/privateDnsZones/${x.zone}`,
    ]);
    const { links, rec } = await partnerRecord(x.zone, nameOf(x));
    expect(links.map((l) => [l.virtualNetwork?.id?.split("/").pop(), l.registrationEnabled])).toEqual([
      ["spoke01", false],
    ]);
    expect(rec?.aRecords).toEqual([{ ipv4Address: out.privateIp }]);
  });

  it("a re-run writes nothing", async () => {
    const before = armWrites(t.sb, "partner");
    const r = await cli("partner", [...partnerArgs, "--request-message", "Fabrikam, ticket 7"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Pending", changed: false, fqdn: x.fqdn });
    expect(armWrites(t.sb, "partner")).toBe(before);
  });

  it("a re-run with the id as pasted with a trailing '/' (and the group id in other casing) is the same endpoint", async () => {
    const before = armWrites(t.sb, "partner");
    const args = [
      "connect",
      ...asPartner,
      "--pls",
      `${x.id}/`,
      "--group-id",
      x.group.toUpperCase(),
      "--name",
      pe,
    ];
    const r = await cli("partner", args);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Pending", changed: false });
    expect(armWrites(t.sb, "partner")).toBe(before);
  });

  it("the provider's own identity (rights on the target's subscription): automatic, Approved", async () => {
    const r = await cli("provider", [
      "connect",
      ...asProvider,
      "--pls",
      x.id,
      "--group-id",
      x.group,
      "--name",
      pe,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ manual: false, state: "Approved", approveCommand: null });
    expect(r.stderr).toMatch(/Automatic connection: the resource is in your subscription/);
    expect((await connectionOn(x, pe, "rg-aks"))?.properties.privateLinkServiceConnectionState.status).toBe(
      "Approved",
    );
    expect((await cli("provider", ["disconnect", "--name", pe, "-g", "rg-aks"])).code).toBe(0);
  });

  it("disconnect: the endpoint, its connection and the zone group's record go; a second run writes nothing", async () => {
    const fqdn = `${nameOf(x)}.${x.zone}`;
    const r = await cli("partner", ["disconnect", "--name", pe, "-g", "rg-partner"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      endpointDeleted: true,
      deletedRecords: [fqdn],
      changed: true,
    });
    await expect(networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", pe)).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await connectionOn(x, pe)).toBeUndefined();
    expect((await partnerRecord(x.zone, nameOf(x))).rec).toBeUndefined();
    const before = armWrites(t.sb, "partner");
    const again = await cli("partner", ["disconnect", "--name", pe, "-g", "rg-partner"]);
    expect(JSON.parse(again.stdout)).toMatchObject({
      endpointDeleted: false,
      deletedRecords: [],
      changed: false,
    });
    expect(armWrites(t.sb, "partner")).toBe(before);
  });
});

/** `connect` to the Key Vault (`--name name`) while ARM answers the endpoint's PUT once with a 400 `code`. */
async function connectRefusedOnce(name: string, code: string, message: string) {
  t.sb.arm.setFaults([
    { status: 400, code, message, times: 1, match: { method: "PUT", path: "**/privateEndpoints/*" } },
  ]);
  try {
    const [kv] = TARGETS;
    return await cli("partner", [
      "connect",
      ...asPartner,
      "--pls",
      kv.id,
      "--group-id",
      "vault",
      "--name",
      name,
    ]);
  } finally {
    t.sb.arm.setFaults([]);
  }
}

describe("a wrong --group-id", () => {
  const [kv, sql, st] = TARGETS;
  it.each([
    [
      sql.id,
      "vault",
      /not the resource id of a Microsoft\.KeyVault\/vaults resource.*A Microsoft\.Sql\/servers resource takes --group-id sqlServer/s,
    ],
    [kv.id, "blob", /A Microsoft\.KeyVault\/vaults resource takes --group-id vault/],
    [st.id, "vaults", /--group-id "vaults" is not one plsctl knows.*takes --group-id blob/s],
  ])("%s with --group-id %s: exit 2 before any request", async (id, group, message) => {
    t.sb.arm.resetCounters();
    const r = await cli("partner", ["connect", ...asPartner, "--pls", id, "--group-id", group]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("Azure's refusal of a group id (400) is exit 2 saying so, nothing created", async () => {
    const r = await connectRefusedOnce(
      "pe-refused",
      "InvalidValuesForRequestParameters",
      "Group id vault is not valid for this resource.",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Azure refused --group-id vault for kv-contoso-demo: Group id vault is not valid for this resource\. \(400 InvalidValuesForRequestParameters\)\. Nothing was created\./,
    );
    expect(r.stderr).toContain(`az network private-link-resource list --id ${kv.id}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    await expect(
      networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-refused"),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("a 400 whose code is not a group-id refusal stays Azure's error (exit 1), whatever its text says", async () => {
    const r = await connectRefusedOnce(
      "pe-other-400",
      "InvalidRequestFormat",
      "The group id in the request body could not be parsed.",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not be parsed\. \(400 InvalidRequestFormat\)/);
    expect(r.stderr).not.toMatch(/Azure refused --group-id/);
  });
});

describe("--wait-approved on a PaaS target", () => {
  it("ends when the owner approves with a PUT on the vault's privateEndpointConnections", async () => {
    const [kv] = TARGETS;
    const clock = new FakeClock(Date.now());
    const run = cli(
      "partner",
      [
        "connect",
        ...asPartner,
        "--pls",
        kv.id,
        "--group-id",
        "vault",
        "--name",
        "pe-wait",
        "--wait-approved",
      ],
      { clock },
    );
    await clock.sleeping();
    const pec = await connectionOn(kv, "pe-wait");
    expect(pec?.properties.privateLinkServiceConnectionState.status).toBe("Pending");
    await armAs(t.sb).put(`${kv.id}/privateEndpointConnections/${pec?.name}?api-version=${kv.api}`, {
      properties: { privateLinkServiceConnectionState: { status: "Approved", description: "Contoso: ok" } },
    });
    const r = await runClock(clock, run);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      state: "Approved",
      description: "Contoso: ok",
      manual: true,
    });
    expect(r.stderr).toMatch(/Waiting for the provider to approve pe-wait \(Pending\)/);
  });

  it("without it, the table says who approves a Pending PaaS connection and where", async () => {
    const [, sql] = TARGETS;
    const r = await runCli(
      ["connect", ...asPartner, "--pls", sql.id, "--group-id", "sqlServer", "--name", "pe-table"],
      {
        env: sandboxEnv(t.sb, "partner"),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("The connection waits for the owner of sql-contoso-demo to approve it");
    expect(r.stdout).toContain(`plsctl approve --pls ${sql.id} pe-table --from-subscription ${PART}`);
    expect(r.stdout).toContain(`az network private-endpoint-connection list --id ${sql.id}`);
  });
});
