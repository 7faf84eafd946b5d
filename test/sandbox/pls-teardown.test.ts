/**
 * What the partner's private endpoints look like when the provider's Private Link Service dies with
 * its Service (the AKS controller deletes every connection, then the PLS: kubernetes-sigs/
 * cloud-provider-azure pkg/provider/azure_privatelinkservice.go, safeDeletePLS): each endpoint —
 * Approved, Pending or Rejected before — shows `Disconnected` ("Connection was removed by the
 * private link service provider. The private endpoint becomes informative and should be deleted
 * for clean up": learn.microsoft.com/azure/private-link/manage-private-endpoint), and stays with its
 * NIC and private IP ("all connections are removed and the PEs become obsolete. Users are
 * responsible for cleaning up the PE resources": kubernetes-sigs/cloud-provider-azure docs
 * content/en/topics/pls-integration.md). The Service exposed again gets a PLS of the same name
 * with a new alias and none of the old connections; an obsolete endpoint cannot be re-pointed at it
 * in place (a new endpoint is the only way), and deleting it frees its NIC and IP.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import { A, createService, PLS_CREATE } from "./helpers/services.js";

const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const ANNOTATIONS = {
  ...PLS_CREATE,
  [`${A}azure-pls-name`]: "pls-gone",
  [`${A}azure-pls-visibility`]: DEFAULT_IDS.partnerSubscriptionId,
};
let sb: TestSandbox;
let core: CoreV1Api;
const provider = () => networkAs(sb, "provider");
const partner = () => networkAs(sb, "partner");

beforeAll(async () => {
  sb = await startTestSandbox();
  core = coreApi(sb);
});
afterAll(async () => sb?.close());

async function connections(): Promise<Array<{ name: string; pe: string }>> {
  const out = [];
  for await (const c of provider().privateLinkServices.listPrivateEndpointConnections(NODE_RG, "pls-gone"))
    out.push({ name: c.name ?? "", pe: c.privateEndpoint?.id?.split("/").pop() ?? "" });
  return out;
}

async function decide(pe: string, status: "Approved" | "Rejected") {
  const c = (await connections()).find((x) => x.pe === pe);
  await provider().privateLinkServices.updatePrivateEndpointConnection(NODE_RG, "pls-gone", c?.name ?? "", {
    privateLinkServiceConnectionState: { status, description: status, actionsRequired: "None" },
  });
}

const nicIp = async (nicId: string) =>
  (await partner().networkInterfaces.get("rg-partner", nicId.split("/").pop() ?? "")).ipConfigurations?.[0]
    ?.privateIPAddress;

describe("the provider's PLS deleted with its Service", () => {
  it("every partner endpoint shows Disconnected and keeps its NIC and IP; the new PLS has a new alias and no connections", async () => {
    await createService(core, "gone", ANNOTATIONS);
    await sb.controller.idle();
    const before = await provider().privateLinkServices.get(NODE_RG, "pls-gone");
    for (const pe of ["pe-approved", "pe-pending", "pe-rejected"])
      await partnerEndpoint(sb, pe, before.alias ?? "");
    await decide("pe-approved", "Approved");
    await decide("pe-rejected", "Rejected");
    const nics: Record<string, { id: string; ip: string | undefined }> = {};
    for (const pe of ["pe-approved", "pe-pending", "pe-rejected"]) {
      const id = (await partner().privateEndpoints.get("rg-partner", pe)).networkInterfaces?.[0]?.id ?? "";
      nics[pe] = { id, ip: await nicIp(id) };
    }

    await core.deleteNamespacedService({ name: "gone", namespace: "default" });
    await sb.controller.idle();
    await expect(provider().privateLinkServices.get(NODE_RG, "pls-gone")).rejects.toMatchObject({
      statusCode: 404,
    });
    for (const pe of ["pe-approved", "pe-pending", "pe-rejected"]) {
      const got = await partner().privateEndpoints.get("rg-partner", pe);
      const conn = got.manualPrivateLinkServiceConnections?.[0];
      expect(conn?.privateLinkServiceConnectionState?.status, pe).toBe("Disconnected");
      expect(conn?.privateLinkServiceId).toBe(before.alias);
      expect(got.provisioningState).toBe("Succeeded");
      expect(got.networkInterfaces?.[0]?.id).toBe(nics[pe]?.id);
      expect(await nicIp(nics[pe]?.id ?? "")).toBe(nics[pe]?.ip);
    }

    await createService(core, "gone", ANNOTATIONS);
    await sb.controller.idle();
    const after = await provider().privateLinkServices.get(NODE_RG, "pls-gone");
    expect(after.id).toBe(before.id);
    expect(after.alias).not.toBe(before.alias);
    expect(await connections()).toEqual([]);
    // Still Disconnected: the new PLS knows nothing of the old endpoints.
    const still = await partner().privateEndpoints.get("rg-partner", "pe-approved");
    expect(still.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );

    // It cannot be pointed at the new alias in place: Azure fixes an endpoint's target at creation.
    await expect(
      partner().privateEndpoints.createOrUpdate(
        "rg-partner",
        "pe-approved",
        {
          location: "westeurope",
          subnet: { id: still.subnet?.id ?? "" },
          manualPrivateLinkServiceConnections: [
            { name: "pe-approved", privateLinkServiceId: after.alias ?? "" },
          ],
        },
        { updateIntervalInMs: 10 },
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: "PrivateEndpointConnectionTargetCannotBeChanged" });
    expect(await connections()).toEqual([]);
    expect(
      (await partner().privateEndpoints.get("rg-partner", "pe-approved"))
        .manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceId,
    ).toBe(before.alias);

    await partner().privateEndpoints.delete("rg-partner", "pe-approved", { updateIntervalInMs: 10 });
    await expect(
      partner().networkInterfaces.get("rg-partner", nics["pe-approved"]?.id.split("/").pop() ?? ""),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
