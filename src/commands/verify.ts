import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerVerify(program: RootCommand, runtime: Runtime): void {
  program
    .command("verify")
    .summary("check that a private endpoint reaches the provider's Service: DNS, TCP, HTTP (partner)")
    .description(
      "Check from the partner's side that traffic gets through: read the private endpoint (its IP and " +
        "whether its connection is Approved), resolve the name, open a TCP connection and optionally send " +
        "one HTTP GET — each step timed — and name the likely cause when it does not get through. With " +
        "PLSCTL_SANDBOX_PROXY set (plsctl sandbox env --as partner) it goes through the sandbox's partner " +
        "network; otherwise it dials from this machine (run it on a VM in your VNet). Reads only.",
    )
    .option("--endpoint <name>", "your private endpoint (with -g): its IP and connection state")
    .option("-g, --resource-group <rg>", "the endpoint's resource group")
    .option("--address <ip|name>", "the address to reach (default: the endpoint's IP); a name is resolved")
    .option("--port <port>", "the TCP port", "80")
    .option("--http <path>", "send GET <path> once connected and show the answer")
    .option("--timeout <duration>", "how long each connection and the HTTP answer may take", "10s")
    .addHelpText(
      "after",
      `
Exits 0 when the Service was reached, 1 when not (the cause is named), 2 on bad flags, 3 when the
endpoint does not exist.

Examples:
  plsctl verify --endpoint pe-pls-app -g rg-partner --http /
  plsctl verify --endpoint pe-pls-app -g rg-partner --address app.privatelink.fabrikam.example
  plsctl verify --address 10.0.0.4 --port 443 --timeout 5s -o json`,
    )
    .action(async (opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runVerify }, { renderVerify }, { writeResult }, { parsePort, checkHttpPath }, dur, errors] =
        await Promise.all([
          import("../flows/verify.js"),
          import("../output/verify.js"),
          import("../output/result.js"),
          import("../domain/verify.js"),
          import("../domain/duration.js"),
          import("../domain/errors.js"),
        ]);
      const result = await runVerify(ctx, {
        endpoint: opts.endpoint,
        resourceGroup: opts.resourceGroup,
        address: opts.address,
        port: parsePort(opts.port),
        http: checkHttpPath(opts.http),
        timeoutMs: dur.parseDuration(opts.timeout, "--timeout"),
      });
      await writeResult(ctx, result, renderVerify);
      if (!result.reached) runtime.exitCode = errors.ExitCode.Failed;
    });
}
