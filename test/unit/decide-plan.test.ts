/** The selection rules of approve/reject/remove as pure rules: what selectors take, per state. */
import { describe, expect, it } from "vitest";
import { plan, type Selection, type Target } from "../../src/domain/decide.js";
import { conn, PART, pls, sel } from "../helpers/decide-fixtures.js";

const target: Target = {
  pls,
  connections: [
    conn("pending", "Pending", "fabrikam prod"),
    conn("approved", "Approved", "test approved by plsctl [plsctl rule=fabrikam rev=r1]"),
    conn("rejected", "Rejected", "Rejected by plsctl"),
  ],
};
const taken = (verb: "approve" | "reject" | "remove", s: Partial<Selection>) =>
  plan(verb, sel(s), target, undefined).map((d) => [d.name.split(".")[0], d.outcome]);

describe("what the selectors take", () => {
  it("approve: a selector never takes a Rejected connection; naming it refuses it", () => {
    expect(taken("approve", { fromSubscriptions: [PART] })).toEqual([
      ["pending", "approved"],
      ["approved", "skipped"],
    ]);
    expect(taken("approve", { names: ["rejected"] })).toEqual([["rejected", "refused"]]);
  });

  it("--message-match takes Pending connections only (a decided one's description is the provider's)", () => {
    expect(taken("reject", { messageMatch: /^(test|Rejected|fabrikam)/ })).toEqual([["pending", "rejected"]]);
    expect(taken("remove", { messageMatch: /plsctl/ })).toEqual([]);
  });

  it("a policy entry's message is not checked on a connection that entry decided, and never lets approve take a Rejected one", () => {
    const policy = {
      file: "p.yaml",
      partners: [{ name: "fabrikam", subscriptions: [PART], message: /^fabrikam / }],
    };
    expect(taken("approve", { policy, enforce: true })).toEqual([
      ["pending", "approved"],
      ["approved", "skipped"],
    ]);
  });

  it("reject and remove by subscription still take every state they act on", () => {
    expect(taken("reject", { fromSubscriptions: [PART] })).toEqual([
      ["pending", "rejected"],
      ["approved", "rejected"],
      ["rejected", "skipped"],
    ]);
    expect(taken("remove", { fromSubscriptions: [PART] }).map(([, o]) => o)).toEqual([
      "removed",
      "removed",
      "removed",
    ]);
  });
});
