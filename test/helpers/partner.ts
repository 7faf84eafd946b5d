/**
 * Set-up of the provider/partner tests of approve, reject, remove and connections: a Service the
 * AKS controller puts a PLS in front of, visible to the partner's subscription, and the partner's
 * endpoints cleared between tests.
 */
import { resolvePls } from "../../src/flows/support/resolve-pls.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { A, createService, PLS_CREATE } from "../sandbox/helpers/services.js";
import { flowContext } from "./flow-context.js";
import type { FlowSandbox } from "./flow-sandbox.js";
import { networkAs } from "./sandbox-sdk.js";

/** Exposes Service `service` as PLS `plsName`, visible to the partner; waits for it; returns its id. */
export async function exposeToPartner(t: FlowSandbox, service: string, plsName: string): Promise<string> {
  await createService(t.core, service, {
    ...PLS_CREATE,
    [`${A}azure-pls-name`]: plsName,
    [`${A}azure-pls-visibility`]: DEFAULT_IDS.partnerSubscriptionId,
  });
  await t.sb.controller.idle();
  return (await resolvePls(flowContext(t.env).ctx, { service })).pls.id;
}

/** Deletes every private endpoint of the partner (and so its connections). */
export async function removePartnerEndpoints(t: FlowSandbox): Promise<void> {
  const net = networkAs(t.sb, "partner");
  for await (const pe of net.privateEndpoints.list("rg-partner"))
    await net.privateEndpoints.delete("rg-partner", pe.name ?? "", { updateIntervalInMs: 10 });
}
