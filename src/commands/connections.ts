import { Option } from "@commander-js/extra-typings";
import { CONNECTION_STATES, parseLinkId } from "../domain/connections.js";
import { usageError } from "../domain/errors.js";
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
    .option(
      "--link-id <n>",
      "only the connection with this link id (the number a PROXY protocol v2 header or a log shows)",
    )
    .addHelpText(
      "after",
      `
One list request per Private Link Service. While a connection is Pending its description is the
partner's request message. The link id is Azure's number for the connection, the one the PROXY
protocol v2 header names the partner by (--proxy-protocol): --link-id finds the partner behind it.

Examples:
  plsctl connections sample-app --state pending
  plsctl connections --pls /subscriptions/…/privateLinkServices/pls-app -o json
  plsctl connections --all --cluster-name kubernetes --state pending -o json | jq '.connections[].name'
  plsctl connections sample-app --link-id 536870917`,
    )
    .action(async (service, opts, command) => {
      const linkId = linkIdOf(opts.linkId);
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
        ...(linkId !== undefined ? { linkId } : {}),
      });
      await writeResult(ctx, result, renderConnections);
    });
}

/** `--link-id`: refused (exit 2, before any request) unless an unsigned 32-bit integer. */
export function linkIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = parseLinkId(value);
  if (id === undefined)
    throw usageError(
      `--link-id ${JSON.stringify(value)} is not a link id: Azure's link ids are unsigned 32-bit integers (0-4294967295).`,
      "Copy the number from the log or the PROXY protocol header, e.g. --link-id 536870917.",
    );
  return id;
}
