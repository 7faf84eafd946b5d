/**
 * Node resource group lockdown (restrictionLevel ReadOnly): the sandbox's deny assignment refuses
 * writes in MC_ to everyone but the cluster's identities, with ARM's 403 body and on the
 * denyAssignments list; expose refuses a PLS there (exit 2, nothing written); approve and unexpose
 * on a PLS already there exit 4 naming the deny assignment and its fix; doctor's lockdown check.
 */
import type { RestError } from "@azure/core-rest-pipeline";
import { beforeAll, describe, expect, it } from "vitest";
import { armList } from "../../src/azure/rest.js";
import { defaultWorld, type WorldSpec } from "../../src/sandbox/world.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { kubeWrites, networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const SUB = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const NODE_RG_ID = `/subscriptions/${SUB}/resourceGroups/${NODE_RG}`;

/** The default world with aks-demo's node resource group locked and rg-pls for the PLSs. */
function lockedWorld(): WorldSpec {
  const w = defaultWorld();
  const mc = w.managedClusters[0];
  if (!mc) throw new Error("no cluster");
  mc.nodeResourceGroupRestrictionLevel = "ReadOnly";
  mc.plsResourceGroup = "rg-pls";
  w.resourceGroups.push({ subscriptionId: SUB, name: "rg-pls", location: "westeurope" });
  const ctl = w.identities.find((i) => i.name === "aks-controller");
  ctl?.roleAssignments.push({
    role: "Network Contributor",
    scope: `/subscriptions/${SUB}/resourceGroups/rg-pls`,
  });
  return w;
}

const t = useSandbox({ world: lockedWorld() });
let plsId = "";
beforeAll(async () => {
  // Made by the controller, in MC_: the cluster's own identity may write there.
  plsId = await exposeToPartner(t, "web", "pls-web");
});

function armWriteTotal(): number {
  const c = t.sb.arm.counters();
  return Object.entries(c.byOperation)
    .filter(([op]) => c.operations[op]?.kind === "write")
    .reduce((n, [, v]) => n + v, 0);
}

async function failure(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
}

describe("the sandbox's deny assignment", () => {
  it("refuses a write in the node resource group by a principal whose role allows it, with ARM's 403 body; the controller still writes there", async () => {
    expect(plsId).toContain(`/resourceGroups/${NODE_RG}/`);
    const err = await failure(networkAs(t.sb, "provider").privateLinkServices.delete(NODE_RG, "pls-web"));
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe("DenyAssignmentAuthorizationFailed");
    const provider = t.sb.world.identities.find((i) => i.name === "provider");
    expect(err.message).toMatch(
      new RegExp(
        `^The client '${provider?.clientId}' with object id '${provider?.objectId}' has permission to perform action 'Microsoft.Network/privateLinkServices/delete' on scope '${NODE_RG_ID}/providers/Microsoft.Network/privateLinkServices/pls-web'; however, the access is denied because of the deny assignment with name 'kubernetes.azure.com/[0-9a-f-]+/[0-9a-f-]+: node resource group deny assignment created by Azure Kubernetes Services for nrg-lockdown, see: https://aka.ms/aks/nrg_lockdown' and Id '[0-9a-f]{32}' at scope '/subscriptions/${SUB}/resourcegroups/${NODE_RG}'\\.$`,
      ),
    );
    // Reads stay allowed, and the PLS is still there.
    expect((await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, "pls-web")).id).toBe(plsId);
  });

  it("is listed on the denyAssignments API, excluding the cluster's identities", async () => {
    const azure = await flowContext(t.env).ctx.azure();
    const list = (await armList(
      azure,
      `${NODE_RG_ID}/providers/Microsoft.Authorization/denyAssignments`,
      "2022-04-01",
    )) as Array<{ properties: { scope: string; excludePrincipals: Array<{ id: string }> } }>;
    expect(list).toHaveLength(1);
    expect(list[0]?.properties.scope).toBe(NODE_RG_ID);
    const ids = (list[0]?.properties.excludePrincipals ?? []).map((p) => p.id).sort();
    const own = t.sb.world.identities
      .filter((i) => i.name === "aks-controller" || i.name === "aks-kubelet")
      .map((i) => i.objectId)
      .sort();
    expect(ids).toEqual(own);
  });
});

describe("plsctl on a locked cluster", () => {
  beforeAll(async () => {
    await createService(t.core, "plain", INTERNAL);
    await t.sb.controller.idle();
  });

  it("expose into the node resource group is refused before any write (exit 2), naming --pls-resource-group and the rights", async () => {
    const before = (await t.core.readNamespacedService({ name: "plain", namespace: "default" })).metadata
      ?.resourceVersion;
    const writes = armWriteTotal();
    const kube = kubeWrites(t.sb);
    const r = await runCli(["expose", "plain", "--no-wait"], { env: t.env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`Refusing to expose default/plain into ${NODE_RG}`);
    expect(r.stderr).toContain("restrictionLevel: ReadOnly");
    expect(r.stderr).toContain("plsctl expose plain --pls-resource-group <rg>");
    expect(r.stderr).toContain('--role "Network Contributor"');
    expect(armWriteTotal()).toBe(writes);
    expect(kubeWrites(t.sb)).toBe(kube);
    const after = (await t.core.readNamespacedService({ name: "plain", namespace: "default" })).metadata
      ?.resourceVersion;
    expect(after).toBe(before);
  });

  it("expose --pls-resource-group outside the node resource group goes ahead", async () => {
    const r = await runCli(["expose", "plain", "--pls-resource-group", "rg-pls", "-o", "json"], {
      env: t.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ resourceGroup: "rg-pls", provisioningState: "Succeeded" });
  });

  it("approve on a PLS in the locked node resource group exits 4 naming the deny assignment and its fix", async () => {
    await partnerEndpoint(t.sb, "pe-locked", plsId);
    const r = await runCli(["approve", "web", "--all-pending"], { env: sandboxEnv(t.sb, "ci") });
    expect(r.code, r.stderr).toBe(4);
    // The connection's reason, in the result on stdout.
    expect(r.stdout).toContain(`the AKS node resource group lockdown deny assignment on ${NODE_RG}`);
    expect(r.stdout).toContain("DenyAssignmentAuthorizationFailed");
    expect(r.stdout).toContain("cannot be overridden by any role assignment");
    expect(r.stdout).toContain("--pls-resource-group");
  });

  it("unexpose of that PLS exits 4 naming the deny assignment", async () => {
    const r = await runCli(["unexpose", "web", "--force"], { env: t.env });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("node resource group lockdown deny assignment");
  });
});

describe("doctor's azure.node-rg-lockdown", () => {
  const check = async (args: string[]) => {
    const r = await runCli(["doctor", ...args, "-o", "json"], { env: t.env });
    const checks = JSON.parse(r.stdout).checks as Array<{
      id: string;
      status: string;
      detail: string;
      fix: string;
    }>;
    return checks.find((c) => c.id === "azure.node-rg-lockdown");
  };

  it("FAILs when the PLS would go to the locked node resource group, with the fix", async () => {
    expect(await check([])).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("restrictionLevel: ReadOnly"),
      fix: expect.stringContaining("--pls-resource-group <rg>"),
    });
  });

  it("PASSes with a PLS resource group outside it", async () => {
    expect(await check(["--pls-resource-group", "rg-pls"])).toMatchObject({
      status: "pass",
      detail: expect.stringContaining("rg-pls, outside it"),
    });
  });
});
