/** `plsctl sandbox reset`: back to the default world (or --world), running or not. */
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

/** Asks the running sandbox (another process) to reset: it does on SIGHUP. */
const hangUp = (pid: number) => process.kill(pid, "SIGHUP");

export const reset = defineCommand({
  name: "reset",
  summary: "restore the default world (or --world): every resource created since is gone",
  declare: (c) => withStateDir(c).option("--world <file>", "YAML/JSON world to reset to"),
  input: ({ opts }) => ({ stateDir: opts.stateDir, world: opts.world }),
  async run(ctx, input) {
    const { sandboxReset } = await import("../../flows/sandbox/index.js");
    const { path: stateDir } = await stateDirIn(ctx, input.stateDir);
    return { ...(await sandboxReset(ctx, { stateDir, world: input.world, hangUp })), stateDir };
  },
  render: async () => {
    const { stateDirOf } = await import("../../flows/sandbox/index.js");
    return (r, _colors, ctx, input) => {
      const { flag, cli } = stateDirOf(ctx, input.stateDir);
      return r.running
        ? `The running sandbox was reset (${r.stateDir}).\n`
        : `Sandbox state reset (${r.stateDir}); it starts fresh with \`${cli} sandbox up${flag}\`.\n`;
    };
  },
  exitCodes: [
    [ExitCode.Ok, "the state was reset (the running sandbox's too, when one runs)"],
    [ExitCode.Usage, "the --world file is not a valid world (every problem named)"],
    [ExitCode.Timeout, "the running sandbox did not confirm the reset within 15 s"],
  ],
  json: `{
  reset: true;
  running: boolean;   // a running sandbox was reset (else only the state on disk)
  stateDir: string;
}`,
  examples: ["plsctl sandbox reset", "plsctl sandbox reset --world examples/world.yaml --state-dir /tmp/sb"],
});
