/**
 * The partner inventory's pure rules: what makes it unreadable, observing a PLS's connections
 * (idempotent, `Gone` for what left a PLS still there, other PLSs untouched), decisions with the
 * rule that approved them, who is missing after a new PLS, the 100-per-list refusal, the merge of
 * two clusters' inventories and the cut-over per partner.
 */
import { describe, expect, it } from "vitest";
import type { ConnectionSummary } from "../../src/domain/connections.js";
import {
  emptyInventory,
  missingPartners,
  observeConnections,
  observeExposure,
  parseInventory,
  recordDecision,
  restoredLists,
} from "../../src/domain/inventory.js";
import { cutOver, flagsFromAnnotations, mergeInventories } from "../../src/domain/migrate.js";

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const OLD = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/privateLinkServices/old";
const NEW = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/privateLinkServices/new";
const pe = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/${name}`;
const conn = (name: string, status: string): ConnectionSummary => ({
  name: `${name}.guid`,
  requesterSubscription: SUB,
  privateEndpointId: pe(name),
  privateEndpointName: name,
  status,
  description: null,
  actionsRequired: null,
  linkIdentifier: "42",
  rule: null,
  revision: null,
});
const pls = (id: string, autoApproval: string[] = []) => ({
  id,
  alias: `${id.split("/").at(-1)}.alias`,
  autoApproval,
});
const seen = (id: string, cs: ConnectionSummary[], now = "t1") =>
  observeConnections(
    observeExposure(emptyInventory("default", "app"), pls(id), "aks-demo", now),
    pls(id),
    cs,
    now,
  );

describe("parseInventory", () => {
  it.each([
    [undefined, /no data key partners.json/],
    ["{", /is not JSON/],
    ["[]", /not a JSON object/],
    ['{"version":2}', /version 2, not 1/],
    [
      '{"version":1,"service":{"namespace":"d","name":"a"},"exposures":[],"partners":"x"}',
      /no exposures and partners/,
    ],
    [
      '{"version":1,"service":{"namespace":"d","name":"a"},"exposures":[],"partners":[{"connection":"c"}]}',
      /partners\[0\]\.state is not a non-empty string/,
    ],
  ])("%s: %s", (text, problem) => {
    const r = parseInventory(text);
    expect("problem" in r && r.problem).toMatch(problem);
  });

  it("reads back what it wrote", () => {
    const inv = seen(OLD, [conn("pe-a", "Approved")]);
    expect(parseInventory(JSON.stringify(inv))).toEqual({ inventory: inv });
  });
});

describe("observing and deciding", () => {
  it("a second observation with nothing new changes nothing (not even lastSeen)", () => {
    const once = seen(OLD, [conn("pe-a", "Approved")]);
    const twice = observeConnections(
      observeExposure(once, pls(OLD), "aks-demo", "t2"),
      pls(OLD),
      [conn("pe-a", "Approved")],
      "t2",
    );
    expect(twice).toEqual(once);
  });

  it("a connection gone from a PLS still there is Gone; those on other PLSs stay as they were", () => {
    const inv = seen(OLD, [conn("pe-a", "Approved")]);
    const later = observeConnections(observeExposure(inv, pls(NEW), "aks-demo", "t2"), pls(NEW), [], "t2");
    expect(later.partners[0]?.state).toBe("Approved");
    const gone = observeConnections(later, pls(OLD), [], "t3");
    expect(gone.partners[0]?.state).toBe("Gone");
  });

  it("an approval records when and by which rule; auto-approval is named as such", () => {
    const inv = recordDecision(
      seen(OLD, [conn("pe-a", "Pending")]),
      {
        plsId: OLD,
        alias: "old.alias",
        name: "pe-a.guid",
        requester: SUB,
        privateEndpointId: pe("pe-a"),
        action: "approve",
        rule: "policy:fabrikam",
      },
      "t2",
    );
    expect(inv.partners[0]).toMatchObject({
      state: "Approved",
      approvedAt: "t2",
      approvedBy: "policy:fabrikam",
    });
    expect(seen(NEW, [conn("pe-b", "Approved")], "t3").partners[0]?.approvedBy).toBeNull();
    const auto = observeConnections(
      emptyInventory("d", "a"),
      pls(NEW, [SUB]),
      [conn("pe-b", "Approved")],
      "t3",
    );
    expect(auto.partners[0]?.approvedBy).toBe("auto-approval");
  });
});

describe("missing partners and the restore", () => {
  it("an Approved partner of an earlier PLS is missing until the same endpoint is live on the current one", () => {
    const inv = seen(OLD, [conn("pe-a", "Approved"), conn("pe-r", "Rejected")]);
    expect(missingPartners(inv, NEW, []).map((p) => p.privateEndpointName)).toEqual(["pe-a"]);
    expect(missingPartners(inv, NEW, [{ ...conn("pe-a", "Pending"), name: "pe-a.other" }])).toEqual([]);
    expect(missingPartners(inv, OLD, [])).toEqual([]);
  });

  it("adds subscriptions once; visibility * stays; beyond 100 per list is refused with the count", () => {
    expect(restoredLists(["*"], [SUB], [SUB, "x"])).toEqual({
      visibility: ["*"],
      autoApproval: [SUB, "x"],
      added: ["x"],
    });
    const many = Array.from({ length: 100 }, (_, i) => `s${i}`);
    expect(() => restoredLists(many, [], ["extra"])).toThrow(
      /101 subscriptions in azure-pls-visibility; Azure allows at most 100/,
    );
  });
});

describe("migrate's pure parts", () => {
  it("carries the azure-pls-* settings, not the static NAT IPs, and no name in a shared resource group", () => {
    const P = "service.beta.kubernetes.io/";
    expect(
      flagsFromAnnotations({
        [`${P}azure-pls-name`]: "pls-app",
        [`${P}azure-pls-ip-configuration-ip-address`]: "10.224.0.10 10.224.0.11",
        [`${P}azure-pls-proxy-protocol`]: "true",
        [`${P}azure-pls-visibility`]: SUB,
      }),
    ).toMatchObject({
      plsName: "pls-app",
      natIpCount: "2",
      proxyProtocol: true,
      visibility: [SUB],
    });
    expect(
      flagsFromAnnotations({ [`${P}azure-pls-name`]: "p", [`${P}azure-pls-resource-group`]: "rg" }).plsName,
    ).toBeUndefined();
  });

  it("merges two inventories without losing a partner, and reports the cut-over per subscription", () => {
    const a = seen(OLD, [conn("pe-a", "Approved")]);
    const b = seen(NEW, [conn("pe-b", "Approved")]);
    const m = mergeInventories(b, a);
    expect(m.partners.map((p) => p.privateEndpointName).sort()).toEqual(["pe-a", "pe-b"]);
    expect(m.exposures.map((e) => e.plsId)).toEqual([OLD, NEW]);
    expect(cutOver(m, OLD, [conn("pe-a", "Approved")], [])).toEqual([
      { subscription: SUB, endpoints: ["pe-a"], on: "old" },
    ]);
    expect(cutOver(m, OLD, [], [conn("pe-b", "Approved")])[0]?.on).toBe("new");
    expect(cutOver(m, OLD, [], [])[0]?.on).toBe("none");
  });
});
