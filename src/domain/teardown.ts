/**
 * Changes that make AKS delete a Service's Private Link Service and create a new one (new alias,
 * every connection gone). The controller knows a PLS only by the load balancer frontend it sits on;
 * a change that replaces or removes the frontend deletes the PLS first
 * (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_loadbalancer.go, reconcileFrontendIPConfigs
 * → reconcilePrivateLinkService(wantPLS=false); pkg/provider/azure_privatelinkservice.go, safeDeletePLS:
 * every private endpoint connection, then the PLS). What replaces the frontend, all read there:
 * - `azure-load-balancer-internal-subnet` changed: the frontend's name (getFrontendIPConfigNames:
 *   `<a+uid>-<subnet>`) and subnet change, so isFrontendIPChanged drops the old one (issue #2511);
 * - `azure-load-balancer-ipv4` / `spec.loadBalancerIP` changed: isFrontendIPChanged, new private IP;
 * - `azure-load-balancer-configurations` moved (multiple standard load balancers): the Service's
 *   frontend leaves its load balancer (getServiceLoadBalancer, reconcileMultipleStandardLoadBalancerConfigurations);
 * - `type` no longer LoadBalancer, or `loadBalancerClass` set: EnsureLoadBalancerDeleted.
 * `expose` only ever sets the first (and never leaves LoadBalancer); the others are listed so that
 * any change of those keys through `expose` is caught the same way.
 * Not refused: `--make-internal` on a public Service with a PLS (`azure-load-balancer-internal`
 * switched). The new internal frontend's PLS is reconciled before the flipped clean-up
 * (azure_loadbalancer.go, EnsureLoadBalancer), under the same name as the old one by default
 * (pls-<a+uid> on both), so the controller re-points the PLS rather than deleting it; expose warns
 * that the public address goes.
 * A new `azure-pls-resource-group` is apart: the controller looks only there, finds nothing, and tries
 * a second PLS on the same frontend, which Azure refuses; `--recreate-pls` has plsctl delete the old
 * PLS itself so the controller creates the new one there.
 */
import { ANN, type AnnotationChanges, type Annotations } from "./annotations.js";
import type { ConnectionSummary } from "./connections.js";
import { ExitCode, PlsctlError } from "./errors.js";

const P = "service.beta.kubernetes.io/";
/** Frontend-defining annotations: a different value replaces the Service's frontend. */
export const FRONTEND_ANNOTATIONS = [
  ANN.internalSubnet,
  `${P}azure-load-balancer-ipv4`,
  `${P}azure-load-balancer-configurations`,
] as const;

const norm = (v: string | null | undefined) => (v ?? "").trim();

/** The changes (in words) that would make AKS recreate the Service's PLS; empty when none. */
export function recreatingChanges(before: Annotations, wanted: AnnotationChanges): string[] {
  const out: string[] = [];
  for (const key of FRONTEND_ANNOTATIONS) {
    if (!(key in wanted)) continue;
    const [was, now] = [norm(before[key]), norm(wanted[key])];
    if (was !== now)
      out.push(`${key.slice(P.length)} ${was ? `"${was}"` : "(unset)"} → ${now ? `"${now}"` : "(unset)"}`);
  }
  return out;
}

const live = (c: ConnectionSummary) => c.status !== "Disconnected" && c.status !== "Rejected";

/** "name (subscription …, Approved)" for each partner connection. */
export function partnerList(connections: ConnectionSummary[]): string {
  return connections
    .map((c) => `${c.name} (subscription ${c.requesterSubscription ?? "unknown"}, ${c.status})`)
    .join(", ");
}

/** The refusal: what would change, the alias that would go, and who would lose access. */
export function recreateRefusal(
  pls: { name: string; alias: string | undefined },
  changes: string[],
  connections: ConnectionSummary[],
): PlsctlError {
  const partners = connections.filter(live);
  const who = partners.length
    ? `${partners.length} partner connection(s) would be deleted and lose access: ${partnerList(partners)}`
    : "no partner is connected now, but anyone holding the alias would have to connect again";
  return new PlsctlError(
    `This change makes AKS delete Private Link Service ${pls.name} and create a new one: ${changes.join("; ")}. Its alias ${pls.alias ?? "(unknown)"} would change, and ${who}.`,
    {
      exitCode: ExitCode.Usage,
      code: "PlsRecreateRefused",
      hint: "Leave that setting as it is; or, to do it on purpose, re-run with --recreate-pls and give the partners the new alias (they must connect again).",
    },
  );
}
