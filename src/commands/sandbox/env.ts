/** `plsctl sandbox env`: export lines for one of the sandbox's identities (a credential by design). */
import { Option } from "@commander-js/extra-typings";
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

export const env = defineCommand({
  name: "env",
  summary: "print export lines that point plsctl and kubectl at the running sandbox",
  declare: (c) =>
    withStateDir(c).addOption(
      new Option(
        "--as <identity>",
        "whose environment: provider (cluster operator), ci (provider CI), partner",
      ).default("provider"),
    ),
  input: ({ opts }) => ({ stateDir: opts.stateDir, as: opts.as }),
  async run(ctx, input) {
    const { sandboxEnv } = await import("../../flows/sandbox/index.js");
    return sandboxEnv(await stateDirIn(ctx, input.stateDir), input.as);
  },
  render: async () => (await import("../../output/sandbox.js")).renderEnv,
  printsCredentials: true,
  exitCodes: [
    [ExitCode.Ok, "the export lines were printed"],
    [ExitCode.Usage, "the sandbox has no identity of that --as name (the names are listed)"],
    [ExitCode.NotFound, "no sandbox runs from the state directory"],
  ],
  json: `{
  identity: string; displayName: string;
  env: Record<string, string>;   // what the export lines set (tokens included: a credential by design)
  unset: string[];               // what they unset
}`,
  examples: [
    'eval "$(plsctl sandbox env)"                       # act as the cluster operator',
    'eval "$(plsctl sandbox env --as partner)"          # act as the partner (other tenant)',
    "plsctl sandbox env --as ci -o json",
  ],
});
