/**
 * The built bundle runs the whole walkthrough (`plsctl demo`), and Ctrl-C during it removes the
 * throwaway sandbox's temporary directory. TMPDIR points the child at a directory of this test.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.js";
import { runNode } from "./run-node.js";

/** The demo's own directories in `tmp` (bin/plsctl.js also keeps Node's compile cache there). */
const demoDirs = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith("plsctl-demo-"));

function demo(args: string[], tmp: string, onStderr?: Parameters<typeof runNode>[1]["onStderr"]) {
  return runNode(["bin/plsctl.js", "demo", ...args], {
    home: "/nonexistent",
    env: { TMPDIR: tmp },
    ...(onStderr ? { onStderr } : {}),
  });
}

describe("plsctl demo (the built bundle)", () => {
  it("runs the walkthrough to the app's answer and leaves no temporary directory", async () => {
    const tmp = tempDir("plsctl-demo-e2e-");
    const r = await demo([], tmp);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("$ plsctl expose sample-app --pls-name pls-app --visibility ");
    expect(r.stdout).toMatch(/\$ plsctl approve sample-app --from-subscription [0-9a-f-]{36}\n/);
    expect(r.stdout).toContain("Connection:       Approved");
    expect(r.stdout).toContain("HTTP 200: reached");
    expect(r.stdout).toContain("<title>Welcome to Azure Kubernetes Service (AKS)</title>");
    expect(r.stderr).toContain("→ Starting the sandbox");
    expect(demoDirs(tmp)).toEqual([]);
  });

  it("Ctrl-C while the controller works: exit 130, the sandbox and its temporary directory removed", async () => {
    const tmp = tempDir("plsctl-demo-e2e-");
    let sent = false;
    let during: string[] = [];
    const r = await demo(["--realistic"], tmp, (text, kill) => {
      if (!sent && text.includes("Waiting for the")) {
        sent = true;
        during = demoDirs(tmp);
        kill("SIGINT");
      }
    });
    expect(sent, r.stderr).toBe(true);
    expect(during).toEqual([expect.stringMatching(/^plsctl-demo-/)]);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/error: Interrupted after: [^\n]+\. The rest was not done\./);
    expect(r.stderr).toContain(
      "throwaway sandbox and its temporary directory are gone: run plsctl demo again",
    );
    expect(r.stderr).not.toContain("re-run the same command");
    expect(r.stdout).toBe("");
    expect(demoDirs(tmp)).toEqual([]);
  });
});
