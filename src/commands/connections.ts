import { Option } from "@commander-js/extra-typings";
import { CONNECTION_STATES } from "../domain/connections.js";
import { plsTargetOf, withPlsTargetOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerConnections(program: RootCommand, runtime: Runtime): void {
  const declared = program
    .command("connections")
    .summary("list the private endpoint connections partners requested, with their state")
    .argument("[service]", "name of the Service (in --namespace) whose Private Link Service to read");
  withPlsTargetOptions(declared)
    .addOption(new Option("--state <state>", "only connections in this state").choices(CONNECTION_STATES))
    .addHelpText(
      "after",
      `
One list request per Private Link Service. While a connection is Pending its description is the
partner's request message.

Examples:
  plsctl connections sample-app --state pending
  plsctl connections --pls /subscriptions/…/privateLinkServices/pls-app -o json
  plsctl connections --all --cluster-name kubernetes --state pending -o json | jq '.connections[].name'`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runConnections }, { renderConnections }, { writeResult }] = await Promise.all([
        import("../flows/connections.js"),
        import("../output/connections.js"),
        import("../output/result.js"),
      ]);
      const result = await runConnections(ctx, {
        service,
        ...plsTargetOf(opts),
        state: opts.state,
      });
      await writeResult(ctx, result, renderConnections);
    });
}
