/**
 * Cross-tenant and role boundaries, through the real @azure/arm-network client as each sandbox
 * identity, with Azure's answers (a token of another tenant: 401 InvalidAuthenticationTokenTenant;
 * a missing permission: 403 AuthorizationFailed) and the state unchanged after each refusal:
 * - the partner (tenant B) cannot read the provider's PLS, list or approve its connections;
 * - the provider (tenant A) cannot create an endpoint in the partner's subscription;
 * - CI (Private Link Approver) cannot change or delete the PLS itself, but approves connections;
 * - `plsctl approve` run as the partner exits 4 and says why.
 */
import { NetworkManagementClient } from "@azure/arm-network";
import { beforeAll, describe, expect, it } from "vitest";
import { parseResourceId } from "../../src/domain/resource-id.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, partnerEndpoint } from "../helpers/sandbox-sdk.js";

const t = useSandbox();
let plsId: string;
let rg: string;
let pls: string;
const PROVIDER_SUB = DEFAULT_IDS.providerSubscriptionId;
const PARTNER_SUB = DEFAULT_IDS.partnerSubscriptionId;

/** The network client of `identity`, aimed at `subscription` (not necessarily its own). */
function clientAs(identity: string, subscription: string): NetworkManagementClient {
  const token = t.sb.arm.tokens[identity];
  if (!token) throw new Error(`no identity ${identity}`);
  return new NetworkManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    subscription,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}

const provider = () => clientAs("provider", PROVIDER_SUB);
const connections = async () => {
  const out: Array<{ name: string; status: string }> = [];
  for await (const c of provider().privateLinkServices.listPrivateEndpointConnections(rg, pls))
    out.push({ name: c.name ?? "", status: c.privateLinkServiceConnectionState?.status ?? "" });
  return out;
};

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
  const id = parseResourceId(plsId);
  rg = id?.resourceGroup ?? "";
  pls = id?.name ?? "";
  await partnerEndpoint(t.sb, "pe-fabrikam", plsId);
});

const WRONG_TENANT = { statusCode: 401, code: "InvalidAuthenticationTokenTenant" };
const FORBIDDEN = { statusCode: 403, code: "AuthorizationFailed" };

describe("the partner, from another tenant", () => {
  it("cannot read the provider's PLS nor list its connections", async () => {
    const partner = clientAs("partner", PROVIDER_SUB);
    await expect(partner.privateLinkServices.get(rg, pls)).rejects.toMatchObject(WRONG_TENANT);
    const listing = (async () => {
      for await (const _ of partner.privateLinkServices.listPrivateEndpointConnections(rg, pls));
    })();
    await expect(listing).rejects.toMatchObject(WRONG_TENANT);
    const listAll = (async () => {
      for await (const _ of partner.privateLinkServices.listBySubscription());
    })();
    await expect(listAll).rejects.toMatchObject(WRONG_TENANT);
  });

  it("cannot approve its own connection: it stays Pending, nothing written", async () => {
    const [conn] = await connections();
    expect(conn).toMatchObject({ status: "Pending" });
    const writes = armWrites(t.sb, "partner");
    await expect(
      clientAs("partner", PROVIDER_SUB).privateLinkServices.updatePrivateEndpointConnection(
        rg,
        pls,
        conn?.name ?? "",
        {
          privateLinkServiceConnectionState: { status: "Approved", description: "self-approved" },
        },
      ),
    ).rejects.toMatchObject(WRONG_TENANT);
    expect(await connections()).toEqual([conn]);
    expect(armWrites(t.sb, "partner")).toBe(writes + 1); // the refused PUT is counted, nothing changed
  });

  it("plsctl approve as the partner exits 4 and says why", async () => {
    const env = { ...sandboxEnv(t.sb, "partner"), AZURE_SUBSCRIPTION_ID: PROVIDER_SUB };
    const r = await runCli(["approve", "--pls", plsId, "--all-pending"], { env });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/InvalidAuthenticationTokenTenant/);
    expect(r.stderr).toMatch(/--tenant|tenant/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await connections())[0]?.status).toBe("Pending");
  });
});

describe("the provider", () => {
  it("cannot create an endpoint in the partner's subscription", async () => {
    const before = await clientAs("partner", PARTNER_SUB).privateEndpoints.list("rg-partner");
    const names = [];
    for await (const pe of before) names.push(pe.name);
    await expect(
      clientAs("provider", PARTNER_SUB).privateEndpoints.beginCreateOrUpdateAndWait(
        "rg-partner",
        "pe-intruder",
        {
          location: "westeurope",
          subnet: {
            id: `/subscriptions/${PARTNER_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`,
          },
          manualPrivateLinkServiceConnections: [{ name: "pe-intruder", privateLinkServiceId: plsId }],
        },
      ),
    ).rejects.toMatchObject(WRONG_TENANT);
    const after = [];
    for await (const pe of clientAs("partner", PARTNER_SUB).privateEndpoints.list("rg-partner"))
      after.push(pe.name);
    expect(after).toEqual(names);
    expect(after).not.toContain("pe-intruder");
  });
});

describe("CI, the approver role", () => {
  it("cannot change or delete the PLS itself", async () => {
    const ci = clientAs("ci", PROVIDER_SUB);
    const current = await ci.privateLinkServices.get(rg, pls);
    await expect(
      ci.privateLinkServices.beginCreateOrUpdateAndWait(rg, pls, {
        ...current,
        autoApproval: { subscriptions: ["00000000-0000-4000-8000-000000000001"] },
      }),
    ).rejects.toMatchObject(FORBIDDEN);
    await expect(ci.privateLinkServices.beginDeleteAndWait(rg, pls)).rejects.toMatchObject(FORBIDDEN);
    const after = await provider().privateLinkServices.get(rg, pls);
    expect(after.etag).toBe(current.etag);
    expect(after.autoApproval).toEqual(current.autoApproval);
  });

  it("can approve a connection", async () => {
    const [conn] = await connections();
    const updated = await clientAs("ci", PROVIDER_SUB).privateLinkServices.updatePrivateEndpointConnection(
      rg,
      pls,
      conn?.name ?? "",
      { privateLinkServiceConnectionState: { status: "Approved", description: "ok" } },
    );
    expect(updated.privateLinkServiceConnectionState?.status).toBe("Approved");
    expect((await connections())[0]?.status).toBe("Approved");
  });
});
