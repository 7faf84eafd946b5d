/**
 * Sketches of the shapes several `-o json` documents share (json-sketch.ts): the Private Link
 * Service part of expose and status, a connection, a partner of the inventory.
 */
import type { ConnectionSummary } from "../domain/connections.js";
import type { PartnerRecord } from "../domain/inventory.js";
import type { ExposeResult } from "../domain/results.js";
import type { Field } from "./json-sketch.js";
import { jsonShape } from "./json-sketch.js";

/** The fields expose and status both print (src/domain/results.ts ExposeResult). */
export type PlsFields = Omit<ExposeResult, "changed" | "recreated" | "aliasChanged">;

export const PLS_FIELDS: { [K in keyof PlsFields]-?: Field } = {
  name: ["string | null", "the Private Link Service's name; null until the AKS controller made it"],
  id: "string | null",
  alias: ["string | null", "what partners connect to"],
  resourceGroup: "string",
  subscriptionId: "string",
  location: "string | null",
  service: "{ namespace: string; name: string }",
  loadBalancerIp: ["string | null", "the internal load balancer's frontend IP"],
  natIps: ["string[]", "the source addresses the pods see partners' traffic come from"],
  visibility: ["string[]", "subscriptions that may connect (`*`: anyone with the alias)"],
  autoApproval: ["string[]", "subscriptions whose connections Azure approves at once"],
  fqdns: "string[]",
  proxyProtocol: ["boolean", "PROXY protocol v2 on the PLS"],
  provisioningState: [
    "string",
    "as ARM reports it (Succeeded, Updating, Failed, …); NotCreated before the PLS exists",
  ],
  connectCommand: ["string | null", "the line a partner runs: plsctl connect --pls <alias> …"],
};

export const CONNECTION_SHAPE = jsonShape<ConnectionSummary>("Connection", {
  name: ["string", "<endpoint name>.<guid> on AKS-made PLSs"],
  requesterSubscription: ["string | null", "the partner's subscription, lower case"],
  privateEndpointId: "string | null",
  privateEndpointName: "string | null",
  status: '"Pending" | "Approved" | "Rejected" | "Disconnected" | "Unknown"',
  description: "string | null",
  actionsRequired: "string | null",
  linkIdentifier: ["string | null", "Azure's link id (decimal), as PROXY protocol v2 carries it"],
  rule: ["string | null", "the policy entry (or `enforce`, `cli`) plsctl's audit marker names"],
  revision: ["string | null", "the policy revision that marker names"],
});

export const PARTNER_SHAPE = jsonShape<PartnerRecord>("Partner", {
  connection: "string",
  requesterSubscription: "string | null",
  privateEndpointId: "string | null",
  privateEndpointName: "string | null",
  linkIdentifier: "string | null",
  state: ["string", "ARM's state when last seen; `Removed` (by plsctl) or `Gone`"],
  approvedAt: ["string | null", "ISO 8601"],
  approvedBy: ["string | null", "the policy entry, selector or `auto-approval` that approved it"],
  plsId: "string",
  alias: "string | null",
  lastSeen: ["string", "ISO 8601"],
});
