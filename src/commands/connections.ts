/** `plsctl connections`: the private endpoint connections partners requested, with their state. */
import { Option } from "@commander-js/extra-typings";
import { CONNECTION_STATES, parseLinkId } from "../domain/connections.js";
import { ExitCode, usageError } from "../domain/errors.js";
import { defineCommand } from "./declare.js";
import { plsTargetOf, withPlsTargetOptions } from "./options.js";

export const connections = defineCommand({
  name: "connections",
  summary: "list the private endpoint connections partners requested, with their state",
  declare: (c) =>
    withPlsTargetOptions(
      c.argument("[service]", "name of the Service (in --namespace) whose Private Link Service to read"),
    )
      .addOption(new Option("--state <state>", "only connections in this state").choices(CONNECTION_STATES))
      .option(
        "--link-id <n>",
        "only the connection with this link id (the number a PROXY protocol v2 header or a log shows)",
      ),
  input: ({ args: [service], opts }) => {
    const linkId = linkIdOf(opts.linkId);
    return {
      service,
      ...plsTargetOf(opts),
      state: opts.state,
      ...(linkId !== undefined ? { linkId } : {}),
    };
  },
  run: async (ctx, input) => (await import("../flows/connections.js")).runConnections(ctx, input),
  render: async () => (await import("../output/connections.js")).renderConnections,
  notes: `One list request per Private Link Service. While a connection is Pending its description is the
partner's request message. The link id is Azure's number for the connection, the one the PROXY
protocol v2 header names the partner by (--proxy-protocol): --link-id finds the partner behind it.`,
  exitCodes: [
    [ExitCode.Ok, "listed (an empty list too)"],
    [
      ExitCode.Usage,
      "bad flags (a --link-id that is not a link id, target flags that do not go together): nothing was read",
    ],
    [ExitCode.NotFound, "the Service, or its Private Link Service, does not exist"],
    [ExitCode.Auth, "not allowed to read the Private Link Service"],
  ],
  json: `{
  pls: { name, id }[]
  connections: { pls, plsId, name: string; status: string; requesterSubscription, privateEndpointId,
    privateEndpointName, description, actionsRequired, linkIdentifier, rule, revision: string | null }[]
}`,
  examples: [
    "plsctl connections sample-app --state pending",
    "plsctl connections --pls /subscriptions/…/privateLinkServices/pls-app -o json",
    "plsctl connections --all --cluster-name kubernetes --state pending -o json | jq '.connections[].name'",
    "plsctl connections sample-app --link-id 536870917",
  ],
});

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
