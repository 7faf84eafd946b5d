/**
 * `plsctl doctor [service]`: independent checks, each PASS/WARN/FAIL with one line of why and the
 * fix. A check that throws becomes FAIL with its message (WARN when plsctl may not look: a 403, or
 * something another check could not get), never ends the run. Without a Service: the preflight
 * subset before a first `expose`.
 */
import type { Context } from "../../context.js";
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type DoctorResult,
  type Finding,
  PREFLIGHT_IDS,
} from "../../domain/doctor.js";
import { ExitCode, isAbortError, isPlsctlError, usageError } from "../../domain/errors.js";
import { requireResourceGroup, requireSubnetName } from "../../domain/names.js";
import {
  azureCredential,
  azureLocation,
  natNetworkPolicies,
  natSubnet,
  natSubnetCheck,
} from "./azure-checks.js";
import { type DoctorOptions, type Facts, makeFacts, NotChecked } from "./facts.js";
import { nodeGroupLockdown } from "./lockdown-check.js";
import { plsCount, plsName, plsVisibility, proxyProtocol, syncEvents } from "./pls-checks.js";
import { rbacClusterIdentity } from "./rbac-check.js";
import {
  kubeAccess,
  serviceAnnotations,
  serviceExists,
  serviceInternal,
  serviceIpv4,
  serviceType,
} from "./service-checks.js";
import { aggregateUnreachable, type Unreachable, unreachableOf } from "./unreachable.js";

export type { DoctorOptions } from "./facts.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TITLES: Record<CheckId, string> = {
  "kube.access": "Kubernetes API reachable and authorised",
  "service.exists": "Service exists",
  "service.type": "Service is type LoadBalancer",
  "service.internal": "Service is internal",
  "service.ipv4": "Service is IPv4",
  "service.annotations": "PLS annotations valid",
  "azure.credential": "Azure credential works",
  "azure.location": "Subscription and resource groups resolvable",
  "azure.node-rg-lockdown": "PLS resource group writable (node resource group lockdown)",
  "nat.subnet": "NAT subnet exists",
  "nat.network-policies": "NAT subnet network policies",
  "rbac.cluster-identity": "Cluster identity may manage the PLS",
  "pls.count": "Room for a PLS on the load balancer",
  "pls.name": "PLS name free or this Service's",
  "pls.visibility": "Visibility and auto-approval coherent",
  "service.proxy-protocol": "Proxy protocol and health probes",
  "events.sync": "No recent controller failure",
};

function checks(f: Facts): Record<CheckId, () => Promise<Finding>> {
  let nat: ReturnType<typeof natSubnet> | undefined;
  const natFacts = () => {
    nat ??= natSubnet(f);
    return nat;
  };
  return {
    "kube.access": () => kubeAccess(f),
    "service.exists": () => serviceExists(f),
    "service.type": () => serviceType(f),
    "service.internal": () => serviceInternal(f),
    "service.ipv4": () => serviceIpv4(f),
    "service.annotations": () => serviceAnnotations(f),
    "azure.credential": () => azureCredential(f),
    "azure.location": () => azureLocation(f),
    "azure.node-rg-lockdown": () => nodeGroupLockdown(f),
    "nat.subnet": () => natSubnetCheck(f, natFacts),
    "nat.network-policies": () => natNetworkPolicies(f, natFacts),
    "rbac.cluster-identity": () => rbacClusterIdentity(f, natFacts),
    "pls.count": () => plsCount(f),
    "pls.name": () => plsName(f),
    "pls.visibility": () => plsVisibility(f),
    "service.proxy-protocol": () => proxyProtocol(f),
    "events.sync": () => syncEvents(f),
  };
}

interface Ran {
  result: CheckResult;
  /** Set when the check could not reach its API (itself, or the check it depends on). */
  unreachable: Unreachable | undefined;
}

async function runOne(id: CheckId, check: () => Promise<Finding>): Promise<Ran> {
  try {
    return { result: await checkOne(id, check), unreachable: undefined };
  } catch (err) {
    if (isAbortError(err)) throw err;
    return { result: fromError(id, err), unreachable: unreachableOf(err) };
  }
}

async function checkOne(id: CheckId, check: () => Promise<Finding>): Promise<CheckResult> {
  const r = await check();
  return { id, title: TITLES[id], status: r.status, detail: r.detail, fix: r.fix ?? null };
}

function fromError(id: CheckId, err: unknown): CheckResult {
  const base = { id, title: TITLES[id] };
  if (err instanceof NotChecked) return { ...base, status: "warn", detail: err.message, fix: err.fix };
  const message = err instanceof Error ? err.message : String(err);
  if (isPlsctlError(err)) {
    // Not allowed to look is not a failure of the thing looked at: say what to grant.
    const status = err.exitCode === ExitCode.Auth ? "warn" : "fail";
    const detail = status === "warn" ? `Could not check: ${message}` : message;
    return { ...base, status, detail, fix: err.hint ?? null };
  }
  return { ...base, status: "fail", detail: `Could not check: ${message}`, fix: null };
}

export async function runDoctor(ctx: Context, o: DoctorOptions): Promise<DoctorResult> {
  // A malformed flag is the user's input, not a finding: refused (exit 2) before any request, as expose does.
  if (o.natSubnet !== undefined) requireSubnetName(o.natSubnet.trim(), "--nat-subnet");
  if (o.plsResourceGroup !== undefined)
    requireResourceGroup(o.plsResourceGroup.trim(), "--pls-resource-group");
  if (o.clusterResourceGroup !== undefined)
    requireResourceGroup(o.clusterResourceGroup.trim(), "--cluster-resource-group");
  if (o.clusterIdentity !== undefined && !GUID.test(o.clusterIdentity.trim()))
    throw usageError(
      `--cluster-identity ${JSON.stringify(o.clusterIdentity)} is not an object id (a GUID).`,
      "az ad sp show --id <app id> --query id -o tsv prints a service principal's object id.",
    );
  const f = makeFacts(ctx, o);
  const all = checks(f);
  const ids = o.service ? CHECK_IDS : PREFLIGHT_IDS;
  const ran: Ran[] = [];
  for (const id of ids) ran.push(await runOne(id, all[id]));
  const kube = await f.kube().catch(() => undefined);
  const service = o.service ? `${kube?.namespace ?? "default"}/${o.service}` : null;
  const down = aggregateUnreachable(ctx, kube?.server, ran);
  if (down) return { service, cause: down.cause, checks: down.checks };
  return { service, cause: null, checks: ran.map((r) => r.result) };
}
