/**
 * Refusals `expose` makes before writing anything, where the AKS controller (or Azure behind it)
 * would fail or would silently cut partners off:
 * - a PLS name already used by a PLS on another frontend (kubernetes-sigs/cloud-provider-azure
 *   PR #10943, "reject service reusing an existing private link service name"; its exemption for a
 *   PLS tagged for the Service would hand another cluster's identically tagged PLS over);
 * - a load balancer with IP-based backend pools (Azure: PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer;
 *   AKS networkProfile.loadBalancerProfile.backendPoolType: NodeIP);
 * - a load balancer that carries an IPv6 frontend (cloud-provider-azure docs, topics/pls-integration.md,
 *   Restrictions: "In dual-stack clusters, users cannot create a service with PLS if there's existing
 *   IPv6 service deployed on the same load balancer").
 */
import { ExitCode, PlsctlError } from "./errors.js";
import type { PlsView } from "./pls.js";

const refused = (code: string, message: string, hint: string) =>
  new PlsctlError(message, { exitCode: ExitCode.Usage, code, hint });

/** The PLS name the Service would get is taken by a PLS on another frontend (never the Service's). */
export function checkNameInUse(
  name: string,
  resourceGroup: string,
  lookalikes: PlsView[],
  fix: { service: string; namespace: string },
): void {
  const taken = lookalikes.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (!taken) return;
  throw refused(
    "PlsNameInUse",
    `The name ${name} is already used by a Private Link Service on another load balancer frontend, in resource group ${resourceGroup} (${taken.id}); it is not this Service's. The AKS controller rejects a Service asking for a name in use — or, when that PLS carries this Service's k8s-azure-owner-service tag (as another cluster's can), moves it onto this Service's frontend, cutting its partners off.`,
    `Pick another name: plsctl expose ${fix.service} -n ${fix.namespace} --pls-name <free name> (or leave --pls-name out: the default name is unique to the Service).`,
  );
}

/** Azure refuses a PLS on a load balancer whose backend pools hold IP addresses. */
export function checkBackendPoolType(cluster: {
  name: string;
  resourceGroup: string;
  backendPoolType?: string | undefined;
}): void {
  if (cluster.backendPoolType?.toLowerCase() !== "nodeip") return;
  throw refused(
    "IpBasedLoadBalancer",
    `AKS cluster ${cluster.name} uses IP-based load balancer backend pools (networkProfile.loadBalancerProfile.backendPoolType: NodeIP); Azure refuses a Private Link Service on such a load balancer (PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer).`,
    `Switch the cluster to NIC-based pools, then expose again: az aks update -g ${cluster.resourceGroup} -n ${cluster.name} --load-balancer-backend-pool-type nodeIPConfiguration`,
  );
}

/** No PLS on a load balancer that carries an IPv6 frontend (a dual-stack or IPv6 Service). */
export function checkNoIpv6Frontend(lb: string, ipv6Frontends: string[]): void {
  if (ipv6Frontends.length === 0) return;
  throw refused(
    "Ipv6OnLoadBalancer",
    `Load balancer ${lb} carries IPv6 frontend${ipv6Frontends.length > 1 ? "s" : ""} ${ipv6Frontends.join(", ")}: in dual-stack clusters AKS cannot create a Private Link Service on a load balancer with an IPv6 Service.`,
    "Make the IPv6/dual-stack Services on that load balancer single-stack IPv4 (or move them off it), then expose again.",
  );
}
