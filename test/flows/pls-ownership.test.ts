/**
 * Another cluster's PLS in a shared PLS resource group, with the tags and the name this cluster's
 * Service default/web would have: no command takes it for web's, none writes it. Only the Service's
 * own load balancer frontend proves a PLS is its.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { FOREIGN_PLS, SHARED_RG, sharedPlsWorld } from "../helpers/shared-pls-world.js";
import { A, annotate, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox({ world: sharedPlsWorld() });
const SHARED = { ...INTERNAL, [`${A}azure-pls-resource-group`]: SHARED_RG };

/** Writes ARM was asked to do, any identity (reads and polls apart). */
function armWriteTotal(): number {
  const c = t.sb.arm.counters();
  return Object.entries(c.byOperation)
    .filter(([op]) => c.operations[op]?.kind === "write")
    .reduce((n, [, v]) => n + v, 0);
}

async function foreign() {
  return networkAs(t.sb, "provider").privateLinkServices.get(SHARED_RG, FOREIGN_PLS);
}

async function rv(): Promise<string | undefined> {
  return (await t.core.readNamespacedService({ name: "web", namespace: "default" })).metadata
    ?.resourceVersion;
}

async function foreignConnectionState(): Promise<string | undefined> {
  return (await foreign()).privateEndpointConnections?.[0]?.privateLinkServiceConnectionState?.status;
}

// One story, in order: the tests share the sandbox (web is created once).
describe("another cluster's PLS with web's tags and name, in web's PLS resource group", () => {
  beforeAll(async () => {
    const pls = await foreign();
    await partnerEndpoint(t.sb, "pe-other-cluster", pls.id ?? "");
    // web: an internal Service of this cluster, with its frontend, no PLS yet.
    await createService(t.core, "web", SHARED);
    await t.sb.controller.idle();
  });

  it("status: web has none, and a note says that one is not web's", async () => {
    const r = await runCli(["status", "web"], { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/has no Private Link Service/);
    expect(r.stderr).toMatch(
      /pls-web \(on the frontend of load balancer kubernetes-internal in resource group MC_rg-other_aks-other_westeurope\)[\s\S]*not this Service's/,
    );
  });

  it.each([
    [["approve", "web", "--all-pending"]],
    [["reject", "web", "--all-pending"]],
    [["remove", "web", "--all-pending"]],
    [["connections", "web"]],
    [["netpol", "web"]],
  ])("%j: not found, nothing written", async (argv) => {
    const writes = armWriteTotal();
    const r = await runCli(argv, { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/has no Private Link Service/);
    expect(armWriteTotal()).toBe(writes);
    expect(await foreignConnectionState()).toBe("Pending");
  });

  it("unexpose --force deletes nothing of it", async () => {
    const writes = armWriteTotal();
    const r = await runCli(["unexpose", "web", "--force", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pls: null, plsDeleted: false, deletedConnections: [] });
    expect(armWriteTotal()).toBe(writes);
    expect(await foreignConnectionState()).toBe("Pending");
    await annotate(t.core, "web", SHARED);
    await t.sb.controller.idle();
  });

  it("expose with that name: refused before any write (the controller rejects a name in use)", async () => {
    const [writes, before] = [armWriteTotal(), await rv()];
    const r = await runCli(["expose", "web", "--pls-name", FOREIGN_PLS], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /pls-web is already used by a Private Link Service on another load balancer frontend/,
    );
    expect(armWriteTotal()).toBe(writes);
    expect(await rv()).toBe(before);
  });

  it("expose creates web's own PLS beside it; status finds web's; unexpose deletes only web's", async () => {
    const r = await runCli(
      ["expose", "web", "--visibility", DEFAULT_IDS.partnerSubscriptionId, "-o", "json"],
      {
        env: t.env,
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.name).toMatch(/^pls-a[0-9a-f]{31}$/);
    const status = await runCli(["status", "web", "-o", "json"], { env: t.env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: out.name, alias: out.alias, connections: [] });
    expect(status.stderr).toMatch(/pls-web[\s\S]*not this Service's/);
    const un = await runCli(["unexpose", "web", "--force", "-o", "json"], { env: t.env });
    expect(un.code).toBe(0);
    expect(JSON.parse(un.stdout)).toMatchObject({ pls: { name: out.name }, plsDeleted: true });
    const left = await foreign();
    expect(left.tags?.["k8s-azure-owner-service"]).toBe("default/web");
    expect(await foreignConnectionState()).toBe("Pending");
  });
});
