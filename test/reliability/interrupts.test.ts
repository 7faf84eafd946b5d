/**
 * SIGINT and SIGTERM at each phase of expose, connect, approve and unexpose: the built plsctl
 * (bin/plsctl.js → dist/) spawned against a sandbox in this process, the signal sent when the
 * sandbox or stderr shows the phase (never after a fixed time). After each: exit 130 (the
 * dictionary's "interrupted"; SIGTERM too), one line of how far the command got, and a re-run
 * reaches the clean final state — with each connection PUT once over both runs.
 */
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { guarded } from "../helpers/loopback-env.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { networkAs, partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";
import { type FinalState, finalState, NODE_RG, partnerState, writesTo } from "./state.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
// PLS provisioning and long-running operations that last long enough to be interrupted in.
const t = useSandbox({ provisioningDelayMs: 1500, lroDelayMs: 1000 });
let clean: FinalState;
let plsId = "";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
type Signal = (typeof SIGNALS)[number];
/** When to send the signal: stderr shows this, or the sandbox says so (polled). */
type Phase = { stderr: RegExp } | { sandbox: () => boolean };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built plsctl; sends `signal` once `phase` is reached. */
function interrupted(
  args: string[],
  env: Record<string, string>,
  phase: Phase,
  signal: Signal,
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["bin/plsctl.js", ...args], {
      env: guarded({ PATH: process.env.PATH ?? "", HOME: "/nonexistent", NO_COLOR: "1", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      clearInterval(poll);
      child.kill(signal);
    };
    const poll = setInterval(() => {
      if ("sandbox" in phase && phase.sandbox()) send();
    }, 5);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      if ("stderr" in phase && phase.stderr.test(stderr)) send();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      clearInterval(poll);
      if (!sent) fail(new Error(`the phase never came; plsctl exited ${code}:\n${stderr}`));
      else done({ code, stdout, stderr });
    });
  });
}

/** Exit 130, one line of how far it got, the hint, no stack (unless --verbose). */
function expectInterrupted(r: Run, step?: RegExp, o: { verbose?: boolean } = {}) {
  expect(r.code, r.stderr).toBe(130);
  const error = r.stderr.slice(r.stderr.lastIndexOf("error: "));
  expect(error).toMatch(
    /^error: Interrupted (after: [^\n]+\. The rest was not done|before its first step finished)\.\n {2}Nothing is lost: re-run the same command/,
  );
  if (step) expect(error.split("\n")[0]).toMatch(step);
  if (!o.verbose) expect(r.stderr).not.toMatch(/\n\s+at /);
}

const exposeArgs = (svc: string) => ["expose", svc, "--pls-name", `pls-${svc}`, "--visibility", PART];

beforeAll(async () => {
  await createService(t.core, "clean", INTERNAL);
  const r = await runCli(exposeArgs("clean"), { env: t.env });
  expect(r.code, r.stderr).toBe(0);
  clean = await finalState(t, "clean", "pls-clean");
  plsId = await exposeToPartner(t, "shared", "pls-shared");
});

describe.each(SIGNALS)("%s", (signal) => {
  const s = signal.toLowerCase();

  describe("expose", () => {
    it("before the first write (the Service read held up): exit 130; the re-run ends as a clean run", async () => {
      const svc = `x-${s}-read`;
      await createService(t.core, svc, INTERNAL);
      t.sb.kube.setFaults([{ kind: "latency", verb: "get", latencyMs: 3000, times: 1 }]);
      // --verbose: its first debug line comes after the signal handlers are in place, before any request.
      const r = await interrupted(
        [...exposeArgs(svc), "--verbose"],
        t.env,
        { stderr: /prompts (on|off)/ },
        signal,
      );
      t.sb.kube.setFaults([]);
      expectInterrupted(r, /before its first step finished/, { verbose: true });
      expect((await finalState(t, svc, `pls-${svc}`)).annotations).toEqual({});
      const again = await runCli(exposeArgs(svc), { env: t.env });
      expect(again.code, again.stderr).toBe(0);
      expect(await finalState(t, svc, `pls-${svc}`)).toEqual(clean);
    });

    it("after the Service patch, in the wait for the PLS: exit 130; the re-run ends as a clean run", async () => {
      const svc = `x-${s}-wait`;
      await createService(t.core, svc, INTERNAL);
      const r = await interrupted(exposeArgs(svc), t.env, { stderr: /Annotated Service/ }, signal);
      expectInterrupted(r, /Annotated Service|Waiting for/);
      const again = await runCli(exposeArgs(svc), { env: t.env });
      expect(again.code, again.stderr).toBe(0);
      expect(await finalState(t, svc, `pls-${svc}`)).toEqual(clean);
    });
  });

  describe("connect", () => {
    const connectArgs = (name: string, ...more: string[]) => [
      "connect",
      "--pls",
      plsId,
      "--name",
      name,
      "-g",
      "rg-partner",
      "--vnet",
      "spoke01",
      "--subnet",
      "pe-subnet",
      "--request-message",
      "Fabrikam, ticket 42",
      ...more,
    ];
    it.each([
      ["during the endpoint's long-running PUT", /Creating private endpoint/, []],
      ["during --wait-approved", /Waiting for the provider to approve/, ["--wait-approved"]],
    ] as const)(
      "%s: exit 130, then a re-run leaves one endpoint and one Pending connection",
      async (name, at, more) => {
        const pe = `pe-${s}-${more.length}`;
        const partner = sandboxEnv(t.sb, "partner");
        const r = await interrupted(connectArgs(pe, ...more), partner, { stderr: at }, signal);
        expectInterrupted(r, name.includes("wait") ? /approve/ : /Creating private endpoint/);
        const again = await runCli(connectArgs(pe), { env: partner });
        expect(again.code, again.stderr).toBe(0);
        const mine = (await partnerState(t)).filter((e) => e.name === pe);
        expect(mine).toEqual([
          { name: pe, provisioningState: "Succeeded", status: "Pending", target: plsId.toLowerCase() },
        ]);
        const connections = (await finalState(t, "shared", "pls-shared")).pls?.connections ?? [];
        expect(connections.filter((c) => c.endpoint === pe)).toEqual([{ endpoint: pe, status: "Pending" }]);
      },
    );
  });

  describe("approve", () => {
    it("mid-way through 20 connections: exit 130; the re-run approves the rest, each connection PUT once", async () => {
      const names = await partnerEndpoints(t.sb, plsId, 20, { prefix: `pe-${s}-ap`, message: `batch ${s}` });
      t.sb.arm.setSettings({ connectionWriteMs: 100 });
      t.sb.arm.resetCounters();
      const puts = () => Object.values(writesTo(t, /privateendpointconnections/)).reduce((a, b) => a + b, 0);
      const args = ["approve", "--pls", plsId, "--message-match", `^batch ${s}$`, "--concurrency", "1"];
      const r = await interrupted(args, t.env, { sandbox: () => puts() >= 5 }, signal);
      // It says how many of its writes landed.
      expectInterrupted(r, /Interrupted after: \d+ of 20 approved\./);
      const again = await runCli(args, { env: t.env });
      t.sb.arm.setSettings({ connectionWriteMs: 0 });
      expect(again.code, again.stderr).toBe(0);
      const state = (await finalState(t, "shared", "pls-shared")).pls?.connections ?? [];
      for (const pe of names) expect(state.find((c) => c.endpoint === pe)?.status, pe).toBe("Approved");
      // One PUT per connection over both runs, except near the signal: the PUT in flight then
      // (aborted, ARM finishes it) and, while ARM still holds the PLS's write lock for it, the
      // re-run's first PUT refused with RetryableErrorDueToAnotherOperation and sent again.
      // (--concurrency 1 keeps the runs' own PUTs from refusing each other.)
      const perConnection = writesTo(t, /privateendpointconnections/);
      const counts = names.map((pe) =>
        Object.entries(perConnection)
          .filter(([k]) => new RegExp(`/${pe}(\\.|$)`).test(k))
          .reduce((a, [, v]) => a + v, 0),
      );
      expect(
        counts.every((n) => n >= 1 && n <= 3),
        counts.join(","),
      ).toBe(true);
      expect(counts.filter((n) => n > 1).length, counts.join(",")).toBeLessThanOrEqual(2);
    });
  });

  describe("unexpose", () => {
    it.each([["during the wait for the PLS to go", /Deleting Private Link Service/]] as const)(
      "%s: exit 130, then a re-run removes the PLS and every annotation",
      async (_name, at) => {
        const svc = `u-${s}`;
        await createService(t.core, svc, INTERNAL);
        expect((await runCli(exposeArgs(svc), { env: t.env })).code).toBe(0);
        const r = await interrupted(["unexpose", svc], t.env, { stderr: at }, signal);
        expectInterrupted(r);
        const again = await runCli(["unexpose", svc], { env: t.env });
        expect(again.code, again.stderr).toBe(0);
        expect(await finalState(t, svc, `pls-${svc}`)).toEqual({ annotations: {}, pls: null });
      },
    );
  });
});

// A fault that needs the slow provisioning of this file's sandbox.
describe("the PLS deleted under a running expose wait", () => {
  it("expose succeeds or says what happened; the re-run ends as a clean run", async () => {
    await createService(t.core, "deleted", INTERNAL);
    let deletion: Promise<unknown> | undefined;
    const r = await runCli([...exposeArgs("deleted"), "--timeout", "30s"], {
      env: t.env,
      onStderr: (chunk) => {
        if (!deletion && /Waiting for Private Link Service pls-deleted/.test(chunk))
          deletion = networkAs(t.sb, "provider")
            .privateLinkServices.beginDeleteAndWait(NODE_RG, "pls-deleted", { updateIntervalInMs: 10 })
            .catch((err: Error) => err);
      },
    });
    expect(deletion, "the wait was reached").toBeDefined();
    await deletion;
    if (r.code !== 0) {
      expect(r.stderr).toMatch(/pls-deleted|Private Link Service/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const again = await runCli(exposeArgs("deleted"), { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect(await finalState(t, "deleted", "pls-deleted")).toEqual(clean);
  });
});
