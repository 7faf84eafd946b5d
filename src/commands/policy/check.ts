/** `plsctl policy check <file>`: validate a policy file, every problem with its line and field. */
import { ExitCode } from "../../domain/errors.js";
import { defineCommand } from "../declare.js";

export const check = defineCommand({
  name: "check",
  summary: "validate a policy file: every problem with its line and field (exit 2)",
  declare: (c) => c.argument("<file>", "the policy file (YAML or JSON)"),
  input: ({ args: [file] }) => ({ file }),
  run: async (_ctx, { file }) => (await import("../../flows/support/selection.js")).checkPolicyFile(file),
  render: async () => (await import("../../output/policy.js")).renderPolicyCheck,
  exitCodes: [
    [ExitCode.Ok, "the file is valid (its partners are listed)"],
    [ExitCode.Usage, "the file is not valid: every problem with its line and field"],
    [ExitCode.NotFound, "the file does not exist"],
  ],
  json: `{
  file: string; valid: true
  partners: { name: string; kind: string; factories: string[] | null; subscriptions: string[]
    message, description: string | null; services: string[] | null }[]
}`,
  examples: [
    "plsctl policy check partners.yaml",
    "plsctl policy check partners.yaml -o json | jq '.partners[].name'",
  ],
});
