/**
 * The partner inventory (ConfigMap plsctl-partners-<service>) outlives the Service and its PLS:
 * approve records the partner; after the Service is deleted and applied again (new PLS, new
 * alias), expose names the old and new alias and the partner cut off, --restore-partners puts
 * the partner's subscription on visibility and auto-approval and prints its line, its next
 * endpoint is Approved at once, status lists who is missing. Refusals write nothing; an inventory
 * edited into nonsense is named and never used; an identity that may not write ConfigMaps warns.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites, networkAs, partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { A, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();
const PARTNER = DEFAULT_IDS.partnerSubscriptionId;
const SVC = "inv";
const CM = `plsctl-partners-${SVC}`;

const cli = (args: string[]) => runCli(args, { env: t.env });
const inventory = async (name = CM) => {
  const cm = await t.core.readNamespacedConfigMap({ name, namespace: "default" });
  return { cm, data: JSON.parse(cm.data?.["partners.json"] ?? "null") };
};
const writes = () => ({
  kube: kubeWrites(t.sb),
  provider: armWrites(t.sb, "provider"),
  controller: armWrites(t.sb, "aks-controller"),
});
const peState = async (name: string) =>
  (await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", name))
    .manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status;

let oldAlias = "";
let newAlias = "";

describe("the partner inventory through a Service's rebuild", () => {
  it("approve records the partner in ConfigMap plsctl-partners-<service>, which no Service owns", async () => {
    await createService(t.core, SVC, INTERNAL);
    const r = await cli(["expose", SVC, "--visibility", PARTNER, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const pls = JSON.parse(r.stdout);
    oldAlias = pls.alias;
    await partnerEndpoint(t.sb, "pe-inv", pls.alias);
    const ok = await cli(["approve", SVC, "--all-pending"]);
    expect(ok.code, ok.stderr).toBe(0);
    const { cm, data } = await inventory();
    expect(cm.metadata?.ownerReferences ?? []).toEqual([]);
    expect(cm.metadata?.labels).toMatchObject({ "plsctl.io/partners-of": SVC });
    expect(data.partners).toEqual([
      expect.objectContaining({
        requesterSubscription: PARTNER,
        privateEndpointName: "pe-inv",
        state: "Approved",
        approvedBy: "--all-pending",
        plsId: pls.id,
        alias: pls.alias,
        approvedAt: expect.any(String),
      }),
    ]);
    const st = JSON.parse((await cli(["status", SVC, "-o", "json"])).stdout);
    expect(st.partners).toEqual([
      expect.objectContaining({ privateEndpointName: "pe-inv", state: "Approved" }),
    ]);
    expect(st.partners[0].linkIdentifier).toMatch(/^\d+$/);
    expect(st.missingPartners).toEqual([]);
    // A re-run writes nothing: the inventory is already current.
    const rv = (await inventory()).cm.metadata?.resourceVersion;
    expect((await cli(["status", SVC])).code).toBe(0);
    expect((await inventory()).cm.metadata?.resourceVersion).toBe(rv);
  });

  it("after delete and re-apply, expose names the old and new alias and the partner cut off (exit 0)", async () => {
    await t.core.deleteNamespacedService({ name: SVC, namespace: "default" });
    await t.sb.controller.idle();
    await createService(t.core, SVC, INTERNAL);
    const r = await cli(["expose", SVC, "--visibility", PARTNER, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    newAlias = out.alias;
    expect(newAlias).not.toBe(oldAlias);
    expect(r.stderr).toContain(`this Service was exposed as ${oldAlias}; it is now ${newAlias}`);
    expect(r.stderr).toContain(`Partner ${PARTNER} (endpoint pe-inv) was connected and is not now`);
    expect(r.stderr).toMatch(/--restore-partners/);
    expect(out.aliasChanged).toMatchObject({
      previousAlias: oldAlias,
      restored: null,
      missingPartners: [expect.objectContaining({ requesterSubscription: PARTNER })],
    });
    expect(out.autoApproval).toEqual([]);
  });

  it("status lists the recorded partner who has no live connection", async () => {
    const r = await cli(["status", SVC]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Recorded partners with no connection now \(1\)/);
    expect(r.stdout).toContain(PARTNER);
    const st = JSON.parse((await cli(["status", SVC, "-o", "json"])).stdout);
    expect(st.missingPartners).toEqual([
      expect.objectContaining({ privateEndpointName: "pe-inv", alias: oldAlias }),
    ]);
  });

  it("--restore-partners adds the subscription to visibility and auto-approval and prints the line", async () => {
    const r = await cli(["expose", SVC, "--restore-partners"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `${PARTNER}: plsctl connect --pls ${newAlias} --name pe-inv --resource-group rg-partner --replace`,
    );
    const svc = await t.core.readNamespacedService({ name: SVC, namespace: "default" });
    expect(svc.metadata?.annotations?.[`${A}azure-pls-auto-approval`]).toBe(PARTNER);
    expect(svc.metadata?.annotations?.[`${A}azure-pls-visibility`]).toBe(PARTNER);
    const st = JSON.parse((await cli(["status", SVC, "-o", "json"])).stdout);
    expect(st.autoApproval).toEqual([PARTNER]);
    // Re-run: nothing more to write on the Service.
    const again = await cli(["expose", SVC, "--restore-partners", "-o", "json"]);
    expect(JSON.parse(again.stdout).changed).toBe(false);
  });

  it("the partner's new endpoint is Approved at once; status no longer lists it as missing", async () => {
    await networkAs(t.sb, "partner").privateEndpoints.delete("rg-partner", "pe-inv", {
      updateIntervalInMs: 10,
    });
    await partnerEndpoint(t.sb, "pe-inv", newAlias);
    expect(await peState("pe-inv")).toBe("Approved");
    const st = JSON.parse((await cli(["status", SVC, "-o", "json"])).stdout);
    expect(st.missingPartners).toEqual([]);
    expect(st.partners).toContainEqual(
      expect.objectContaining({ alias: newAlias, state: "Approved", approvedBy: "auto-approval" }),
    );
  });
});

describe("the rule that approved", () => {
  it("approve --policy records the policy entry", async () => {
    await createService(t.core, "pol", INTERNAL);
    const r = await cli(["expose", "pol", "--visibility", PARTNER, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    await partnerEndpoint(t.sb, "pe-pol", JSON.parse(r.stdout).alias);
    const file = join(tempDir("plsctl-inv-policy-"), "partners.yaml");
    writeFileSync(file, `partners:\n  - name: fabrikam\n    subscriptions: [${PARTNER}]\n`);
    const ok = await cli(["approve", "pol", "--policy", file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await inventory("plsctl-partners-pol")).data.partners).toEqual([
      expect.objectContaining({
        privateEndpointName: "pe-pol",
        state: "Approved",
        approvedBy: "policy:fabrikam",
      }),
    ]);
  });
});

describe("refusals and a damaged inventory", () => {
  it("refuses a restore beyond 100 subscriptions per list with the count, nothing written", async () => {
    await createService(t.core, "many", INTERNAL);
    expect((await cli(["expose", "many", "-o", "json"])).code).toBe(0);
    const inv = (await inventory()).data;
    const partners = Array.from({ length: 101 }, (_, i) => ({
      ...inv.partners[0],
      connection: `pe-${i}.x`,
      requesterSubscription: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      privateEndpointId: `/subscriptions/00000000-0000-4000-8000-${String(i).padStart(12, "0")}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-${i}`,
      plsId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/privateLinkServices/gone",
      state: "Approved",
    }));
    const many = await t.core.readNamespacedConfigMap({ name: "plsctl-partners-many", namespace: "default" });
    const recorded = JSON.parse(many.data?.["partners.json"] ?? "{}");
    await t.core.replaceNamespacedConfigMap({
      name: "plsctl-partners-many",
      namespace: "default",
      body: { ...many, data: { "partners.json": JSON.stringify({ ...recorded, partners }) } },
    });
    const [before, rv] = [
      writes(),
      (await t.core.readNamespacedService({ name: "many", namespace: "default" })).metadata?.resourceVersion,
    ];
    const r = await cli(["expose", "many", "--restore-partners"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/101 subscriptions in azure-pls-visibility; Azure allows at most 100 per list/);
    await t.sb.controller.idle();
    expect(writes()).toEqual(before);
    expect(
      (await t.core.readNamespacedService({ name: "many", namespace: "default" })).metadata?.resourceVersion,
    ).toBe(rv);
  });

  it("an inventory edited into nonsense: named in a warning, left as is, never used; restore refused", async () => {
    const { cm } = await inventory();
    await t.core.replaceNamespacedConfigMap({
      name: CM,
      namespace: "default",
      body: { ...cm, data: { "partners.json": '{"version":1,"partners":"everyone"' } },
    });
    const rv = (await t.core.readNamespacedConfigMap({ name: CM, namespace: "default" })).metadata
      ?.resourceVersion;
    const st = await cli(["status", SVC, "-o", "json"]);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stderr).toContain(`partner inventory ConfigMap default/${CM} cannot be read`);
    expect(JSON.parse(st.stdout)).toMatchObject({ partners: null, missingPartners: [] });
    await partnerEndpoint(t.sb, "pe-inv-b", newAlias);
    // Approved at once (auto-approval); a reject is a decision to record all the same.
    const ok = await cli(["reject", SVC, "pe-inv-b", "-o", "json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(CM);
    const before = writes();
    const r = await cli(["expose", SVC, "--restore-partners"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${CM} cannot be read: partners.json is not JSON`));
    expect(r.stderr).toMatch(/kubectl delete configmap plsctl-partners-inv -n default/);
    expect(writes()).toEqual(before);
    const after = await t.core.readNamespacedConfigMap({ name: CM, namespace: "default" });
    expect(after.metadata?.resourceVersion).toBe(rv);
  });

  it("an identity that may not write ConfigMaps: the decision lands, with a warning", async () => {
    await t.core.deleteNamespacedConfigMap({ name: CM, namespace: "default" });
    await partnerEndpoint(t.sb, "pe-inv-c", newAlias);
    await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-inv-c");
    // The auto-approval list approves it at once; a Pending one needs another subscription's rule —
    // so reject it instead: a decision all the same.
    t.sb.kube.setFaults([{ kind: "status", path: "configmaps", method: "POST", status: 403 }]);
    try {
      const r = await cli(["reject", SVC, "pe-inv-c"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Could not keep the partner inventory default\/plsctl-partners-inv current/);
    } finally {
      t.sb.kube.setFaults([]);
    }
    expect(await peState("pe-inv-c")).toBe("Rejected");
  });
});
