/** `plsctl status`: the Service, its PLS, every connection, and recent warnings. */
import type { Context } from "../context.js";
import { ExitCode, PlsctlError } from "../domain/errors.js";
import type { ConnectionView } from "../domain/pls.js";
import { serviceRef } from "../domain/service.js";
import { listServiceEvents } from "../kube/events.js";
import { getService } from "../kube/services.js";
import { type ExposeResult, toResult } from "./expose.js";
import { type ClusterRef, findServicePlsIn, locatePlsGroup } from "./locate.js";

export interface StatusResult extends ExposeResult {
  connections: Array<
    Pick<ConnectionView, "name" | "requesterSubscription" | "privateEndpointId" | "status" | "description">
  >;
  warnings: Array<{ reason: string; message: string; count: number; lastSeen: string | null }>;
}

export interface StatusOptions extends ClusterRef {
  service: string;
}

export async function runStatus(ctx: Context, o: StatusOptions): Promise<StatusResult> {
  const kube = await ctx.kube();
  const svc = await getService(kube, kube.namespace, o.service);
  const { azure, location } = await locatePlsGroup(ctx, kube, svc, o);
  const [pls, { events }] = await Promise.all([
    findServicePlsIn(azure, location, svc),
    listServiceEvents(kube, svc),
  ]);
  if (!pls) {
    throw new PlsctlError(
      `Service ${serviceRef(svc)} has no Private Link Service (looked in resource group ${location.resourceGroup}).`,
      {
        exitCode: ExitCode.NotFound,
        code: "PlsNotFound",
        hint: `Create one with: plsctl expose ${svc.name} -n ${svc.namespace}`,
      },
    );
  }
  return {
    ...toResult(svc, location, pls, false),
    connections: pls.connections.map((c) => ({
      name: c.name,
      requesterSubscription: c.requesterSubscription,
      privateEndpointId: c.privateEndpointId,
      status: c.status,
      description: c.description,
    })),
    warnings: events
      .filter((e) => e.type === "Warning")
      .slice(-10)
      .map((e) => ({ reason: e.reason, message: e.message, count: e.count, lastSeen: e.lastSeen ?? null })),
  };
}
