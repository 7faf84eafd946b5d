/**
 * The built binary, as a user restarts it: `plsctl sandbox up`, Ctrl-C, `plsctl sandbox up` again on
 * the same state directory listens on the same ports (ARM, Kubernetes, partner proxy) (what `eval "$(plsctl sandbox env)"` exported).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";

const stateDir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-restart-"));

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Runs `sandbox up` until it is up, then Ctrl-C; returns the URLs it printed and its exit code. */
function upAndStop(): Promise<{
  arm: string;
  kube: string;
  proxy: string;
  code: number | null;
  stderr: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/plsctl.js", "sandbox", "up", "--state-dir", stateDir], {
      env: guarded({ PATH: process.env.PATH ?? "", HOME: stateDir, NO_COLOR: "1" }),
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`sandbox up did not start; stdout: ${stdout} stderr: ${stderr}`));
    }, 30_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("plsctl sandbox is up")) child.kill("SIGINT");
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      const arm = /Azure Resource Manager +(https:\/\/\S+)/.exec(stdout)?.[1] ?? "";
      const kube = /Kubernetes API +(https:\/\/\S+)/.exec(stdout)?.[1] ?? "";
      const proxy = /Partner network proxy +(http:\/\/\S+)/.exec(stdout)?.[1] ?? "";
      resolve({ arm, kube, proxy, code, stderr });
    });
  });
}

it("sandbox up after Ctrl-C listens where the last run did", async () => {
  const first = await upAndStop();
  expect(first.code).toBe(0);
  expect(first.arm).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const second = await upAndStop();
  expect(second.code).toBe(0);
  expect(second.stderr).not.toContain("warning:");
  expect(second.arm).toBe(first.arm);
  expect(second.kube).toBe(first.kube);
  expect(first.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(second.proxy).toBe(first.proxy);
});
