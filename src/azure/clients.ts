/**
 * The @azure/* SDK clients, one per subscription, all pointed at the same ARM endpoint.
 * Every Azure command needs the network client; the AKS and private DNS clients are imported on
 * first use only (each costs 5–15 MB of memory that a `status` or `expose` does not need).
 */
import { rootCertificates } from "node:tls";
import type { ContainerServiceClient } from "@azure/arm-containerservice";
import { NetworkManagementClient } from "@azure/arm-network";
import type { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import type { ResourceGraphClient } from "@azure/arm-resourcegraph";
import { formDataPolicyName } from "@azure/core-rest-pipeline";
import { USER_AGENT } from "../version.js";
import type { ArmConnection } from "./credentials.js";
import { type ArmRetryOptions, armRetryClientOptions } from "./retry.js";

/**
 * The network client's operation groups plsctl uses. The bundle's NetworkManagementClient creates
 * only these (scripts/build.mjs, arm-network-groups): the package's own constructor creates all of
 * its ~200, which keeps every operation and model of the package in the bundle (~1 MB, ~25 ms at
 * the start of every Azure command). NetworkClient lets src/azure use no other: add a group here
 * before using it.
 */
export const NETWORK_GROUPS = [
  "privateLinkServices",
  "privateEndpoints",
  "loadBalancers",
  "subnets",
  "virtualNetworks",
  "networkInterfaces",
  "privateDnsZoneGroups",
] as const;
export type NetworkClient = Pick<NetworkManagementClient, (typeof NETWORK_GROUPS)[number] | "pipeline">;

export interface SdkClients {
  network(subscriptionId: string): NetworkClient;
  aks(subscriptionId: string): Promise<ContainerServiceClient>;
  /** Private DNS zones, their VNet links and record sets (connect, disconnect). */
  dns(subscriptionId: string): Promise<PrivateDnsManagementClient>;
  /** Azure Resource Graph (fleet discovery: `--all --subscriptions`); tenant-level, one client. */
  graph(): Promise<ResourceGraphClient>;
  /** How many requests were retried because ARM throttled (429/503) or the resource was busy. */
  throttled(): number;
}

/**
 * Takes out the pipeline's form-data policy: ARM requests are JSON, never forms, and the policy's
 * `typeof FormData` on every request makes Node load its own copy of undici (the global FormData
 * is a lazy getter): ~30 ms and ~4 MB at the first Azure request, for nothing.
 */
function withoutFormData<T extends { pipeline: { removePolicy(o: { name: string }): unknown } }>(
  client: T,
): T {
  client.pipeline.removePolicy({ name: formDataPolicyName });
  return client;
}

export function createSdkClients(conn: ArmConnection, retry: ArmRetryOptions): SdkClients {
  let throttled = 0;
  const onRetry: ArmRetryOptions["onRetry"] = (reason) => {
    if (reason !== "server") throttled += 1;
    retry.onRetry?.(reason);
  };
  const options = {
    // plsctl's retries (retry.ts) in place of the SDK's: Retry-After, a time budget, no retry of a refused connection.
    ...armRetryClientOptions({ ...retry, onRetry }),
    endpoint: conn.endpoint,
    credentials: { scopes: [conn.scope] },
    userAgentOptions: { userAgentPrefix: USER_AGENT },
    // PLSCTL_CA_FILE adds a CA for this endpoint only; the system roots stay trusted.
    ...(conn.ca ? { tlsOptions: { ca: [...rootCertificates, conn.ca].join("\n") } } : {}),
  };
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    network: (sub) =>
      memo(`net:${sub}`, () => withoutFormData(new NetworkManagementClient(conn.credential, sub, options))),
    aks: (sub) =>
      memo(`aks:${sub}`, async () => {
        const { ContainerServiceClient } = await import("@azure/arm-containerservice");
        return withoutFormData(new ContainerServiceClient(conn.credential, sub, options));
      }),
    dns: (sub) =>
      memo(`dns:${sub}`, async () => {
        const { PrivateDnsManagementClient } = await import("@azure/arm-privatedns");
        return withoutFormData(new PrivateDnsManagementClient(conn.credential, sub, options));
      }),
    graph: () =>
      memo("graph", async () => {
        const { ResourceGraphClient } = await import("@azure/arm-resourcegraph");
        return withoutFormData(new ResourceGraphClient(conn.credential, options));
      }),
    throttled: () => throttled,
  };
}
