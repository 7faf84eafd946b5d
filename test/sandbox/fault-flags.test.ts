/**
 * `plsctl sandbox faults add`'s flags become a rule of the sandbox's own fault wire format: every
 * kind the help lists is accepted and makes a rule the emulator itself accepts (one definition,
 * src/sandbox/faults-spec.ts), and mistakes stay usage errors (exit 2) with a hint.
 */
import { describe, expect, it } from "vitest";
import { ExitCode, PlsctlError } from "../../src/domain/errors.js";
import { faultSpecOf } from "../../src/flows/sandbox/faults.js";
import { armFaultProblems } from "../../src/sandbox/arm/admin.js";
import { kubeFaultProblems } from "../../src/sandbox/kube/faults.js";
import { runCli } from "../helpers/run-cli.js";

/** The kinds `faults add --help` lists for one API ("arm: 429|500|…; kube: closeWatch|…"). */
async function helpKinds(): Promise<{ arm: string[]; kube: string[] }> {
  const r = await runCli(["sandbox", "faults", "add", "--help"]);
  expect(r.code).toBe(0);
  const text = r.stdout.replace(/\s+/g, " ");
  const arm = /arm: ([\w|]+);/.exec(text)?.[1]?.split("|") ?? [];
  const kube = /kube: ([\w|]+)/.exec(text)?.[1]?.split("|") ?? [];
  return { arm, kube };
}

/** The extra flags a kind needs to make a complete rule. */
const needs: Record<string, Record<string, string>> = { status: { status: "503" } };

describe("sandbox faults add: kinds", () => {
  it("accepts every ARM kind the help lists, as a rule the ARM emulator accepts", async () => {
    const { arm } = await helpKinds();
    expect(arm.length).toBeGreaterThan(4);
    for (const kind of arm) {
      const spec = faultSpecOf({ kind });
      expect(spec.api).toBe("arm");
      expect(armFaultProblems([spec.rule]), kind).toEqual([]);
    }
  });

  it("accepts every Kubernetes kind the help lists, as a rule the Kubernetes emulator accepts", async () => {
    const { kube } = await helpKinds();
    expect(kube).toContain("closeWatch");
    for (const kind of kube) {
      const spec = faultSpecOf({ api: "kube", kind, ...needs[kind] });
      expect(spec.api).toBe("kube");
      expect(kubeFaultProblems([spec.rule]), kind).toEqual([]);
    }
  });

  it("accepts --kind 409, which the ARM emulator always took and the flags refused", () => {
    const spec = faultSpecOf({ kind: "409", retryAfter: "3s", message: "busy" });
    expect(spec).toEqual({
      api: "arm",
      rule: { kind: "409", retryAfterSeconds: 3, errorMessage: "busy" },
    });
    expect(armFaultProblems([spec.rule])).toEqual([]);
  });

  it("accepts every verb the Kubernetes emulator names its requests by", () => {
    const spec = faultSpecOf({ api: "kube", kind: "500", verb: "deletecollection" });
    expect(spec.rule).toEqual({ status: 500, kind: "status", verb: "deletecollection" });
    expect(kubeFaultProblems([spec.rule])).toEqual([]);
  });
});

describe("sandbox faults add: mistakes", () => {
  it.each([
    [
      { kind: "418" },
      /--kind "418" is not one of 409, 429, 500, 503, drop, latency, lroFailed/,
      /--kind 429/,
    ],
    [
      { api: "kube", kind: "drop" },
      /--kind "drop" is not one of closeWatch, status, latency, 429/,
      /closeWatch/,
    ],
    [{ kind: "latency", latency: "fast" }, /--latency "fast" is not a duration/, /90s/],
    [{ kind: "drop", retryAfter: "5s" }, /--retry-after does not apply to --kind drop/, /409, 429, 503/],
    [{ api: "kube", kind: "status" }, /--kind status needs --status N/, /--status 503/],
  ])("%j is a usage error with a hint", (flags, message, hint) => {
    let err: unknown;
    try {
      faultSpecOf(flags);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlsctlError);
    expect((err as PlsctlError).exitCode).toBe(ExitCode.Usage);
    expect((err as PlsctlError).message).toMatch(message);
    expect((err as PlsctlError).hint).toMatch(hint);
  });
});
