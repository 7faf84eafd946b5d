/**
 * The Service annotations the AKS cloud controller reads for Private Link, and the ones plsctl
 * writes to record its result. Keys and value formats follow cloud-provider-azure exactly
 * (kubernetes-sigs/cloud-provider-azure pkg/consts/consts.go; the annotation tables of
 * https://learn.microsoft.com/azure/aks/internal-lb and
 * https://cloud-provider-azure.sigs.k8s.io/topics/pls-integration/).
 */

const P = "service.beta.kubernetes.io/";

export const ANN = {
  internal: `${P}azure-load-balancer-internal`,
  internalSubnet: `${P}azure-load-balancer-internal-subnet`,
  disableFloatingIp: `${P}azure-disable-load-balancer-floating-ip`,
  plsCreate: `${P}azure-pls-create`,
  plsName: `${P}azure-pls-name`,
  plsResourceGroup: `${P}azure-pls-resource-group`,
  plsNatSubnet: `${P}azure-pls-ip-configuration-subnet`,
  plsNatIpCount: `${P}azure-pls-ip-configuration-ip-address-count`,
  plsNatIps: `${P}azure-pls-ip-configuration-ip-address`,
  plsFqdns: `${P}azure-pls-fqdns`,
  plsProxyProtocol: `${P}azure-pls-proxy-protocol`,
  plsVisibility: `${P}azure-pls-visibility`,
  plsAutoApproval: `${P}azure-pls-auto-approval`,
  recordedId: "plsctl.io/pls-id",
  recordedAlias: "plsctl.io/pls-alias",
  /**
   * Set by `expose` when the Service already asks for a PLS that does not exist (deleted by hand,
   * or the controller's last sync failed and nothing changed since): any annotation change is an
   * update the service controller syncs again (its `needsUpdate` compares annotations), so this
   * makes it recreate the PLS. Removed once the PLS is ready.
   */
  reconcileRequested: "plsctl.io/reconcile-requested",
} as const;

/** Every `azure-pls-*` annotation (the controller knows exactly these ten). */
export const PLS_ANNOTATIONS = [
  ANN.plsCreate,
  ANN.plsName,
  ANN.plsResourceGroup,
  ANN.plsNatSubnet,
  ANN.plsNatIpCount,
  ANN.plsNatIps,
  ANN.plsFqdns,
  ANN.plsProxyProtocol,
  ANN.plsVisibility,
  ANN.plsAutoApproval,
] as const;

/** Keys whose mere presence makes a Service claim PLS ownership on a shared frontend. */
export const OWNERSHIP_ANNOTATIONS: readonly string[] = PLS_ANNOTATIONS.filter(
  (k) => k !== ANN.plsCreate && k !== ANN.plsResourceGroup,
);

export type Annotations = Readonly<Record<string, string>>;

/** The controller's reading: EqualFold(TrimSpace(v), "true"). */
export const isTrue = (v: string | undefined): boolean => v?.trim().toLowerCase() === "true";

/** The controller's reading of the internal annotation: exactly "true", case-sensitive. */
export const isInternal = (a: Annotations): boolean => a[ANN.internal] === "true";

export const plsRequested = (a: Annotations): boolean => isTrue(a[ANN.plsCreate]);

/** Space-separated lists as the controller splits them (single spaces, empties dropped). */
export const splitList = (v: string | undefined): string[] =>
  (v ?? "")
    .split(" ")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** A merge-patch of annotations: a string sets a key, null removes it. */
export type AnnotationChanges = Record<string, string | null>;

/** Only the entries that would change something; empty when the Service already matches. */
export function diffAnnotations(current: Annotations, wanted: AnnotationChanges): AnnotationChanges {
  const changes: AnnotationChanges = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value === null ? key in current : current[key] !== value) changes[key] = value;
  }
  return changes;
}

export const hasChanges = (changes: AnnotationChanges): boolean => Object.keys(changes).length > 0;
