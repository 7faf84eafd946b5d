import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerDisconnect(program: RootCommand, runtime: Runtime): void {
  program
    .command("disconnect")
    .summary("delete a private endpoint and the DNS record plsctl wrote for it (partner)")
    .description(
      "Delete the private endpoint (its network interface and its connection go with it) and the A " +
        "records `plsctl connect` wrote for it; records written by anyone else, zones and VNet links " +
        "stay. Safe to re-run: a second run finds nothing and writes nothing.",
    )
    .requiredOption("--name <name>", "the private endpoint")
    .requiredOption("-g, --resource-group <rg>", "its resource group")
    .addHelpText(
      "after",
      `
Examples:
  plsctl disconnect --name pe-pls-app -g rg-partner
  plsctl disconnect --name pe-pls-app -g rg-partner --subscription 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d -o json`,
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runDisconnect }, { renderDisconnect }, { writeResult }] = await Promise.all([
        import("../flows/disconnect.js"),
        import("../output/endpoint.js"),
        import("../output/result.js"),
      ]);
      const result = await runDisconnect(ctx, { name: opts.name, resourceGroup: opts.resourceGroup });
      await writeResult(ctx, result, renderDisconnect);
    });
}
