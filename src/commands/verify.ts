/** `plsctl verify`: from the partner's side, does traffic get through — DNS, TCP, HTTP, each timed. */
import { parseDuration } from "../domain/duration.js";
import { ExitCode } from "../domain/errors.js";
import {
  BODY_PREVIEW,
  checkHttpPath,
  parsePort,
  type VerifyCause,
  type VerifyCauseKind,
  type VerifyEndpoint,
  type VerifyHttp,
  type VerifyResult,
  type VerifyStep,
  type VerifyStepName,
} from "../domain/verify.js";
import { defineCommand } from "./declare.js";
import { jsonShape, jsonSketch, literals, optional } from "./json-sketch.js";

const STEPS = literals<VerifyStepName>({ endpoint: true, resolve: true, connect: true, http: true });
const CAUSES = literals<VerifyCauseKind>({
  "not-approved": true,
  "dns-mismatch": true,
  "not-resolved": true,
  refused: true,
  timeout: true,
  unreachable: true,
  "http-failed": true,
});

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
  json: jsonSketch(
    jsonShape<VerifyResult>("Verify", {
      reached: "boolean",
      via: [
        literals<VerifyResult["via"]>({ proxy: true, direct: true }),
        "proxy: through the sandbox's partner network (PLSCTL_SANDBOX_PROXY); direct: from this machine",
      ],
      target: "{ host: string; port: number; address: string | null }",
      endpoint: ["Endpoint | null", "with --endpoint"],
      dns: [
        "{ name: string; addresses: string[]; matchesEndpoint: boolean | null } | null",
        "when the target is a name: what it resolved to, and whether that is the endpoint's IP",
      ],
      steps: ["Step[]", "in the order they ran"],
      http: ["Http | null", "with --http, once connected"],
      cause: ["Cause | null", "why it was not reached; null when it was"],
    }),
    jsonShape<VerifyEndpoint>("Endpoint", {
      id: "string",
      name: "string",
      resourceGroup: "string",
      state: ["string", "the connection's state: Pending, Approved, Rejected, Disconnected"],
      description: "string | null",
      privateIp: "string | null",
    }),
    jsonShape<VerifyStep>("Step", {
      step: STEPS,
      ok: "boolean",
      ms: ["number | null", "how long it took; null when another step did its work"],
      detail: "string",
    }),
    jsonShape<VerifyHttp>("Http", {
      status: "number",
      headers: [
        "Record<string, string>",
        "a few, lower-case names: content-type, content-length, server, x-sandbox-*",
      ],
      sourceIp: ["string | null", "the address the pod saw (sandbox only)"],
      linkIdentifier: optional(
        "string",
        "the link id the app read from a PROXY protocol v2 header (sandbox only)",
      ),
      body: ["string", `the first ${BODY_PREVIEW} characters of the body`],
    }),
    jsonShape<VerifyCause>("Cause", {
      kind: CAUSES,
      message: "string",
      hint: ["string | null", "what to do"],
    }),
  ),
  examples: [
    "plsctl verify --endpoint pe-pls-app -g rg-partner --http /",
    "plsctl verify --endpoint pe-pls-app -g rg-partner --address app.privatelink.fabrikam.example",
    "plsctl verify --address 10.0.0.4 --port 443 --timeout 5s -o json",
  ],
});
