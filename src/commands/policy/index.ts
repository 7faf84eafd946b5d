/** `plsctl policy`: the approval policy file's JSON Schema, and a check of a file. */
import { renderJson } from "../../output/format.js";
import type { RootCommand } from "../program.js";
import { contextFor, type Runtime } from "../runtime.js";

export function registerPolicy(program: RootCommand, runtime: Runtime): void {
  const policy = program
    .command("policy")
    .summary("the approval policy file: its JSON Schema, and a check of a file")
    .description("The policy file `plsctl approve --policy` reads: which partners' connections are approved.")
    .addHelpText(
      "after",
      `
Examples:
  plsctl policy schema > plsctl-policy.schema.json
  plsctl policy check partners.yaml`,
    );
  policy
    .command("schema")
    .summary("print the JSON Schema of the policy file (for editors and linters)")
    .addHelpText(
      "after",
      `
Examples:
  plsctl policy schema > plsctl-policy.schema.json
  plsctl policy schema | jq '.properties.partners.items.required'`,
    )
    .action(async (_opts, command) => {
      const ctx = await contextFor(runtime, command);
      const { POLICY_SCHEMA } = await import("../../domain/policy-schema.js");
      ctx.stdout.write(renderJson(POLICY_SCHEMA));
    });
  policy
    .command("check")
    .summary("validate a policy file: every problem with its line and field (exit 2)")
    .argument("<file>", "the policy file (YAML or JSON)")
    .addHelpText(
      "after",
      `
Examples:
  plsctl policy check partners.yaml
  plsctl policy check partners.yaml -o json | jq '.partners[].name'`,
    )
    .action(async (file, _opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ checkPolicyFile }, { renderPolicyCheck }, { writeResult }] = await Promise.all([
        import("../../flows/support/selection.js"),
        import("../../output/policy.js"),
        import("../../output/result.js"),
      ]);
      await writeResult(ctx, await checkPolicyFile(file), renderPolicyCheck);
    });
}
