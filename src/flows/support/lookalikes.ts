/**
 * A PLS with a Service's owner tag or name that sits on another load balancer frontend is not the
 * Service's (the AKS controller knows a Service's PLS only by its frontend: kubernetes-sigs/
 * cloud-provider-azure pkg/provider/privatelinkservice/cache.go). It is typically another cluster's
 * in a shared `azure-pls-resource-group`: every AKS cluster tags `k8s-azure-cluster-name: kubernetes`.
 */
import type { PlsView } from "../../domain/pls.js";
import { type ServiceView, serviceRef } from "../../domain/service.js";

const lbOf = (frontendId: string | undefined) =>
  /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/loadBalancers\/([^/]+)\//i.exec(
    frontendId ?? "",
  );

/** Where a PLS's frontend is, in words: "load balancer kubernetes-internal in MC_other". */
export function frontendWhere(pls: PlsView): string {
  const m = lbOf(pls.frontendIds[0]);
  return m ? `load balancer ${m[2]} in resource group ${m[1]}` : "another load balancer";
}

/** The note `status` and `unexpose` print about look-alikes; undefined when there are none. */
export function lookalikeNote(
  svc: ServiceView,
  lookalikes: PlsView[],
): { message: string; hint: string } | undefined {
  if (lookalikes.length === 0) return undefined;
  const list = lookalikes.map((p) => `${p.name} (on the frontend of ${frontendWhere(p)})`).join(", ");
  return {
    message: `Private Link Service ${list} carries the name or the k8s-azure-owner-service tag of ${serviceRef(svc)} but not its load balancer frontend: it is not this Service's (another cluster's, most likely), and plsctl leaves it alone.`,
    hint: "Only the Service's own frontend proves a PLS is its; tags are the same on every AKS cluster.",
  };
}
