/** Policy entries for Microsoft-managed requesters: parsed with line numbers, matched on what the connection carries. */
import { describe, expect, it } from "vitest";
import { summarizeConnection } from "../../src/domain/connections.js";
import type { ConnectionView, PlsView } from "../../src/domain/pls.js";
import { allowingEntry } from "../../src/domain/policy.js";
import { parsePolicy } from "../../src/domain/policy-parse.js";
import { REQUESTER_KINDS_POLICY } from "../helpers/decide-fixtures.js";

const MS_SUB = "5e2a0d4f-6b1c-4f3e-9a8d-7c6b5a4f3e2d";
const PLS_ID = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/privateLinkServices/pls-web";
const pls = { id: PLS_ID, name: "pls-web", tags: {} } as unknown as PlsView;
const conn = (peName: string, description: string, status = "Pending") =>
  summarizeConnection({
    name: `${peName}.1111`,
    id: `${PLS_ID}/privateEndpointConnections/${peName}.1111`,
    privateEndpointId: `/subscriptions/${MS_SUB}/resourceGroups/managed-rg/providers/Microsoft.Network/privateEndpoints/${peName}`,
    requesterSubscription: MS_SUB,
    status,
    description,
    actionsRequired: "None",
    provisioningState: "Succeeded",
  } as ConnectionView);

describe("requester kinds", () => {
  const p = parsePolicy("p.yaml", REQUESTER_KINDS_POLICY);

  it("each kind matches what its connection carries, from a Microsoft-managed subscription", () => {
    const rule = (c: ReturnType<typeof conn>) => allowingEntry(p, pls, c)?.name ?? null;
    expect(rule(conn("afd-1", "contoso-edge origin pls-web"))).toBe("edge");
    expect(rule(conn("fab-1", "fabric ws-42"))).toBe("lake");
    expect(rule(conn("adf-contoso-prod.mpe-orders", ""))).toBe("pipelines");
    expect(rule(conn("adf-other.mpe-orders", ""))).toBeNull();
    expect(rule(conn("x", "hello"))).toBeNull();
  });

  it("a listed subscription narrows a Microsoft-managed kind", () => {
    const narrowed = parsePolicy(
      "p.yaml",
      `partners:\n  - name: edge\n    kind: frontdoor\n    message: "^contoso-edge "\n    subscriptions: [9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d]\n`,
    );
    expect(allowingEntry(narrowed, pls, conn("afd-1", "contoso-edge origin"))).toBeUndefined();
  });

  it("an unknown kind, or a kind without its field: file:line: field, exit 2", () => {
    const bad = `partners:
  - name: edge
    kind: frontdor
    message: x
  - name: lake
    kind: fabric
  - name: pipelines
    kind: datafactory
    message: x
  - name: old
    factories: [a]
    subscriptions: [9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d]
`;
    let err: unknown;
    try {
      parsePolicy("p.yaml", bad);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 2 });
    const text = String((err as Error).message);
    expect(text).toContain(
      'p.yaml:3: partners[0].kind: unknown requester kind "frontdor" (known: partner, frontdoor, fabric, datafactory)',
    );
    expect(text).toContain("p.yaml:5: partners[1].message: is required for kind fabric");
    expect(text).toContain("p.yaml:7: partners[2].factories: is required for kind datafactory");
    expect(text).toContain("p.yaml:11: partners[3].factories: goes with kind datafactory");
  });
});
