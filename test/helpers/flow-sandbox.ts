/**
 * One sandbox per test file for plsctl flow tests: started before, closed after. After each test,
 * the test fails if the sandbox received a request it has no route for (test/helpers/unrouted.ts).
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import {
  coreApi,
  startTestSandbox,
  type TestSandbox,
  type TestSandboxOptions,
} from "../sandbox/helpers/sandbox.js";
import { sandboxEnv } from "./sandbox-env.js";
import { assertNothingUnrouted, markUnrouted, type UnroutedMark } from "./unrouted.js";

export interface FlowSandbox {
  sb: TestSandbox;
  core: CoreV1Api;
  /** The environment of the cluster operator (`plsctl sandbox env`). */
  env: Record<string, string>;
}

export function useSandbox(opts: TestSandboxOptions = {}): FlowSandbox {
  const fs = {} as FlowSandbox;
  let mark: UnroutedMark | undefined;
  beforeAll(async () => {
    fs.sb = await startTestSandbox(opts);
    fs.core = coreApi(fs.sb);
    fs.env = sandboxEnv(fs.sb);
  });
  beforeEach(() => {
    mark = markUnrouted(fs.sb);
  });
  afterEach(() => {
    if (fs.sb && mark) assertNothingUnrouted(fs.sb, mark);
  });
  afterAll(async () => fs.sb?.close());
  return fs;
}
