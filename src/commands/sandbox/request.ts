/** `plsctl sandbox request`: a connection request from a Microsoft-managed requester (Front Door, Fabric, Data Factory). */
import { Option } from "@commander-js/extra-typings";
import { contextFor, type Runtime } from "../runtime.js";
import { type SandboxCommand, withStateDir } from "./group.js";

export function registerSandboxRequest(sandbox: SandboxCommand, runtime: Runtime): void {
  const declared = sandbox
    .command("request")
    .summary("ask a PLS for a connection as Front Door, Fabric or Data Factory would")
    .description(
      "Adds a Pending connection to a Private Link Service of the running sandbox as a Microsoft-managed requester makes it: the endpoint in a Microsoft-owned subscription; Front Door and Fabric carry their request message, Data Factory none (its endpoint is named <factory>.<name>). Try `approve --policy` with entries of those kinds against it. (`sandbox requests` counts ARM requests; this one makes a connection request.)",
    )
    .addHelpText(
      "after",
      `
Examples:
  plsctl sandbox request --kind frontdoor --pls /subscriptions/…/privateLinkServices/pls-app --message "contoso-edge origin app"
  plsctl sandbox request --kind fabric --pls /subscriptions/…/privateLinkServices/pls-app --message "fabric ws-42"
  plsctl sandbox request --kind datafactory --pls /subscriptions/…/privateLinkServices/pls-app --factory adf-contoso-prod`,
    );
  withStateDir(declared)
    .addOption(
      new Option("--kind <kind>", "who asks")
        .choices(["frontdoor", "fabric", "datafactory"] as const)
        .makeOptionMandatory(),
    )
    .requiredOption("--pls <id>", "the Private Link Service's resource id")
    .option("--message <text>", "frontdoor, fabric: the request message (at most 140 characters)")
    .option("--factory <name>", "datafactory: the Data Factory's name")
    .option("--name <name>", "the managed private endpoint's name (default: generated)")
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ sandboxManagedRequest }, { stateDirOf }, { writeResult }] = await Promise.all([
        import("../../flows/sandbox/managed.js"),
        import("../../flows/sandbox/index.js"),
        import("../../output/result.js"),
      ]);
      const result = await sandboxManagedRequest(stateDirOf(ctx, opts.stateDir), {
        kind: opts.kind,
        pls: opts.pls,
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(opts.factory !== undefined ? { factory: opts.factory } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      await writeResult(
        ctx,
        result,
        (r) => `${r.kind}: Pending connection ${r.name} on the PLS (endpoint ${r.privateEndpointId}).\n`,
      );
    });
}
