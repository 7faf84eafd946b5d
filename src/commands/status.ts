/** `plsctl status <service>`: the Service's Private Link Service, its connections, recent warnings. */

import { ExitCode } from "../domain/errors.js";
import type { StatusResult } from "../domain/results.js";
import { defineCommand } from "./declare.js";
import { CONNECTION_SHAPE, PARTNER_SHAPE, PLS_FIELDS } from "./json-shapes.js";
import { jsonShape, jsonSketch } from "./json-sketch.js";
import { clusterOf, withClusterOptions } from "./options.js";

export const status = defineCommand({
  name: "status",
  summary: "show a Service's Private Link Service, its connections and recent warnings",
  declare: (c) => withClusterOptions(c.argument("<service>", "name of the Service (in --namespace)")),
  input: ({ args: [service], opts }) => ({ service, ...clusterOf(opts) }),
  async run(ctx, input) {
    const { runStatus } = await import("../flows/status.js");
    const result = await runStatus(ctx, input);
    for (const w of result.policyWarnings) ctx.report.warn(w.message, `Fix: ${w.fix}`);
    return result;
  },
  render: async () => {
    const { renderStatus } = await import("../output/pls.js");
    return (r, colors, ctx) => renderStatus(r, colors, ctx.clock.now());
  },
  exitCodes: [
    [ExitCode.Ok, "the Service has a Private Link Service (shown)"],
    [ExitCode.NotFound, "the Service, or its Private Link Service, does not exist"],
  ],
  // `recreated` and `aliasChanged` are expose's: status never sets them.
  json: jsonSketch(
    jsonShape<Omit<StatusResult, "recreated" | "aliasChanged">>("Status", {
      ...PLS_FIELDS,
      connections: "Connection[]",
      warnings: [
        "Array<{ reason: string; message: string; count: number; lastSeen: string | null }>",
        "Warning events since the controller's last successful sync, oldest first",
      ],
      policyWarnings: [
        "Array<{ policy: string; message: string; fix: string }>",
        "plsctl's NetworkPolicies that no longer match the NAT IPs or ports",
      ],
      partners: ["Partner[] | null", "the partner inventory; null when it could not be read"],
      missingPartners: ["Partner[]", "recorded partners of an earlier PLS with no live connection now"],
    }),
    CONNECTION_SHAPE,
    PARTNER_SHAPE,
  ),
  examples: [
    "plsctl status sample-app",
    "plsctl status web -n shop -o json | jq '.connections[] | select(.status == \"Pending\")'",
  ],
});
