/**
 * `plsctl demo`: the provider's job end to end on a throwaway sandbox — start it, deploy the
 * walkthrough's sample app, expose it — so a new user sees plsctl work with one command.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Context, createContext } from "../context.js";
import { readEnv } from "../env.js";
import { createMissing } from "../kube/apply.js";
import { type ExposeResult, runExpose } from "./expose.js";
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
  ctx.report.phase(`Starting the sandbox${o.realistic ? " (realistic delays: minutes, like AKS)" : ""}`);
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
    const env = readEnv({ ...ctx.env.raw, ...identityEnv(sb.runtime, provider).env });
    const asProvider = createContext({
      ...ctx,
      env,
      globals: {
        ...ctx.globals,
        kubeconfig: undefined,
        context: undefined,
        namespace: "default",
        subscription: undefined,
        tenant: undefined,
      },
    });
    ctx.report.phase("Deploying examples/sample-app.yaml (a Pod and an internal LoadBalancer Service)");
    const deployed = await createMissing(
      await asProvider.kube(),
      packageFile("examples/sample-app.yaml"),
      "examples/sample-app.yaml",
    );
    ctx.report.info(
      "As the cluster operator: plsctl expose sample-app --pls-name pls-app --visibility <partner subscription>",
    );
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
