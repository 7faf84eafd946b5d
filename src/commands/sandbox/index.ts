/** `plsctl sandbox` and its subcommands, one file each. */
import type { RootCommand } from "../program.js";
import type { Runtime } from "../runtime.js";
import { registerSandboxEnv } from "./env.js";
import { registerSandboxFaults } from "./faults.js";
import { sandboxGroup } from "./group.js";
import { registerSandboxRequest } from "./request.js";
import { registerSandboxRequests } from "./requests.js";
import { registerSandboxReset } from "./reset.js";
import { registerSandboxStatus } from "./status.js";
import { registerSandboxUp } from "./up.js";

export function registerSandbox(program: RootCommand, runtime: Runtime): void {
  const sandbox = sandboxGroup(program);
  registerSandboxUp(sandbox, runtime);
  registerSandboxEnv(sandbox, runtime);
  registerSandboxStatus(sandbox, runtime);
  registerSandboxRequests(sandbox, runtime);
  registerSandboxRequest(sandbox, runtime);
  registerSandboxReset(sandbox, runtime);
  registerSandboxFaults(sandbox, runtime);
}
