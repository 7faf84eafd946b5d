/**
 * Key Vault vaults, SQL servers and Storage accounts as private link targets: served as ARM
 * resources with their private link resources, and private endpoints to them (real arm-network
 * client) that create connections on them: Pending for the partner's manual request, Approved for
 * the provider's automatic one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AKS_SUBNET_ID, failure, PE_SUBNET_ID, PROV_SUB, startTestArm, type TestArm } from "./helpers/arm.js";

let arm: TestArm;
beforeAll(async () => {
  arm = await startTestArm();
});
afterAll(async () => {
  await arm.close();
});

const RG = `/subscriptions/${PROV_SUB}/resourceGroups/rg-data/providers`;
const TARGETS = [
  {
    type: "Microsoft.KeyVault/vaults",
    api: "2024-11-01",
    name: "kv-contoso-demo",
    group: "vault",
    member: "default",
    fqdn: "kv-contoso-demo.vault.azure.net",
    groups: ["vault"],
    zone: "privatelink.vaultcore.azure.net",
  },
  {
    type: "Microsoft.Sql/servers",
    api: "2021-11-01",
    name: "sql-contoso-demo",
    group: "sqlServer",
    member: "sqlServer",
    fqdn: "sql-contoso-demo.database.windows.net",
    groups: ["sqlServer"],
    zone: "privatelink.database.windows.net",
  },
  {
    type: "Microsoft.Storage/storageAccounts",
    api: "2023-05-01",
    name: "stcontosodemo",
    group: "blob",
    member: "blob",
    fqdn: "stcontosodemo.blob.core.windows.net",
    groups: ["blob", "file", "queue", "table", "web", "dfs"],
    zone: "privatelink.blob.core.windows.net",
  },
] as const;

type Target = (typeof TARGETS)[number];
const idOf = (t: Target) => `${RG}/${t.type}/${t.name}`;

const endpoint = (t: Target, o: { manual: boolean; subnet?: string; groupIds?: string[] }) => ({
  location: "westeurope",
  subnet: { id: o.subnet ?? PE_SUBNET_ID },
  [o.manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections"]: [
    {
      name: "c",
      privateLinkServiceId: idOf(t),
      groupIds: o.groupIds ?? [t.group],
      ...(o.manual ? { requestMessage: "Fabrikam, ticket 7" } : {}),
    },
  ],
});

interface Connection {
  id: string;
  type: string;
  properties: { privateEndpoint: { id: string }; privateLinkServiceConnectionState: { status: string } };
}

const connectionsOf = async (t: Target): Promise<Connection[]> => {
  const r = await arm.raw("GET", `${idOf(t)}?api-version=${t.api}`);
  expect(r.status).toBe(200);
  return (r.body as { properties: { privateEndpointConnections: Connection[] } }).properties
    .privateEndpointConnections;
};

describe("the providers", () => {
  it("Microsoft.KeyVault, Microsoft.Sql and Microsoft.Storage are registered; others still are not", async () => {
    const list = await arm.raw("GET", `/subscriptions/${PROV_SUB}/providers?api-version=2021-04-01`);
    const names = (list.body as { value: { namespace: string }[] }).value.map((p) => p.namespace);
    expect(names).toEqual(
      expect.arrayContaining(["Microsoft.KeyVault", "Microsoft.Sql", "Microsoft.Storage"]),
    );
    const nope = await arm.raw("GET", `${RG}/Microsoft.Nope/things/x?api-version=2024-01-01`);
    expect((nope.body as { error: { code: string } }).error.code).toBe("NoRegisteredProviderFound");
  });
});

describe.each(TARGETS)("$type", (t) => {
  it("is served: GET, lists, and its private link resources with their zones", async () => {
    const r = await arm.raw("GET", `${idOf(t)}?api-version=${t.api}`);
    expect(r.body).toMatchObject({
      id: idOf(t),
      name: t.name,
      type: t.type,
      location: "westeurope",
      properties: { privateEndpointConnections: [] },
    });
    const inRg = await arm.raw("GET", `${RG}/${t.type}?api-version=${t.api}`);
    expect((inRg.body as { value: { name: string }[] }).value.map((x) => x.name)).toEqual([t.name]);
    const inSub = await arm.raw("GET", `/subscriptions/${PROV_SUB}/providers/${t.type}?api-version=${t.api}`);
    expect((inSub.body as { value: { name: string }[] }).value.map((x) => x.name)).toEqual([t.name]);
    const plr = await arm.raw("GET", `${idOf(t)}/privateLinkResources?api-version=${t.api}`);
    const groups = (plr.body as { value: { name: string; properties: Record<string, unknown> }[] }).value;
    expect(groups.map((g) => g.name)).toEqual(t.groups);
    expect(groups[0]?.properties).toEqual({
      groupId: t.group,
      requiredMembers: [t.member],
      requiredZoneNames: [t.zone],
    });
    const badVersion = await arm.raw("GET", `${idOf(t)}?api-version=2026-01-01`);
    expect((badVersion.body as { error: { code: string } }).error.code).toBe("InvalidApiVersionParameter");
    const partner = await arm.raw("GET", `${idOf(t)}?api-version=${t.api}`, { identity: "partner" });
    expect(partner.status).toBe(401); // a token of another tenant
  });

  it("the partner's manual endpoint: a Pending connection on it, the NIC's groupId and the target's FQDN", async () => {
    const net = arm.net("partner");
    const pe = await net.privateEndpoints.createOrUpdate(
      "rg-partner",
      `pe-${t.name}`,
      endpoint(t, { manual: true }),
      {
        updateIntervalInMs: 10,
      },
    );
    const conn = pe.manualPrivateLinkServiceConnections?.[0];
    expect(conn?.privateLinkServiceConnectionState?.status).toBe("Pending");
    expect(conn?.groupIds).toEqual([t.group]);
    const ip = pe.customDnsConfigs?.[0]?.ipAddresses?.[0];
    expect(pe.customDnsConfigs).toEqual([{ fqdn: t.fqdn, ipAddresses: [ip] }]);
    const nic = await net.networkInterfaces.get(
      "rg-partner",
      pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? "",
    );
    expect(nic.ipConfigurations?.[0]?.privateLinkConnectionProperties).toEqual({
      groupId: t.group,
      requiredMemberName: t.member,
      fqdns: [t.fqdn],
    });
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe(ip);
    const conns = await connectionsOf(t);
    expect(conns).toHaveLength(1);
    expect(conns[0]).toMatchObject({
      type: `${t.type}/privateEndpointConnections`,
      properties: {
        privateEndpoint: { id: pe.id },
        privateLinkServiceConnectionState: { status: "Pending", description: "Fabrikam, ticket 7" },
      },
    });

    // The owner approves through its provider's API; the partner's endpoint shows it.
    const pecUrl = `${conns[0]?.id}?api-version=${t.api}`;
    const denied = await arm.raw("PUT", pecUrl, {
      identity: "ci", // the provider's tenant, but no rights on rg-data
      body: { properties: { privateLinkServiceConnectionState: { status: "Approved" } } },
    });
    expect(denied.status).toBe(403);
    const approved = await arm.raw("PUT", pecUrl, {
      body: { properties: { privateLinkServiceConnectionState: { status: "Approved", description: "ok" } } },
    });
    // SQL's PUT is long-running (202 and a monitor: PrivateEndpointConnections.json, 2021-11-01); the others answer 200.
    expect(approved.status).toBe(t.type === "Microsoft.Sql/servers" ? 202 : 200);
    if (approved.status === 202)
      expect(String(approved.headers["azure-asyncoperation"])).toMatch(/operations\//);
    const after = await net.privateEndpoints.get("rg-partner", `pe-${t.name}`);
    expect(after.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState).toMatchObject({
      status: "Approved",
      description: "ok",
    });

    await net.privateEndpoints.delete("rg-partner", `pe-${t.name}`, { updateIntervalInMs: 10 });
    expect(await connectionsOf(t)).toEqual([]);
  });

  it("the partner's automatic endpoint fails across tenants (LinkedAuthorizationFailed)", async () => {
    const err = await failure(
      arm
        .net("partner")
        .privateEndpoints.createOrUpdate("rg-partner", "pe-auto", endpoint(t, { manual: false })),
    );
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe("LinkedAuthorizationFailed");
    expect(err.message).toContain("is not authorized to access linked subscription");
    expect(await connectionsOf(t)).toEqual([]);
  });

  it("the provider's automatic endpoint (same tenant, with rights) is Approved at once", async () => {
    const net = arm.net("provider");
    const pe = await net.privateEndpoints.createOrUpdate(
      "rg-aks",
      `pe-own-${t.name}`,
      endpoint(t, { manual: false, subnet: AKS_SUBNET_ID }),
      { updateIntervalInMs: 10 },
    );
    expect(pe.privateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe("Approved");
    const conns = await connectionsOf(t);
    expect(conns[0]?.properties.privateLinkServiceConnectionState.status).toBe("Approved");
    await net.privateEndpoints.delete("rg-aks", `pe-own-${t.name}`, { updateIntervalInMs: 10 });
    expect(await connectionsOf(t)).toEqual([]);
  });

  it("a group id it does not offer, none, or several: refused with Azure's codes, nothing created", async () => {
    const net = arm.net("partner");
    const cases: Array<[string[], string, string]> = [
      [
        ["nope"],
        "InvalidValuesForRequestParameters",
        "Values for request parameters are invalid: GroupId: nope",
      ],
      [[], "MissingParameterOnPrivateLinkServiceConnection", t.groups.join(", ")],
      [[...t.groups.slice(0, 1), "other"], "OnlyOneGroupIdPermitted", "Only one group Id is permitted"],
    ];
    for (const [groupIds, code, text] of cases) {
      const err = await failure(
        net.privateEndpoints.createOrUpdate("rg-partner", "pe-bad", endpoint(t, { manual: true, groupIds })),
      );
      expect(err.statusCode).toBe(400);
      expect(err.code).toBe(code);
      expect(err.message).toContain(text);
    }
    expect((await failure(net.privateEndpoints.get("rg-partner", "pe-bad"))).statusCode).toBe(404);
    expect(await connectionsOf(t)).toEqual([]);
  });
});

it("a PaaS id that does not exist is refused like a PLS that is not visible", async () => {
  const t = TARGETS[0];
  const err = await failure(
    arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe-x", {
      ...endpoint(t, { manual: true }),
      manualPrivateLinkServiceConnections: [
        { name: "c", privateLinkServiceId: `${RG}/${t.type}/kv-nope`, groupIds: ["vault"] },
      ],
    }),
  );
  expect(err.statusCode).toBe(400);
  expect(err.code).toBe(
    "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible",
  );
});
