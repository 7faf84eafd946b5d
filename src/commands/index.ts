/** Every command, in the order `plsctl --help` lists them. Declarations are eager; flows load lazily. */
import { registerApprove } from "./approve.js";
import { completion } from "./completion.js";
import { connect } from "./connect.js";
import { registerConnections } from "./connections.js";
import type { AnySpec } from "./declare.js";
import { demo } from "./demo.js";
import { disconnect } from "./disconnect.js";
import { doctor } from "./doctor.js";
import { attach, type Executor, type Outcome } from "./execute.js";
import { registerExpose } from "./expose.js";
import { registerMigrate } from "./migrate.js";
import { netpol } from "./netpol.js";
import { registerPolicy } from "./policy/index.js";
import type { RootCommand } from "./program.js";
import { registerReject } from "./reject.js";
import { registerRemove } from "./remove.js";
import type { Runtime } from "./runtime.js";
import { sandbox } from "./sandbox/index.js";
import { status } from "./status.js";
import { registerUnexpose } from "./unexpose.js";
import { verify } from "./verify.js";

/** The declared commands. */
export const COMMANDS: readonly AnySpec[] = [
  status,
  doctor,
  connect,
  disconnect,
  verify,
  netpol,
  sandbox,
  demo,
  completion,
];

/**
 * Declares every command on `program`. TRANSITION (issue 21): the `register*` functions are the
 * commands not yet declared as specs; each moves into COMMANDS.
 */
export function registerCommands(
  program: RootCommand,
  runtime: Runtime,
  executor: Executor,
  done: (outcome: Outcome) => void,
): void {
  registerExpose(program, runtime);
  attach(program, status, executor);
  attach(program, doctor, executor);
  registerUnexpose(program, runtime);
  registerMigrate(program, runtime);
  registerConnections(program, runtime);
  registerApprove(program, runtime, done);
  registerReject(program, runtime, done);
  registerRemove(program, runtime, done);
  registerPolicy(program, runtime);
  attach(program, connect, executor);
  attach(program, disconnect, executor);
  attach(program, verify, executor);
  attach(program, netpol, executor);
  attach(program, sandbox, executor);
  attach(program, demo, executor);
  attach(program, completion, executor);
}
