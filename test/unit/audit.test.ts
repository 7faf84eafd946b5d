/** The audit marker approve/reject write into a description: fits Azure's bound, parses back. */
import { describe, expect, it } from "vitest";
import {
  auditMarker,
  DESCRIPTION_MAX,
  DESCRIPTION_TEXT_MAX,
  parseAudit,
  withAudit,
} from "../../src/domain/audit.js";
import { summarizeConnection } from "../../src/domain/connections.js";
import { plan } from "../../src/domain/decide.js";
import { parsePolicy } from "../../src/domain/policy-parse.js";
import { conn, PART, pls, sel } from "../helpers/decide-fixtures.js";

describe("the audit marker", () => {
  it("text, then [plsctl rule=… rev=…]; parsed back", () => {
    const d = withAudit("Fabrikam, contract 2026-114", { rule: "fabrikam", revision: "3f2a1b0c9d8e" });
    expect(d).toBe("Fabrikam, contract 2026-114 [plsctl rule=fabrikam rev=3f2a1b0c9d8e]");
    expect(parseAudit(d)).toEqual({ rule: "fabrikam", revision: "3f2a1b0c9d8e" });
    expect(parseAudit("Approved by hand")).toBeNull();
  });

  it("the longest rule and revision still leave DESCRIPTION_TEXT_MAX for the text, within 128", () => {
    const marker = auditMarker({ rule: "r".repeat(80), revision: "a".repeat(40) });
    expect(marker.length + 1 + DESCRIPTION_TEXT_MAX).toBe(DESCRIPTION_MAX);
    const d = withAudit("x".repeat(500), { rule: "r".repeat(80), revision: "a".repeat(40) });
    expect(d.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(parseAudit(d)).toEqual({ rule: "r".repeat(32), revision: "a".repeat(12) });
  });

  it("an entry name with spaces is written with _", () => {
    expect(auditMarker({ rule: "Fabrikam EU", revision: null })).toBe("[plsctl rule=Fabrikam_EU]");
  });

  it("connections parse it from decided connections only: a Pending one's text is the partner's", () => {
    const forged = summarizeConnection(conn("p", "Pending", "hi [plsctl rule=fabrikam rev=abc]"));
    expect([forged.rule, forged.revision]).toEqual([null, null]);
    const ok = summarizeConnection(conn("a", "Approved", "ok [plsctl rule=fabrikam rev=abc]"));
    expect([ok.rule, ok.revision]).toEqual(["fabrikam", "abc"]);
  });

  it("plan writes the rule and revision: the entry, enforce, or cli", () => {
    const policy = {
      ...parsePolicy(
        "p.yaml",
        `partners:\n  - name: fabrikam\n    subscriptions: [${PART}]\n    message: "^fab"\n`,
      ),
      revision: "rev1",
    };
    const t = { pls, connections: [conn("good", "Pending", "fab prod"), conn("bad", "Pending", "hello")] };
    const ds = plan("approve", sel({ policy, enforce: true }), t, undefined);
    expect(ds.map((d) => d.description)).toEqual([
      "Approved by plsctl [plsctl rule=fabrikam rev=rev1]",
      "Rejected by plsctl [plsctl rule=enforce rev=rev1]",
    ]);
    const byFlags = plan("approve", sel({ allPending: true }), t, "ticket 42");
    expect(byFlags[0]?.description).toBe("ticket 42 [plsctl rule=cli]");
  });

  it("--enforce: an Approved connection counts for a message entry only if that entry decided it", () => {
    const policy = {
      ...parsePolicy(
        "p.yaml",
        `partners:\n  - name: fabrikam\n    subscriptions: [${PART}]\n    message: "^fab"\n`,
      ),
      revision: "rev2",
    };
    const t = {
      pls,
      connections: [
        conn("by-entry", "Approved", "ok [plsctl rule=fabrikam rev=rev1]"),
        conn("by-hand", "Approved", "approved in the portal"),
        conn("by-cli", "Approved", "ok [plsctl rule=cli]"),
      ],
    };
    const ds = plan("approve", sel({ policy, enforce: true }), t, undefined);
    expect(ds.map((d) => [d.name.split(".")[0], d.action])).toEqual([
      ["by-entry", "none"],
      ["by-hand", "reject"],
      ["by-cli", "reject"],
    ]);
    expect(ds[1]?.reason).toMatch(/drift/);
  });

  it("a policy description too long to fit beside the marker: file:line: field, exit 2", () => {
    const text = `partners:\n  - name: fabrikam\n    subscriptions: [${PART}]\n    description: "${"d".repeat(70)}"\n`;
    expect(() => parsePolicy("p.yaml", text)).toThrowError(
      /p\.yaml:4: partners\[0\]\.description: 70 characters/,
    );
  });
});

describe("the fleet query's helpers", () => {
  it("x-ms-user-quota-resets-after hh:mm:ss in ms; anything else undefined", async () => {
    const { parseQuotaReset, fleetQuery } = await import("../../src/domain/fleet-query.js");
    expect(parseQuotaReset("00:00:03")).toBe(3000);
    expect(parseQuotaReset("00:01:02.5")).toBe(62_500);
    expect(parseQuotaReset("3")).toBeUndefined();
    expect(fleetQuery("kubernetes")).toContain("| where tags['k8s-azure-cluster-name'] =~ 'kubernetes'");
    expect(() => fleetQuery("x' or 1==1")).toThrow();
  });
});
