/**
 * Tests against a whole sandbox (`startSandbox` with a state directory), as a user drives one: the
 * environment `plsctl sandbox env --as <identity>` prints, and the walkthrough's sample app applied.
 */
import { readFileSync } from "node:fs";
import { CoreV1Api, KubeConfig, type V1Pod, type V1Service } from "@kubernetes/client-node";
import { expect } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCli } from "./run-cli.js";

export async function envAs(stateDir: string, identity: string): Promise<Record<string, string>> {
  const r = await runCli(["sandbox", "env", "--as", identity, "--state-dir", stateDir, "-o", "json"]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).env;
}

/** Creates examples/sample-app.yaml's Pod and Service; returns the kubeconfig it used. */
export async function deploySampleApp(kubeconfigPath: string): Promise<KubeConfig> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const docs = parseAllDocuments(readFileSync("examples/sample-app.yaml", "utf8")).map((d) => d.toJS());
  await core.createNamespacedPod({
    namespace: "default",
    body: docs.find((d) => d?.kind === "Pod") as V1Pod,
  });
  await core.createNamespacedService({
    namespace: "default",
    body: docs.find((d) => d?.kind === "Service") as V1Service,
  });
  return kc;
}
