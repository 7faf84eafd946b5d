/** `plsctl policy schema`: the JSON Schema of the policy file, for editors and linters. */
import { ExitCode } from "../../domain/errors.js";
import { renderJson } from "../../output/format.js";
import { defineCommand } from "../declare.js";

export const schema = defineCommand({
  name: "schema",
  summary: "print the JSON Schema of the policy file (for editors and linters)",
  declare: (c) => c,
  input: () => ({}),
  async run(ctx) {
    const { POLICY_SCHEMA } = await import("../../domain/policy-schema.js");
    // A schema file is JSON whatever -o says: written here, not rendered.
    ctx.stdout.write(renderJson(POLICY_SCHEMA));
    return POLICY_SCHEMA;
  },
  exitCodes: [[ExitCode.Ok, "the schema is printed"]],
  json: "the JSON Schema (draft 2020-12) of the policy file, printed as JSON whatever -o says",
  examples: [
    "plsctl policy schema > plsctl-policy.schema.json",
    "plsctl policy schema | jq '.properties.partners.items.required'",
  ],
});
