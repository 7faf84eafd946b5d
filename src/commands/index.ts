/** Every subcommand, one line each. Declarations are eager; implementations load lazily. */
import { registerApprove } from "./approve.js";
import { registerCompletion } from "./completion.js";
import { registerConnect } from "./connect.js";
import { registerConnections } from "./connections.js";
import { registerDemo } from "./demo.js";
import { registerDisconnect } from "./disconnect.js";
import { registerDoctor } from "./doctor.js";
import { registerExpose } from "./expose.js";
import { registerMigrate } from "./migrate.js";
import { registerNetpol } from "./netpol.js";
import { registerPolicy } from "./policy/index.js";
import type { RootCommand } from "./program.js";
import { registerReject } from "./reject.js";
import { registerRemove } from "./remove.js";
import type { Runtime } from "./runtime.js";
import { registerSandbox } from "./sandbox/index.js";
import { registerStatus } from "./status.js";
import { registerUnexpose } from "./unexpose.js";
import { registerVerify } from "./verify.js";

export function registerCommands(program: RootCommand, runtime: Runtime): void {
  registerExpose(program, runtime);
  registerStatus(program, runtime);
  registerDoctor(program, runtime);
  registerUnexpose(program, runtime);
  registerMigrate(program, runtime);
  registerConnections(program, runtime);
  registerApprove(program, runtime);
  registerReject(program, runtime);
  registerRemove(program, runtime);
  registerPolicy(program, runtime);
  registerConnect(program, runtime);
  registerDisconnect(program, runtime);
  registerVerify(program, runtime);
  registerNetpol(program, runtime);
  registerSandbox(program, runtime);
  registerDemo(program, runtime);
  registerCompletion(program, runtime);
}
