/** Every command, in the order `plsctl --help` lists them. Declarations are eager; flows load lazily. */
import { approve } from "./approve.js";
import { completion } from "./completion.js";
import { connect } from "./connect.js";
import { connections } from "./connections.js";
import type { AnySpec } from "./declare.js";
import { demo } from "./demo.js";
import { disconnect } from "./disconnect.js";
import { doctor } from "./doctor.js";
import { attach, type Executor } from "./execute.js";
import { expose } from "./expose.js";
import { migrate } from "./migrate.js";
import { netpol } from "./netpol.js";
import { policy } from "./policy/index.js";
import type { RootCommand } from "./program.js";
import { reject } from "./reject.js";
import { remove } from "./remove.js";
import { sandbox } from "./sandbox/index.js";
import { status } from "./status.js";
import { unexpose } from "./unexpose.js";
import { verify } from "./verify.js";

/** The commands: the cluster operator's, the provider CI's, the partner's, then the tools around them. */
export const COMMANDS: readonly AnySpec[] = [
  expose,
  status,
  doctor,
  unexpose,
  migrate,
  connections,
  approve,
  reject,
  remove,
  policy,
  connect,
  disconnect,
  verify,
  netpol,
  sandbox,
  demo,
  completion,
];

/** Declares every command on `program`; their actions go to `executor`. */
export function registerCommands(program: RootCommand, executor: Executor): void {
  for (const spec of COMMANDS) attach(program, spec, executor);
}
