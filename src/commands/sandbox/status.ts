/** `plsctl sandbox status`: whether a sandbox runs from the state directory, where, since when. */
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

export const status = defineCommand({
  name: "status",
  summary: "show whether the sandbox runs, and where",
  declare: (c) => withStateDir(c),
  input: ({ opts }) => ({ stateDir: opts.stateDir }),
  async run(ctx, input) {
    const { sandboxStatus } = await import("../../flows/sandbox/index.js");
    return sandboxStatus((await stateDirIn(ctx, input.stateDir)).path);
  },
  render: async () => {
    const [{ renderStatus }, { stateDirOf }] = await Promise.all([
      import("../../output/sandbox.js"),
      import("../../flows/sandbox/index.js"),
    ]);
    // not running: it says how to start it, naming the state directory as the user did
    return (s, colors, ctx, input) => renderStatus(s, colors, stateDirOf(ctx, input.stateDir));
  },
  exitCodes: [[ExitCode.Ok, "the status was printed, running or not"]],
  json: `{
  running: boolean; stateDir: string;
  pid: number | null; startedAt: string | null;   // null when not running (so are the URLs)
  arm: string | null; kube: string | null; proxy: string | null; kubeconfig: string | null;
  identities: string[];
  clusters: Array<{ name, url, context: string }>;
}`,
  examples: ["plsctl sandbox status", "plsctl sandbox status --state-dir /tmp/sb -o json"],
});
