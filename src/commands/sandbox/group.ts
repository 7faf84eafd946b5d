/** `plsctl sandbox`: the group its subcommands (up, env, status, reset) are declared in. */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { RootCommand } from "../program.js";

export function sandboxGroup(program: RootCommand) {
  return program
    .command("sandbox")
    .summary("run Azure Resource Manager, a Kubernetes API and the AKS controller locally")
    .description(
      "The sandbox: local emulators of Azure Resource Manager and of the Kubernetes API, plus a simulated AKS cloud controller, speaking the real wire protocols. plsctl, kubectl and other ARM clients work against it unchanged — try plsctl, or test CI scripts, without an Azure subscription.",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox up                                  # terminal 1 (Ctrl-C stops it; state is kept)
  eval "$(plsctl sandbox env)"                       # terminal 2: act as the cluster operator
  kubectl apply -f examples/sample-app.yaml && plsctl expose sample-app
  plsctl sandbox reset                               # back to the default world`,
    );
}

export type SandboxCommand = ReturnType<typeof sandboxGroup>;

/** `--state-dir <dir>`, which every sandbox subcommand takes. */
export function withStateDir<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
) {
  return command.option(
    "--state-dir <dir>",
    "state directory (default: PLSCTL_SANDBOX_DIR, else ~/.cache/plsctl/sandbox)",
  );
}
