/**
 * The one Azure Resource Graph query plsctl sends to find a fleet's Private Link Services with
 * their connections (`approve/connections --all --subscriptions …`): the AKS-made PLSs (owner
 * tag), optionally of one cluster (cluster-name tag), whole — `properties` carries
 * `privateEndpointConnections`, so no list per PLS follows. The sandbox answers exactly this text
 * (src/sandbox/arm/handlers/resource-graph.ts) and refuses any other.
 * KQL: learn.microsoft.com/azure/governance/resource-graph/concepts/query-language.
 */
import { CLUSTER_TAG, OWNER_TAG } from "./pls.js";

const HEAD = `resources
| where type =~ 'microsoft.network/privatelinkservices'
| where isnotempty(tags['${OWNER_TAG}'])`;
const TAIL = `| project id, name, location, tags, properties
| order by id asc`;

/** A cluster name as it may stand in the query: what AKS accepts in a tag value, no quotes. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9._-]{1,63}$/;

export function fleetQuery(clusterName?: string): string {
  if (clusterName === undefined) return `${HEAD}\n${TAIL}`;
  if (!CLUSTER_NAME_PATTERN.test(clusterName)) throw new Error(`not a cluster name: ${clusterName}`);
  return `${HEAD}\n| where tags['${CLUSTER_TAG}'] =~ '${clusterName}'\n${TAIL}`;
}

/** The cluster name of a query text fleetQuery wrote (null: none), or undefined when it is not one. */
export function parseFleetQuery(text: string): { clusterName: string | null } | undefined {
  if (text === fleetQuery()) return { clusterName: null };
  const m = /\| where tags\['k8s-azure-cluster-name'\] =~ '([^']*)'\n/.exec(text);
  const name = m?.[1];
  if (name !== undefined && CLUSTER_NAME_PATTERN.test(name) && text === fleetQuery(name))
    return { clusterName: name };
  return undefined;
}

/** `hh:mm:ss` (x-ms-user-quota-resets-after) in milliseconds; undefined when not that. */
export function parseQuotaReset(v: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v ?? "");
  if (!m) return undefined;
  const frac = m[4] ? Number(`0.${m[4]}`) : 0;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]) + frac) * 1000;
}
