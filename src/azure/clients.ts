/** The @azure/* SDK clients, one per subscription, all pointed at the same ARM endpoint. */
import { rootCertificates } from "node:tls";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { NetworkManagementClient } from "@azure/arm-network";
import { USER_AGENT } from "../version.js";
import type { ArmConnection } from "./credentials.js";

export interface SdkClients {
  network(subscriptionId: string): NetworkManagementClient;
  aks(subscriptionId: string): ContainerServiceClient;
}

export function createSdkClients(conn: ArmConnection): SdkClients {
  const options = {
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
    network: (sub) => memo(`net:${sub}`, () => new NetworkManagementClient(conn.credential, sub, options)),
    aks: (sub) => memo(`aks:${sub}`, () => new ContainerServiceClient(conn.credential, sub, options)),
  };
}
