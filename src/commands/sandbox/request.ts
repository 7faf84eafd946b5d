/** `plsctl sandbox request`: a connection request from a Microsoft-managed requester (Front Door, Fabric, Data Factory). */
import { Option } from "@commander-js/extra-typings";
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";
import { stateDirIn, withStateDir } from "./state-dir.js";

export const request = defineCommand({
  name: "request",
  summary: "ask a PLS for a connection as Front Door, Fabric or Data Factory would",
  description:
    "Adds a Pending connection to a Private Link Service of the running sandbox as a Microsoft-managed requester makes it: the endpoint in a Microsoft-owned subscription; Front Door and Fabric carry their request message, Data Factory none (its endpoint is named <factory>.<name>). Try `approve --policy` with entries of those kinds against it. (`sandbox requests` counts ARM requests; this one makes a connection request.)",
  declare: (c) =>
    withStateDir(c)
      .addOption(
        new Option("--kind <kind>", "who asks")
          .choices(["frontdoor", "fabric", "datafactory"] as const)
          .makeOptionMandatory(),
      )
      .requiredOption("--pls <id>", "the Private Link Service's resource id")
      .option("--message <text>", "frontdoor, fabric: the request message (at most 140 characters)")
      .option("--factory <name>", "datafactory: the Data Factory's name")
      .option("--name <name>", "the managed private endpoint's name (default: generated)"),
  input: ({ opts }) => ({
    stateDir: opts.stateDir,
    request: {
      kind: opts.kind,
      pls: opts.pls,
      ...(opts.message !== undefined ? { message: opts.message } : {}),
      ...(opts.factory !== undefined ? { factory: opts.factory } : {}),
      ...(opts.name !== undefined ? { name: opts.name } : {}),
    },
  }),
  async run(ctx, input) {
    const { sandboxManagedRequest } = await import("../../flows/sandbox/managed.js");
    return sandboxManagedRequest(await stateDirIn(ctx, input.stateDir), input.request);
  },
  render: async () => (r) =>
    `${r.kind}: Pending connection ${r.name} on the PLS (endpoint ${r.privateEndpointId}).\n`,
  exitCodes: [
    [ExitCode.Ok, "the Pending connection was made"],
    [ExitCode.Failed, "the sandbox did not take the request (is it still running?)"],
    [ExitCode.Usage, "bad flags: a message or factory the kind does not take, one it needs missing"],
    [ExitCode.NotFound, "no sandbox runs from the state directory, or it has no such PLS"],
  ],
  json: `{
  kind: string; pls: string;
  name: string;                // the connection's name
  privateEndpointId: string;   // in a Microsoft-owned subscription
  status: string;              // Pending
  description: string;         // the request message ("" for Data Factory)
}`,
  examples: [
    'plsctl sandbox request --kind frontdoor --pls /subscriptions/…/privateLinkServices/pls-app --message "contoso-edge origin app"',
    'plsctl sandbox request --kind fabric --pls /subscriptions/…/privateLinkServices/pls-app --message "fabric ws-42"',
    "plsctl sandbox request --kind datafactory --pls /subscriptions/…/privateLinkServices/pls-app --factory adf-contoso-prod",
  ],
});
