/**
 * `approve --watch` stopped as Kubernetes stops a pod (SIGTERM) or by Ctrl-C (SIGINT): the built
 * plsctl spawned against a sandbox in this process, the signal sent when the sandbox shows a write
 * in flight or stderr shows the wait between passes (never after a fixed time). The write in
 * flight settles, no other starts, the Lease is given up, one line says so, exit 0. A one-shot
 * approve keeps exit 130 (interrupts.test.ts).
 */
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { getLease } from "../../src/kube/lease.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { guarded } from "../helpers/loopback-env.js";
import { exposeToPartner } from "../helpers/partner.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { finalState, writesTo } from "./state.js";

const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "stopped", "pls-stopped");
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built plsctl; sends `signal` once `when(stderr)` holds. */
function stopped(args: string[], when: (stderr: string) => boolean, signal: NodeJS.Signals): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["bin/plsctl.js", ...args], {
      env: guarded({ PATH: process.env.PATH ?? "", HOME: "/nonexistent", NO_COLOR: "1", ...t.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const check = () => {
      if (!sent && when(stderr)) {
        sent = true;
        clearInterval(poll);
        child.kill(signal);
      }
    };
    const poll = setInterval(check, 5);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      check();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      clearInterval(poll);
      if (!sent) fail(new Error(`the phase never came; plsctl exited ${code}:\n${stderr}`));
      else done({ code, stdout, stderr });
    });
  });
}

const puts = () => Object.values(writesTo(t, /privateendpointconnections/)).reduce((a, b) => a + b, 0);
const watchArgs = (match: string) => [
  "approve",
  "stopped",
  "--message-match",
  match,
  "--concurrency",
  "1",
  "--watch",
  "--interval",
  "30s",
  "--leader-elect",
  "--lease-name",
  `lease-${match.replace(/\W/g, "")}`,
];

async function leaseHolder(name: string): Promise<string | undefined> {
  const kube = await flowContext(t.env).ctx.kube();
  return (await getLease(kube, "default", name))?.holderIdentity;
}

describe("approve --watch, stopped", () => {
  it("SIGTERM with a write in flight: it settles, no other starts, the Lease is released, exit 0", async () => {
    const names = await partnerEndpoints(t.sb, plsId, 3, { prefix: "pe-term", message: "term" });
    t.sb.arm.resetCounters();
    t.sb.arm.setSettings({ connectionWriteMs: 1500 });
    try {
      const r = await stopped(watchArgs("^term$"), () => puts() >= 1, "SIGTERM");
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/error:/);
      const lines = r.stderr.trim().split("\n");
      expect(lines.at(-1)).toBe("Stopped on SIGTERM after 1 pass; Lease default/lease-term released.");
      // The write in flight landed; the others were never sent and wait for the next replica.
      expect(puts()).toBe(1);
      const state = (await finalState(t, "stopped", "pls-stopped")).pls?.connections ?? [];
      const status = names.map((pe) => state.find((c) => c.endpoint === pe)?.status);
      expect(status.sort()).toEqual(["Approved", "Pending", "Pending"]);
      expect(r.stdout).toMatch(/not written: plsctl was stopping/);
      expect(await leaseHolder("lease-term")).toBe("");
    } finally {
      t.sb.arm.setSettings({ connectionWriteMs: 0 });
    }
  });

  it("SIGINT while waiting for the next pass: the same graceful stop, exit 0", async () => {
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-int", message: "int" });
    const r = await stopped(watchArgs("^int$"), (e) => /Pass 1 done/.test(e), "SIGINT");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(
      "Stopped on SIGINT after 1 pass; Lease default/lease-int released.",
    );
    expect(await leaseHolder("lease-int")).toBe("");
  });
});
