/** `plsctl verify`: from the partner's side, does traffic get through — DNS, TCP, HTTP, each timed. */
import { parseDuration } from "../domain/duration.js";
import { ExitCode } from "../domain/errors.js";
import { checkHttpPath, parsePort } from "../domain/verify.js";
import { defineCommand } from "./declare.js";

export const verify = defineCommand({
  name: "verify",
  summary: "check that a private endpoint reaches the provider's Service: DNS, TCP, HTTP (partner)",
  description:
    "Check from the partner's side that traffic gets through: read the private endpoint (its IP and " +
    "whether its connection is Approved), resolve the name, open a TCP connection and optionally send " +
    "one HTTP GET — each step timed — and name the likely cause when it does not get through. With " +
    "PLSCTL_SANDBOX_PROXY set (plsctl sandbox env --as partner) it goes through the sandbox's partner " +
    "network; otherwise it dials from this machine (run it on a VM in your VNet). Reads only.",
  declare: (c) =>
    c
      .option("--endpoint <name>", "your private endpoint (with -g): its IP and connection state")
      .option("-g, --resource-group <rg>", "the endpoint's resource group")
      .option("--address <ip|name>", "the address to reach (default: the endpoint's IP); a name is resolved")
      .option("--port <port>", "the TCP port", "80")
      .option("--http <path>", "send GET <path> once connected and show the answer")
      .option("--timeout <duration>", "how long each connection and the HTTP answer may take", "10s"),
  input: ({ opts }) => ({
    endpoint: opts.endpoint,
    resourceGroup: opts.resourceGroup,
    address: opts.address,
    port: parsePort(opts.port),
    http: checkHttpPath(opts.http),
    timeoutMs: parseDuration(opts.timeout, "--timeout"),
  }),
  run: async (ctx, input) => (await import("../flows/verify.js")).runVerify(ctx, input),
  render: async () => (await import("../output/verify.js")).renderVerify,
  exitCode: (result) => (result.reached ? ExitCode.Ok : ExitCode.Failed),
  exitCodes: [
    [ExitCode.Ok, "the Service was reached"],
    [ExitCode.Failed, "it was not: the likely cause is named"],
    [ExitCode.Usage, "bad flags"],
    [ExitCode.NotFound, "the endpoint does not exist"],
  ],
  examples: [
    "plsctl verify --endpoint pe-pls-app -g rg-partner --http /",
    "plsctl verify --endpoint pe-pls-app -g rg-partner --address app.privatelink.fabrikam.example",
    "plsctl verify --address 10.0.0.4 --port 443 --timeout 5s -o json",
  ],
});
