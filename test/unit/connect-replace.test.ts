/** `connect`'s decision about an endpoint of the same name (pure): create, reuse, replace or refuse. */
import { describe, expect, it } from "vitest";
import { decideExisting, type ExistingEndpoint, isReplaceable } from "../../src/domain/connect-replace.js";
import { PlsctlError } from "../../src/domain/errors.js";
import { notReplaced } from "../../src/flows/connect/replace.js";

const OLD = "pls-a.1111.westeurope.azure.privatelinkservice";
const NEW = "pls-a.2222.westeurope.azure.privatelinkservice";
const SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe";
const ep = (state: string, target = OLD): ExistingEndpoint => ({
  name: "pe-a",
  resourceGroup: "rg",
  target,
  subnetId: SUBNET,
  state,
});
const want = (replace: boolean, target = NEW) => ({ target, subnetId: SUBNET, replace });

function refusal(f: () => unknown): PlsctlError {
  try {
    f();
  } catch (err) {
    if (err instanceof PlsctlError) return err;
    throw err;
  }
  throw new Error("not refused");
}

describe("decideExisting", () => {
  it("nothing there: create (also with --replace: the re-run of an interrupted replace)", () => {
    expect(decideExisting(undefined, want(false))).toBe("create");
    expect(decideExisting(undefined, want(true))).toBe("create");
  });

  it("the same target and subnet: reuse, unless --replace of a Disconnected or Rejected one", () => {
    for (const s of ["Approved", "Pending", "Disconnected", "Rejected"])
      expect(decideExisting(ep(s), want(false, OLD.toUpperCase()))).toBe("reuse");
    expect(decideExisting(ep("Approved"), want(true, OLD))).toBe("reuse");
    expect(decideExisting(ep("Pending"), want(true, OLD))).toBe("reuse");
    expect(decideExisting(ep("Disconnected"), want(true, OLD))).toBe("replace");
    expect(decideExisting(ep("Rejected"), want(true, OLD))).toBe("replace");
  });

  it("another target, Disconnected or Rejected: replace with --replace; without it exit 2 naming the old target, its state and the flag", () => {
    expect(decideExisting(ep("Disconnected"), want(true))).toBe("replace");
    expect(decideExisting(ep("rejected"), want(true))).toBe("replace");
    const e = refusal(() => decideExisting(ep("Disconnected"), want(false)));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      `Private endpoint pe-a already exists in resource group rg and connects ${OLD}, whose connection is Disconnected (the provider removed or recreated its service); nothing was changed.`,
    );
    expect(e.hint).toMatch(
      new RegExp(
        `--replace deletes the old endpoint, its target ${OLD.replace(/\./g, "\\.")} and its Disconnected connection state`,
      ),
    );
    expect(e.hint).toMatch(/re-run this command with --replace\.$/);
    expect(refusal(() => decideExisting(ep("Rejected"), want(false))).message).toMatch(
      /\(the provider rejected it\)/,
    );
  });

  it("another target, Approved or Pending: --replace refused (exit 2) saying what it would do and to disconnect first", () => {
    const approved = refusal(() => decideExisting(ep("Approved"), want(true)));
    expect(approved.exitCode).toBe(2);
    expect(approved.message).toMatch(
      /connection is Approved; replacing it would cut a working connection\. Nothing was changed\.$/,
    );
    expect(approved.hint).toMatch(/plsctl disconnect --name pe-a --resource-group rg/);
    const pending = refusal(() => decideExisting(ep("Pending"), want(true)));
    expect(pending.message).toMatch(/abandon a request the provider has not decided yet/);
    // Without --replace: the refusal as before, with the state.
    expect(refusal(() => decideExisting(ep("Approved"), want(false))).message).toMatch(
      /connects .* \(Approved\) from subnet .*; nothing was changed\.$/,
    );
  });

  it("isReplaceable: Disconnected and Rejected, in any casing", () => {
    expect(["Disconnected", "rejected"].map(isReplaceable)).toEqual([true, true]);
    expect(["Approved", "Pending", "Unknown"].map(isReplaceable)).toEqual([false, false, false]);
  });
});

describe("notReplaced: the new endpoint's PUT failed after the old one was deleted", () => {
  it("Azure's message without a full stop still ends its sentence before the note", () => {
    const e = notReplaced(
      new PlsctlError(
        "Could not create private endpoint pe-a: Azure reported InternalServerError: Quota exceeded",
      ),
      "pe-a",
    ) as PlsctlError;
    expect(e.message).toBe(
      "Could not create private endpoint pe-a: Azure reported InternalServerError: Quota exceeded. The old private endpoint pe-a was deleted (--replace); the new one was not created.",
    );
  });

  it("a message that ends a sentence gets no second full stop", () => {
    const e = notReplaced(new PlsctlError("Azure refused it. Nothing was created."), "pe-a") as PlsctlError;
    expect(e.message).toBe(
      "Azure refused it. The old private endpoint pe-a was deleted (--replace); the new one was not created.",
    );
  });
});
