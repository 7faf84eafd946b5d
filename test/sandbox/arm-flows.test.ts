/**
 * The Private Link flows through the real SDK clients against the sandbox ARM emulator:
 * cross-tenant endpoint by alias → Pending → approved by the provider's CI → Approved for the
 * partner; auto-approval; visibility denial; who may approve; delete rules; retries on 429/500.
 */
import type { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_IDS, defaultWorld, type WorldSpec } from "../../src/sandbox/world.js";
import {
  NODE_RG,
  PART_SUB,
  PE_SUBNET_ID,
  PROV_SUB,
  seedPls,
  startTestArm,
  type TestArm,
} from "./helpers/arm.js";

let arm: TestArm;
beforeEach(async () => {
  arm = await startTestArm({ world: worldWithGuest() });
});
afterEach(async () => {
  await arm.close();
});

/** The default world plus a partner admin invited as a guest (Reader) into the provider tenant. */
function worldWithGuest(): WorldSpec {
  const w = defaultWorld();
  w.roles = [
    ...(w.roles ?? []),
    {
      name: "Connection Writer",
      actions: [
        "Microsoft.Network/privateLinkServices/read",
        "Microsoft.Network/privateLinkServices/privateEndpointConnections/write",
      ],
    },
  ];
  const provider = w.identities.find((i) => i.name === "provider");
  if (!provider) throw new Error("no provider identity");
  w.identities.push(
    {
      ...provider,
      name: "partner-guest",
      displayName: "Fabrikam admin (guest in Contoso)",
      objectId: "11111111-2222-4333-8444-555555555555",
      clientId: "66666666-7777-4888-9999-aaaaaaaaaaaa",
      roleAssignments: [{ role: "Reader", scope: `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}` }],
    },
    {
      ...provider,
      name: "writer",
      displayName: "can write connections (and so approve them)",
      objectId: "21111111-2222-4333-8444-555555555555",
      clientId: "76666666-7777-4888-9999-aaaaaaaaaaaa",
      roleAssignments: [
        { role: "Connection Writer", scope: `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}` },
      ],
    },
  );
  return w;
}

const plsName = "pls-a594a43c3f83348998714866bd330823";
const PARTNER_TENANT = DEFAULT_IDS.partnerTenantId;
const createPe = (name: string, ref: string, o: { auto?: boolean; message?: string } = {}) => {
  const conn = [
    {
      name: `${name}-conn`,
      privateLinkServiceId: ref,
      requestMessage: o.message ?? "Fabrikam spoke01, ticket 42",
    },
  ];
  return arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", name, {
    location: "westeurope",
    subnet: { id: PE_SUBNET_ID },
    ...(o.auto ? { privateLinkServiceConnections: conn } : { manualPrivateLinkServiceConnections: conn }),
  });
};
const connections = async (identity = "ci") => {
  const out = [];
  for await (const c of arm
    .net(identity)
    .privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName))
    out.push(c);
  return out;
};
const approve = (name: string, status = "Approved", identity = "ci") =>
  arm.net(identity, PROV_SUB).privateLinkServices.updatePrivateEndpointConnection(NODE_RG, plsName, name, {
    privateLinkServiceConnectionState: { status, description: `${status} by CI`, actionsRequired: "None" },
  });
const restError = async (p: Promise<unknown>): Promise<RestError> => {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
};

describe("cross-tenant private endpoint by alias", () => {
  it("is Pending, gets approved by the provider's CI, and the partner then sees Approved", async () => {
    const pls = await seedPls(arm);
    expect(pls.alias).toMatch(
      new RegExp(`^${plsName}\\.[0-9a-f-]{36}\\.westeurope\\.azure\\.privatelinkservice$`),
    );
    const vis = await arm.net("partner").privateLinkServices.checkPrivateLinkServiceVisibility("westeurope", {
      privateLinkServiceAlias: pls.alias,
    });
    expect(vis.visible).toBe(true);

    const pe = await createPe("pe-contoso", pls.alias);
    expect(pe.provisioningState).toBe("Succeeded");
    const conn = pe.manualPrivateLinkServiceConnections?.[0];
    expect(conn?.privateLinkServiceId).toBe(pls.alias);
    expect(conn?.privateLinkServiceConnectionState?.status).toBe("Pending");
    const nicName = pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? "";
    const nic = await arm.net("partner").networkInterfaces.get("rg-partner", nicName);
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe("10.0.0.4");

    const pending = await connections();
    expect(pending).toHaveLength(1);
    expect(pending[0]?.privateEndpoint?.id).toBe(pe.id);
    expect(pending[0]?.privateLinkServiceConnectionState).toMatchObject({
      status: "Pending",
      description: "Fabrikam spoke01, ticket 42",
    });
    expect(pending[0]?.name).toMatch(/^pe-contoso\.[0-9a-f-]{36}$/);

    const approved = await approve(pending[0]?.name ?? "");
    expect(approved.privateLinkServiceConnectionState?.status).toBe("Approved");
    const after = await arm.net("partner").privateEndpoints.get("rg-partner", "pe-contoso");
    expect(after.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState).toMatchObject({
      status: "Approved",
      description: "Approved by CI",
    });
  });

  it("re-approving returns 200 with the connection; a rejected connection cannot be approved again", async () => {
    await createPe("pe1", (await seedPls(arm)).alias);
    const [c] = await connections();
    const name = c?.name ?? "";
    await approve(name);
    const again = await approve(name);
    expect(again.privateLinkServiceConnectionState?.status).toBe("Approved");
    await approve(name, "Rejected");
    const err = await restError(approve(name));
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe("Approving rejected private endpoint connections is not supported.");
    const pe = await arm.net("partner").privateEndpoints.get("rg-partner", "pe1");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Rejected",
    );
  });

  it("a connection the provider deletes shows Disconnected on the partner's endpoint", async () => {
    const pls = await seedPls(arm);
    await createPe("pe1", pls.alias);
    const [c] = await connections();
    await arm.net("ci").privateLinkServices.deletePrivateEndpointConnection(NODE_RG, plsName, c?.name ?? "");
    expect(await connections()).toHaveLength(0);
    const pe = await arm.net("partner").privateEndpoints.get("rg-partner", "pe1");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );
  });

  it("refuses a request message longer than 140 characters", async () => {
    const pls = await seedPls(arm);
    const err = await restError(createPe("pe1", pls.alias, { message: "x".repeat(141) }));
    expect(err.statusCode).toBe(400);
    await createPe("pe2", pls.alias, { message: "y".repeat(140) });
  });
});

describe("auto-approval", () => {
  it("approves a manual request from an auto-approved subscription at once and lists the PLS", async () => {
    const pls = await seedPls(arm, { autoApproval: [PART_SUB] });
    const pe = await createPe("pe-auto", pls.id);
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Approved",
    );
    const [c] = await connections();
    expect(c?.privateLinkServiceConnectionState?.status).toBe("Approved");
    const listed = [];
    for await (const a of arm
      .net("partner")
      .privateLinkServices.listAutoApprovedPrivateLinkServices("westeurope"))
      listed.push(a.privateLinkService);
    expect(listed).toEqual([pls.id]);
  });

  it("refuses an automatic connection across tenants, auto-approved or not (LinkedAuthorizationFailed, linked subscription)", async () => {
    for (const autoApproval of [[PART_SUB], []]) {
      const pls = await seedPls(arm, { autoApproval });
      const err = await restError(createPe("pe-auto", pls.id, { auto: true }));
      expect(err.statusCode).toBe(403);
      expect(err.code).toBe("LinkedAuthorizationFailed");
      expect(err.message).toContain(
        `however the current tenant '${PARTNER_TENANT}' is not authorized to access linked subscription '${PROV_SUB}'`,
      );
      expect(await connections()).toHaveLength(0);
      await expect(arm.net("partner").privateEndpoints.get("rg-partner", "pe-auto")).rejects.toMatchObject({
        statusCode: 404,
      });
    }
  });
});

describe("visibility", () => {
  it("a partner outside visibility sees visible:false and cannot create an endpoint", async () => {
    const pls = await seedPls(arm, { visibility: [] });
    const vis = await arm.net("partner").privateLinkServices.checkPrivateLinkServiceVisibility("westeurope", {
      privateLinkServiceAlias: pls.alias,
    });
    expect(vis.visible).toBe(false);
    const err = await restError(createPe("pe1", pls.alias));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe(
      "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible",
    );
    const byId = await restError(createPe("pe2", pls.id));
    expect(byId.code).toBe(
      "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible",
    );
  });

  it("visibility '*' lets any subscription see it", async () => {
    const pls = await seedPls(arm, { visibility: ["*"] });
    const vis = await arm.net("partner").privateLinkServices.checkPrivateLinkServiceVisibility("westeurope", {
      privateLinkServiceAlias: pls.alias,
    });
    expect(vis.visible).toBe(true);
  });
});

describe("only the provider can approve", () => {
  it("the partner's own token is from the wrong tenant for the provider subscription (401)", async () => {
    const pls = await seedPls(arm);
    await createPe("pe1", pls.alias);
    const [c] = await connections();
    const err = await restError(approve(c?.name ?? "", "Approved", "partner"));
    expect(err.statusCode).toBe(401);
    expect(err.code).toBe("InvalidAuthenticationTokenTenant");
  });

  it("a partner admin invited into the provider tenant with Reader gets 403 AuthorizationFailed", async () => {
    const pls = await seedPls(arm);
    await createPe("pe1", pls.alias);
    const [c] = await connections("partner-guest");
    const err = await restError(approve(c?.name ?? "", "Approved", "partner-guest"));
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe("AuthorizationFailed");
    expect(err.message).toContain("'Microsoft.Network/privateLinkServices/privateEndpointConnections/write'");
    expect(err.message).toContain(
      `/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/${plsName}`,
    );
    const [still] = await connections();
    expect(still?.privateLinkServiceConnectionState?.status).toBe("Pending");
  });

  it("a role with privateEndpointConnections/write approves: ARM authorizes the PUT on that action alone", async () => {
    const pls = await seedPls(arm);
    await createPe("pe1", pls.alias);
    const [c] = await connections();
    const approved = await approve(c?.name ?? "", "Approved", "writer");
    expect(approved.privateLinkServiceConnectionState?.status).toBe("Approved");
  });
});

describe("delete rules", () => {
  it("refuses to delete a PLS with connections, and deletes it once the endpoint is gone", async () => {
    const pls = await seedPls(arm);
    await createPe("pe1", pls.alias);
    const err = await restError(arm.net("aks-controller").privateLinkServices.delete(NODE_RG, plsName));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("PrivateLinkServiceWithPrivateEndpointConnectionsCannotBeDeleted");
    expect(err.message).toContain("cannot be deleted since it has 1 private endpoint connection");
    await arm.net("partner").privateEndpoints.delete("rg-partner", "pe1");
    expect(await connections()).toHaveLength(0);
    const lbErr = await restError(
      arm.net("aks-controller").loadBalancers.delete(NODE_RG, "kubernetes-internal"),
    );
    expect(lbErr.code).toBe("CannotDeleteLoadBalancerWithPrivateLinkService");
    await arm.net("aks-controller").privateLinkServices.delete(NODE_RG, plsName);
    const gone = await restError(arm.net("ci").privateLinkServices.get(NODE_RG, plsName));
    expect(gone.statusCode).toBe(404);
    expect(gone.code).toBe("ResourceNotFound");
    await arm.net("aks-controller").loadBalancers.delete(NODE_RG, "kubernetes-internal");
  });
});

describe("retries by the SDK's own policy", () => {
  it("retries a 429 with Retry-After and succeeds", async () => {
    await seedPls(arm);
    arm.emu.resetCounters();
    arm.emu.setFaults([
      { operation: "PrivateLinkServices_Get", kind: "429", times: 1, retryAfterSeconds: 0 },
    ]);
    arm.recorded.length = 0;
    const pls = await arm.net("ci").privateLinkServices.get(NODE_RG, plsName);
    expect(pls.name).toBe(plsName);
    expect(arm.recorded.map((r) => r.status)).toEqual([429, 200]);
    expect(arm.recorded[0]?.headers["retry-after"]).toBe("0");
    expect(arm.emu.counters().byIdentity.ci?.byOperation.PrivateLinkServices_Get).toBe(2);
  });

  it("gives up after the SDK's retries on persistent 500s and on 429 without budget", async () => {
    await seedPls(arm);
    arm.emu.setFaults([{ operation: "PrivateLinkServices_Get", kind: "500" }]);
    arm.recorded.length = 0;
    const err = await restError(
      arm.net("ci", undefined, { maxRetries: 2 }).privateLinkServices.get(NODE_RG, plsName),
    );
    expect(err.statusCode).toBe(500);
    expect(arm.recorded).toHaveLength(3);
    arm.emu.setFaults([
      { operation: "PrivateLinkServices_Get", kind: "503", times: 1, retryAfterSeconds: 0 },
    ]);
    expect((await arm.net("ci").privateLinkServices.get(NODE_RG, plsName)).name).toBe(plsName);
  });

  it("a dropped connection is retried by the SDK", async () => {
    await seedPls(arm);
    arm.emu.resetCounters();
    arm.emu.setFaults([{ operation: "PrivateLinkServices_Get", kind: "drop", times: 1 }]);
    expect((await arm.net("ci").privateLinkServices.get(NODE_RG, plsName)).name).toBe(plsName);
    expect(arm.emu.counters().byOperation.PrivateLinkServices_Get).toBe(2);
  });
});
