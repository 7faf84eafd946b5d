/** `plsctl policy`: the approval policy file's JSON Schema, and a check of a file. */
import { defineGroup } from "../declare.js";
import { check } from "./check.js";
import { schema } from "./schema.js";

export const policy = defineGroup({
  name: "policy",
  summary: "the approval policy file: its JSON Schema, and a check of a file",
  description: "The policy file `plsctl approve --policy` reads: which partners' connections are approved.",
  examples: ["plsctl policy schema > plsctl-policy.schema.json", "plsctl policy check partners.yaml"],
  commands: [schema, check],
});
