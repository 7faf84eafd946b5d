/** Every command, in the order `plsctl --help` lists them. Declarations are eager; flows load lazily. */
import { approve } from "./approve.js";
import { registerCompletion } from "./completion.js";
import { registerConnect } from "./connect.js";
import { connections } from "./connections.js";
import type { AnySpec } from "./declare.js";
import { demo } from "./demo.js";
import { registerDisconnect } from "./disconnect.js";
import { doctor } from "./doctor.js";
import { attach, type Executor } from "./execute.js";
import { expose } from "./expose.js";
import { migrate } from "./migrate.js";
import { registerNetpol } from "./netpol.js";
import { policy } from "./policy/index.js";
import type { RootCommand } from "./program.js";
import { reject } from "./reject.js";
import { remove } from "./remove.js";
import type { Runtime } from "./runtime.js";
import { registerSandbox } from "./sandbox/index.js";
import { status } from "./status.js";
import { unexpose } from "./unexpose.js";
import { verify } from "./verify.js";

/** The declared commands. */
export const COMMANDS: readonly AnySpec[] = [
  status,
  doctor,
  verify,
  demo,
  // expose, unexpose, migrate, connections, approve, reject, remove, policy
  expose,
  unexpose,
  migrate,
  connections,
  approve,
  reject,
  remove,
  policy,
];

/**
 * Declares every command on `program`. TRANSITION (issue 21): the `register*` functions are the
 * commands not yet declared as specs; each moves into COMMANDS.
 */
export function registerCommands(program: RootCommand, runtime: Runtime, executor: Executor): void {
  attach(program, expose, executor);
  attach(program, status, executor);
  attach(program, doctor, executor);
  attach(program, unexpose, executor);
  attach(program, migrate, executor);
  attach(program, connections, executor);
  attach(program, approve, executor);
  attach(program, reject, executor);
  attach(program, remove, executor);
  attach(program, policy, executor);
  registerConnect(program, runtime);
  registerDisconnect(program, runtime);
  attach(program, verify, executor);
  registerNetpol(program, runtime);
  registerSandbox(program, runtime);
  attach(program, demo, executor);
  registerCompletion(program, runtime);
}
