/**
 * `plsctl demo`: the provider's job end to end on a throwaway sandbox — start it, deploy the
 * walkthrough's sample app, expose it — so a new user sees plsctl work with one command.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.js";
import type { ExposeResult } from "../domain/results.js";
import { createMissing } from "../kube/apply.js";
import { runExpose } from "./expose.js";
import { identityEnv } from "./sandbox.js";

export interface DemoOptions {
  stateDir?: string | undefined;
  realistic: boolean;
}

export interface DemoResult {
  stateDir: string | null;
  deployed: Array<{ kind: string; name: string; created: boolean }>;
  expose: ExposeResult;
}

/** The package's own files (examples/), wherever the bundle was installed. */
function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      return readFileSync(join(dir, relative), "utf8");
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error(`cannot find ${relative} next to plsctl`);
}

export async function runDemo(ctx: Context, o: DemoOptions): Promise<DemoResult> {
  const { startSandbox } = await import("../sandbox/index.js");
  const dir = o.stateDir ?? mkdtempSync(join(tmpdir(), "plsctl-demo-"));
  ctx.progress({ kind: "sandbox-starting", realistic: o.realistic });
  const sb = await startSandbox({
    stateDir: dir,
    lroDelayMs: o.realistic ? 3000 : 0,
    provisioningDelayMs: o.realistic ? 30_000 : 0,
    log: (line) => ctx.report.debug(line),
  });
  try {
    const provider = sb.runtime.identities.find((i) => i.name === "provider");
    const partner = sb.runtime.identities.find((i) => i.name === "partner");
    if (!provider) throw new Error("the sandbox world has no provider identity");
    const asProvider = ctx.actingAs({
      env: { ...ctx.env.raw, ...identityEnv(sb.runtime, provider).env },
      globals: {
        ...ctx.globals,
        kubeconfig: undefined,
        context: undefined,
        namespace: "default",
        subscription: undefined,
        tenant: undefined,
      },
    });
    const manifest = "examples/sample-app.yaml";
    ctx.progress({ kind: "deploying-sample-app", file: manifest });
    const deployed = await createMissing(await asProvider.kube(), packageFile(manifest), manifest);
    ctx.progress({ kind: "exposing-as-operator", service: "sample-app", plsName: "pls-app" });
    const expose = await runExpose(asProvider, {
      service: "sample-app",
      flags: { plsName: "pls-app", ...(partner ? { visibility: [partner.subscriptionId] } : {}) },
      wait: true,
      timeoutMs: 10 * 60_000,
      record: true,
    });
    return { stateDir: o.stateDir ?? null, deployed, expose };
  } finally {
    await sb.close();
    if (!o.stateDir) rmSync(dir, { recursive: true, force: true });
  }
}
