/** `plsctl doctor [service]`: what exposing a Service needs, each check PASS/WARN/FAIL with its fix. */
import {
  CHECK_IDS,
  type CheckResult,
  type DoctorCause,
  type DoctorResult,
  doctorFailed,
  PREFLIGHT_IDS,
} from "../domain/doctor.js";
import { ExitCode } from "../domain/errors.js";
import { defineCommand } from "./declare.js";
import { jsonShape, jsonSketch } from "./json-sketch.js";

/** The stable check ids, in the order they run; those of the preflight (no Service) marked. */
const checkIds = (): string =>
  `type CheckId =\n${CHECK_IDS.map((id) => `  | "${id}"${PREFLIGHT_IDS.includes(id) ? " // also in the preflight" : ""}`).join("\n")};`;

import { clusterOf, withClusterOptions } from "./options.js";

export const doctor = defineCommand({
  name: "doctor",
  summary: "check what exposing a Service needs, each check PASS/WARN/FAIL with the fix",
  description:
    "Check a Service and its cluster for what the AKS controller needs to put a Private Link Service in front " +
    "of it: Kubernetes access, the Service, the Azure credential, the NAT subnet, the cluster identity's " +
    "rights, room on the load balancer, the PLS name, visibility, proxy protocol, recent controller errors. " +
    "Without a Service: the preflight before a first expose. Reads only; exits 1 when a check fails.",
  declare: (c) =>
    withClusterOptions(
      c
        .argument("[service]", "name of the Service (in --namespace); omit for the preflight")
        .option("--nat-subnet <name>", "the NAT subnet expose will use (as expose --nat-subnet)")
        .option(
          "--pls-resource-group <rg>",
          "the PLS resource group expose will use (as expose --pls-resource-group)",
        )
        .option(
          "--cluster-identity <object-id>",
          "object id of the cluster's control-plane identity (needed for a service-principal cluster, which shows only its app id)",
        ),
    ),
  input: ({ args: [service], opts }) => ({
    service,
    natSubnet: opts.natSubnet,
    plsResourceGroup: opts.plsResourceGroup,
    clusterIdentity: opts.clusterIdentity,
    ...clusterOf(opts),
  }),
  run: async (ctx, input) => (await import("../flows/doctor/index.js")).runDoctor(ctx, input),
  render: async () => (await import("../output/doctor.js")).renderDoctor,
  exitCode: (result) => (doctorFailed(result) ? ExitCode.Failed : ExitCode.Ok),
  notes: "Check ids are stable: docs/commands/doctor.md lists them.",
  exitCodes: [
    [ExitCode.Ok, "no check failed (warnings allowed)"],
    [ExitCode.Failed, "a check failed: its detail and fix are printed"],
  ],
  json: jsonSketch(
    jsonShape<DoctorResult>("Doctor", {
      service: ["string | null", "namespace/name; null for the preflight before a first expose"],
      cause: ["Cause | null", "null unless an API did not answer: then why, once"],
      checks: ["Check[]", "in the order they ran"],
    }),
    jsonShape<CheckResult>("Check", {
      id: "CheckId",
      title: "string",
      status: '"pass" | "warn" | "fail"',
      detail: ["string", "what was found, and why it matters"],
      fix: ["string | null", "what to do (a command where there is one); null when nothing is to be done"],
    }),
    jsonShape<DoctorCause>("Cause", {
      message: "string",
      fix: "string",
      skipped: ["CheckId[]", "the checks it stopped (each still in `checks`, with a short detail)"],
    }),
    checkIds(),
  ),
  examples: [
    "plsctl doctor sample-app",
    "plsctl doctor --nat-subnet pls-nat-subnet",
    "plsctl doctor web -n shop -o json | jq '.checks[] | select(.status != \"pass\")'",
  ],
});
