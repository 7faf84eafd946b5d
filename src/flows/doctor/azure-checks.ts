/**
 * Azure: the credential (which principal, which tenant, accepted by ARM), where the PLS goes
 * (subscription, node and PLS resource groups, the managed cluster), and the NAT subnet (exists,
 * its `privateLinkServiceNetworkPolicies`, which the controller turns off before each PLS write
 * when it may write the subnet: cloud-provider-azure pkg/provider/azure_privatelinkservice.go,
 * disablePLSNetworkPolicy).
 */
import { readSubscription, whoAmI } from "../../azure/identity.js";
import { listSubnets } from "../../azure/subnets.js";
import { type Finding, fail, pass, warn } from "../../domain/doctor.js";
import { ExitCode, isPlsctlError } from "../../domain/errors.js";
import { clusterVnet } from "../support/nat-preflight.js";
import type { Facts, NatSubnetFacts } from "./facts.js";
import { clusterRights, SUBNET_WRITE } from "./rbac-check.js";

/** The credential itself failing is this check's FAIL (elsewhere a 401/403 only means "could not look"). */
export async function azureCredential(f: Facts): Promise<Finding> {
  try {
    return await credential(f);
  } catch (err) {
    if (!isPlsctlError(err) || err.exitCode !== ExitCode.Auth) throw err;
    return fail(err.message, err.hint);
  }
}

async function credential(f: Facts): Promise<Finding> {
  const azure = await f.ctx.azure();
  const me = await whoAmI(azure);
  const sub = azure.subscription ?? (await f.dep("azure.location", f.located)).location.subscriptionId;
  const s = await readSubscription(azure, sub);
  const who = [
    `principal ${me.objectId ?? "(no object id in the token)"}`,
    me.appId ? `app ${me.appId}` : undefined,
    me.name ? `"${me.name}"` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  if (me.tenantId && s.tenantId && me.tenantId.toLowerCase() !== s.tenantId.toLowerCase()) {
    return fail(
      `${who} in tenant ${me.tenantId}, but subscription ${sub} belongs to tenant ${s.tenantId}.`,
      `Sign in to that tenant: az login --tenant ${s.tenantId} (or pass --tenant ${s.tenantId}).`,
    );
  }
  return pass(
    `${who} in tenant ${me.tenantId ?? "(unknown)"}; ARM accepts it for subscription ${s.displayName ?? sub} (${sub}).`,
  );
}

export async function azureLocation(f: Facts): Promise<Finding> {
  const { location, cluster } = await f.located();
  const where = `subscription ${location.subscriptionId}, node resource group ${location.nodeResourceGroup} (from ${location.source}), PLS resource group ${location.resourceGroup}`;
  if (!cluster) {
    return warn(
      `${where}; the AKS cluster itself was not found, so its identity cannot be checked.`,
      "Pass --cluster <name> --cluster-resource-group <rg> (and --subscription).",
    );
  }
  return pass(`${where}; AKS cluster ${cluster.name} in resource group ${cluster.resourceGroup}.`);
}

/** The NAT subnet: the named one (flag, annotation) or the load balancer's, in the cluster's VNet. */
export async function natSubnet(f: Facts): Promise<NatSubnetFacts> {
  const { azure, location } = await f.dep("azure.location", f.located);
  const vnet = await clusterVnet(f.ctx, azure, location);
  if (!vnet) {
    throw new Error(
      "cannot find the cluster's virtual network in Azure (pass --cluster <name> --cluster-resource-group <rg>)",
    );
  }
  const subnets = (await listSubnets(azure, vnet.vnetId)) ?? [];
  const wanted =
    (await f.natSubnetName()) ?? vnet.defaultSubnet ?? (subnets.length === 1 ? subnets[0]?.name : undefined);
  const subnet = subnets.find((s) => s.name.toLowerCase() === (wanted ?? "").toLowerCase());
  if (!subnet) {
    const names = subnets.map((s) => s.name).join(", ") || "none";
    throw new NatSubnetMissing(
      `Subnet ${wanted ?? "(the load balancer's)"} does not exist in virtual network ${vnet.vnetId.split("/").pop()} (its subnets: ${names}).`,
    );
  }
  return { subnet, vnetId: vnet.vnetId };
}

class NatSubnetMissing extends Error {}

export async function natSubnetCheck(f: Facts, facts: () => Promise<NatSubnetFacts>): Promise<Finding> {
  try {
    const { subnet } = await facts();
    return pass(
      `${subnet.name} (${subnet.prefixes.join(", ")}) in the cluster's virtual network: ${subnet.id}`,
    );
  } catch (err) {
    if (!(err instanceof NatSubnetMissing)) throw err;
    return fail(
      `${err.message} The controller takes the PLS NAT IPs from it.`,
      f.o.service
        ? `plsctl expose ${f.o.service} --nat-subnet <one of them>`
        : "Pass --nat-subnet <one of them>, as you will to expose.",
    );
  }
}

const ATTACHED_JOIN = /\/(networkSecurityGroups|routeTables|natGateways)\/join\/action$/i;

export async function natNetworkPolicies(f: Facts, facts: () => Promise<NatSubnetFacts>): Promise<Finding> {
  const { subnet } = await f.dep("nat.subnet", facts);
  const policies = subnet.plsNetworkPolicies ?? "Enabled";
  if (policies === "Disabled") return pass(`privateLinkServiceNetworkPolicies: Disabled on ${subnet.name}.`);
  const disable = `az network vnet subnet update --ids ${subnet.id} --disable-private-link-service-network-policies true`;
  const rights = await clusterRights(f, facts).catch(() => undefined);
  // The subnet write also needs join/action on the subnet's NSG, route table and NAT gateway.
  const blocksWrite = (action: string) => action === SUBNET_WRITE || ATTACHED_JOIN.test(action);
  const canWrite = rights?.kind === "evaluated" && !rights.missing.some((m) => blocksWrite(m.action));
  if (canWrite) {
    return pass(
      `privateLinkServiceNetworkPolicies: ${policies} on ${subnet.name}; the AKS controller disables it before creating the PLS (the cluster identity may write the subnet).`,
    );
  }
  if (rights?.kind === "evaluated") {
    return fail(
      `privateLinkServiceNetworkPolicies: ${policies} on ${subnet.name}, and the cluster identity may not write the subnet to disable it: Azure refuses the PLS (PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled).`,
      `${disable} (or grant the cluster identity subnet write rights: see rbac.cluster-identity)`,
    );
  }
  return warn(
    `privateLinkServiceNetworkPolicies: ${policies} on ${subnet.name}; the controller must disable it, and whether the cluster identity may is unknown (see rbac.cluster-identity).`,
    disable,
  );
}
