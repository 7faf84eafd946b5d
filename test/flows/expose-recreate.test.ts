/**
 * Changes that make AKS delete the PLS and create a new one (new alias, every connection deleted):
 * expose refuses them before writing, naming the alias and the partners; --recreate-pls does them
 * and names who must be told. The sandbox controller tears down as AKS does (frontend replaced →
 * connections deleted → PLS deleted → new PLS, new alias).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites, networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();
const PARTNER = DEFAULT_IDS.partnerSubscriptionId;

/** An exposed Service with one Approved partner connection. */
async function exposedWithPartner(name: string): Promise<{ id: string; alias: string; name: string }> {
  await createService(t.core, name, INTERNAL);
  const r = await runCli(["expose", name, "--visibility", PARTNER, "-o", "json"], { env: t.env });
  expect(r.code).toBe(0);
  const pls = JSON.parse(r.stdout);
  await partnerEndpoint(t.sb, `pe-${name}`, pls.alias);
  expect((await runCli(["approve", name, "--all-pending"], { env: t.env })).code).toBe(0);
  await t.sb.controller.idle();
  return pls;
}

const rv = async (name: string) =>
  (await t.core.readNamespacedService({ name, namespace: "default" })).metadata?.resourceVersion;

function writes() {
  return {
    kube: kubeWrites(t.sb),
    provider: armWrites(t.sb, "provider"),
    controller: armWrites(t.sb, "aks-controller"),
  };
}

describe.each([
  ["--internal-subnet", "pls-nat-subnet", /azure-load-balancer-internal-subnet \(unset\) → "pls-nat-subnet"/],
  ["--pls-resource-group", "rg-aks", /AKS cannot move it to rg-aks/],
])("expose %s %s on an exposed Service with a partner", (flag, value, what) => {
  const name = `re${flag.length}`;

  it("is refused with exit 2, nothing written; the message names the alias and the partner", async () => {
    const pls = await exposedWithPartner(name);
    const [before, version] = [writes(), await rv(name)];
    const r = await runCli(["expose", name, flag, value], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).toContain(pls.alias);
    expect(r.stderr).toMatch(new RegExp(`pe-${name}\\.\\S+ \\(subscription ${PARTNER}, Approved\\)`));
    expect(r.stderr).toMatch(/--recreate-pls/);
    await t.sb.controller.idle();
    expect(writes()).toEqual(before);
    expect(await rv(name)).toBe(version);
  });

  it("is done with --recreate-pls: new alias, old connections gone, and it says who must be told", async () => {
    const old = await runCli(["status", name, "-o", "json"], { env: t.env });
    const previous = JSON.parse(old.stdout);
    const r = await runCli(["expose", name, flag, value, "--recreate-pls", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.alias).not.toBe(previous.alias);
    expect(out.recreated).toMatchObject({
      previousAlias: previous.alias,
      mustBeTold: [expect.objectContaining({ requesterSubscription: PARTNER, status: "Approved" })],
    });
    expect(r.stderr).toMatch(
      new RegExp(
        `Tell subscription ${PARTNER}: its connection pe-${name}\\.\\S+ \\(Approved\\) .* must connect again to the new alias ${out.alias.replaceAll(".", "\\.")}`,
      ),
    );
    const status = JSON.parse((await runCli(["status", name, "-o", "json"], { env: t.env })).stdout);
    expect(status).toMatchObject({ alias: out.alias, connections: [] });
    // The partner's endpoint is left without its connection (partners clean up their own side).
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", `pe-${name}`);
    expect(pe.privateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).not.toBe(
      "Approved",
    );
  });
});
