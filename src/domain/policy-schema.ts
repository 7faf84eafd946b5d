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
        required: ["name"],
        // What each kind requires (src/domain/requester-kinds.ts).
        anyOf: [
          { not: { required: ["kind"] }, required: ["subscriptions"] },
          { properties: { kind: { const: "partner" } }, required: ["kind", "subscriptions"] },
          { properties: { kind: { enum: ["frontdoor", "fabric"] } }, required: ["kind", "message"] },
          { properties: { kind: { const: "datafactory" } }, required: ["kind", "factories"] },
        ],
        properties: {
          name: { type: "string", minLength: 1, description: "the partner, shown as the matched rule" },
          kind: {
            enum: ["partner", "frontdoor", "fabric", "datafactory"],
            description:
              "who requests (default partner: an endpoint in the partner's subscription, needs `subscriptions`). Microsoft-managed endpoints live in a subscription Microsoft owns, so they match on what the connection carries: frontdoor — an Azure Front Door Premium origin's request message, `message` required (learn.microsoft.com/azure/frontdoor/private-link); fabric — a Fabric managed private endpoint's requestMessage (≤ 140 characters), `message` required (learn.microsoft.com/rest/api/fabric/core/managed-private-endpoints); datafactory — a Data Factory managed private endpoint, which sends no message: its endpoint name `<factory>.<managed private endpoint>` (as the portal shows it), `factories` required",
          },
          subscriptions: {
            type: "array",
            minItems: 1,
            items: { type: "string", pattern: GUID_PATTERN },
            description:
              "the partner's subscriptions (where its private endpoints are); for a Microsoft-managed kind, optional: the Microsoft-managed subscription seen in the connection's private endpoint id",
          },
          factories: {
            type: "array",
            minItems: 1,
            items: { type: "string", minLength: 1 },
            description: "kind datafactory: the Data Factory names whose managed private endpoints it allows",
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
            maxLength: 64,
            description:
              "written as the approval description (unless --description is given), before plsctl's audit marker",
          },
        },
      },
    },
  },
} as const;
