/** `plsctl disconnect`: delete a private endpoint and the A records plsctl wrote for it. */
import { ExitCode } from "../domain/errors.js";
import { defineCommand } from "./declare.js";

export const disconnect = defineCommand({
  name: "disconnect",
  summary: "delete a private endpoint and the DNS record plsctl wrote for it (partner)",
  description:
    "Delete the private endpoint (its network interface and its connection go with it) and the A " +
    "records `plsctl connect` wrote for it; records written by anyone else, zones and VNet links " +
    "stay. Safe to re-run: a second run finds nothing and writes nothing.",
  declare: (c) =>
    c
      .requiredOption("--name <name>", "the private endpoint")
      .requiredOption("-g, --resource-group <rg>", "its resource group"),
  input: ({ opts }) => ({ name: opts.name, resourceGroup: opts.resourceGroup }),
  run: async (ctx, input) => (await import("../flows/disconnect.js")).runDisconnect(ctx, input),
  render: async () => (await import("../output/endpoint.js")).renderDisconnect,
  exitCodes: [
    [ExitCode.Ok, "the endpoint is gone (deleted by this run, or not there: nothing written)"],
    [ExitCode.Usage, "bad flags or names, or no subscription (--subscription, AZURE_SUBSCRIPTION_ID)"],
  ],
  json: `{
  endpoint: { id, name, resourceGroup, subscriptionId: string };
  endpointDeleted: boolean;   // false: it was not there
  deletedRecords: string[];   // FQDNs of the A records plsctl had written for it
  changed: boolean;
}`,
  examples: [
    "plsctl disconnect --name pe-pls-app -g rg-partner",
    "plsctl disconnect --name pe-pls-app -g rg-partner --subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d -o json",
  ],
});
