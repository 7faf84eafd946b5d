import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL, PLS_CREATE } from "../sandbox/helpers/services.js";

const t = useSandbox();

async function exposed(
  name: string,
): Promise<{ id: string; alias: string; name: string; resourceGroup: string }> {
  await createService(t.core, name, INTERNAL);
  const r = await runCli(
    [
      "expose",
      name,
      "--pls-name",
      `pls-${name}`,
      "--visibility",
      DEFAULT_IDS.partnerSubscriptionId,
      "-o",
      "json",
    ],
    { env: t.env },
  );
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe("status", () => {
  it("shows the PLS and every connection", async () => {
    const pls = await exposed("api");
    await partnerEndpoint(t.sb, "pe-fabrikam", pls.alias);
    const r = await runCli(["status", "api", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ name: "pls-api", alias: pls.alias, provisioningState: "Succeeded" });
    expect(out.connections).toEqual([
      expect.objectContaining({
        status: "Pending",
        requesterSubscription: DEFAULT_IDS.partnerSubscriptionId,
        privateEndpointId: expect.stringMatching(/\/privateEndpoints\/pe-fabrikam$/),
      }),
    ]);
    const table = await runCli(["status", "api", "--no-color"], { env: t.env });
    expect(table.stdout).toMatch(/Connections \(1\):\nNAME +STATE +REQUESTER SUBSCRIPTION/);
    expect(table.stdout).toMatch(/pe-fabrikam\.\S+ +Pending +9a8b7c6d/);
  });

  it("exits 3 with the controller's last error when the PLS could not be created", async () => {
    await createService(t.core, "broken", {
      ...PLS_CREATE,
      "service.beta.kubernetes.io/azure-pls-ip-configuration-subnet": "missing-subnet",
    });
    await t.sb.controller.idle();
    const expose = await runCli(["expose", "broken"], { env: t.env });
    expect(expose.code).toBe(1);
    const r = await runCli(["status", "broken"], { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/asks for a Private Link Service, but there is none yet/);
    expect(r.stderr).toMatch(/last error: .*failed to get private link service subnet\(missing-subnet\)/);
  });

  it("exits 3 when the Service has no PLS", async () => {
    await createService(t.core, "bare", INTERNAL);
    const r = await runCli(["status", "bare"], { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/has no Private Link Service[\s\S]*plsctl expose bare -n default/);
  });
});

describe("unexpose", () => {
  it("refuses while partners are connected, then removes everything with --force", async () => {
    const pls = await exposed("billing");
    await partnerEndpoint(t.sb, "pe-billing", pls.id);
    const rv = async () =>
      (await t.core.readNamespacedService({ name: "billing", namespace: "default" })).metadata
        ?.resourceVersion;
    await t.sb.controller.idle();
    const before = await rv();
    const refused = await runCli(["unexpose", "billing"], { env: t.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /still has 1 active connection\(s\): pe-billing\.\S+ \(Pending, subscription 9a8b7c6d/,
    );
    expect(refused.stderr).toMatch(/--force/);
    expect(await rv()).toBe(before);

    const forced = await runCli(["unexpose", "billing", "--force", "-o", "json"], { env: t.env });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d loses access/);
    const out = JSON.parse(forced.stdout);
    expect(out).toMatchObject({ plsDeleted: true, changed: true, pls: { name: "pls-billing" } });
    expect(out.deletedConnections).toHaveLength(1);
    // The same projection as status: the old fields, plus the endpoint's name, description, actions.
    expect(out.deletedConnections[0]).toEqual({
      name: expect.stringMatching(/^pe-billing\./),
      requesterSubscription: DEFAULT_IDS.partnerSubscriptionId,
      privateEndpointId: expect.stringMatching(/\/privateEndpoints\/pe-billing$/),
      privateEndpointName: "pe-billing",
      status: "Pending",
      description: "Fabrikam, ticket 42",
      actionsRequired: expect.anything(),
      linkIdentifier: expect.stringMatching(/^\d+$/),
      rule: null,
      revision: null,
    });
    expect(out.removedAnnotations).toEqual(
      expect.arrayContaining(["service.beta.kubernetes.io/azure-pls-create", "plsctl.io/pls-id"]),
    );
    const annotations =
      (await t.core.readNamespacedService({ name: "billing", namespace: "default" })).metadata?.annotations ??
      {};
    expect(
      Object.keys(annotations).filter((k) => k.includes("azure-pls") || k.startsWith("plsctl.io")),
    ).toEqual([]);
    await expect(
      networkAs(t.sb, "provider").privateLinkServices.get(pls.resourceGroup, "pls-billing"),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    // The partner's endpoint stays, its connection now Disconnected.
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-billing");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );

    await t.sb.controller.idle();
    const again = await runCli(["unexpose", "billing", "-o", "json"], { env: t.env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, plsDeleted: false, pls: null });
  });

  it("removes an unconnected PLS without --force", async () => {
    await exposed("quiet");
    const r = await runCli(["unexpose", "quiet"], { env: t.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/default\/quiet is no longer exposed/);
    expect(r.stdout).toMatch(/Deleted Private Link Service pls-quiet/);
  });
});
