/** The JSON Schema of the policy file (`plsctl policy schema`), for editors and CI linters. */
export const GUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

export const POLICY_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://plsctl.dev/schemas/policy.json",
  title: "plsctl approval policy",
  description:
    "The partners whose private endpoint connections `plsctl approve --policy` approves (and, with --enforce, the only ones allowed).",
  type: "object",
  additionalProperties: false,
  required: ["partners"],
  properties: {
    partners: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "subscriptions"],
        properties: {
          name: { type: "string", minLength: 1, description: "the partner, shown as the matched rule" },
          subscriptions: {
            type: "array",
            minItems: 1,
            items: { type: "string", pattern: GUID_PATTERN },
            description: "the partner's subscriptions (where its private endpoints are)",
          },
          message: {
            type: "string",
            format: "regex",
            description:
              "optional: a regular expression the request message must match (Pending connections)",
          },
          services: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description:
              "optional: the exposures it may reach: namespace/name of the Service, or the PLS name",
          },
          description: {
            type: "string",
            description: "written as the approval description (unless --description is given)",
          },
        },
      },
    },
  },
} as const;
