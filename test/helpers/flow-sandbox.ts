/** One sandbox per test file for plsctl flow tests: started before, closed after. */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll } from "vitest";
import {
  coreApi,
  startTestSandbox,
  type TestSandbox,
  type TestSandboxOptions,
} from "../sandbox/helpers/sandbox.js";
import { sandboxEnv } from "./sandbox-env.js";

export interface FlowSandbox {
  sb: TestSandbox;
  core: CoreV1Api;
  /** The environment of the cluster operator (`plsctl sandbox env`). */
  env: Record<string, string>;
}

export function useSandbox(opts: TestSandboxOptions = {}): FlowSandbox {
  const fs = {} as FlowSandbox;
  beforeAll(async () => {
    fs.sb = await startTestSandbox(opts);
    fs.core = coreApi(fs.sb);
    fs.env = sandboxEnv(fs.sb);
  });
  afterAll(async () => fs.sb?.close());
  return fs;
}
