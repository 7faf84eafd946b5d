/** Real SDK clients against a test sandbox, acting as one of its identities (for test set-up). */
import { NetworkManagementClient } from "@azure/arm-network";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TestSandbox } from "../sandbox/helpers/sandbox.js";

export function networkAs(sb: TestSandbox, identity: string): NetworkManagementClient {
  const token = sb.arm.tokens[identity];
  const who = sb.world.identities.find((i) => i.name === identity);
  if (!token || !who) throw new Error(`no identity ${identity}`);
  return new NetworkManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    who.defaultSubscriptionId,
    { endpoint: sb.arm.url, tlsOptions: { ca: sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}

/** An Azure Resource Graph client acting as `identity`. */
export function graphAs(sb: TestSandbox, identity: string): ResourceGraphClient {
  const token = sb.arm.tokens[identity];
  if (!token) throw new Error(`no identity ${identity}`);
  return new ResourceGraphClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    { endpoint: sb.arm.url, tlsOptions: { ca: sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}

/** Subscription and client of the partner identity. */
function partnerOf(sb: TestSandbox): { sub: string; net: NetworkManagementClient } {
  const partner = sb.world.identities.find((i) => i.name === "partner");
  if (!partner) throw new Error("no partner identity");
  return { sub: partner.defaultSubscriptionId, net: networkAs(sb, "partner") };
}

/** One private endpoint of the partner in spoke01/pe-subnet, asking `plsIdOrAlias` for a connection (manual approval). */
async function requestConnection(
  sb: TestSandbox,
  name: string,
  plsIdOrAlias: string,
  requestMessage: string,
): Promise<void> {
  const { sub, net } = partnerOf(sb);
  await net.privateEndpoints.createOrUpdate(
    "rg-partner",
    name,
    {
      location: "westeurope",
      subnet: {
        id: `/subscriptions/${sub}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`,
      },
      manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: plsIdOrAlias, requestMessage }],
    },
    { updateIntervalInMs: 10 },
  );
}

/** The partner asks for a connection to `plsIdOrAlias` from spoke01/pe-subnet (manual approval). */
export const partnerEndpoint = (sb: TestSandbox, name: string, plsIdOrAlias: string): Promise<void> =>
  requestConnection(sb, name, plsIdOrAlias, "Fabrikam, ticket 42");

/** Sums of write operations (anything that is not a read or a poll) per identity. */
export function armWrites(sb: TestSandbox, identity: string): number {
  const ops = sb.arm.counters().byIdentity[identity]?.byOperation ?? {};
  return Object.entries(ops)
    .filter(
      ([op]) =>
        !/_(Get|List\w*|CheckExistence|CheckPrivateLinkServiceVisibility\w*)$|^Operations_Poll$/.test(op),
    )
    .reduce((sum, [, n]) => sum + n, 0);
}

export function armReads(sb: TestSandbox, identity: string): number {
  const ops = sb.arm.counters().byIdentity[identity]?.byOperation ?? {};
  return Object.entries(ops)
    .filter(([op]) => /_(Get|List\w*)$/.test(op))
    .reduce((sum, [, n]) => sum + n, 0);
}

export function kubeWrites(sb: TestSandbox): number {
  const v = sb.kube.counters().byVerb;
  return (v.create ?? 0) + (v.update ?? 0) + (v.patch ?? 0) + (v.delete ?? 0) + (v.deletecollection ?? 0);
}

/**
 * The partner asks for `n` connections to `plsIdOrAlias` (endpoints `<prefix>-1` … `<prefix>-n`,
 * request message `message`), `concurrency` at a time, through the real SDK (each a PUT of a
 * private endpoint). Returns the endpoint names.
 */
export async function partnerEndpoints(
  sb: TestSandbox,
  plsIdOrAlias: string,
  n: number,
  o: { prefix?: string; message?: string; concurrency?: number } = {},
): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${o.prefix ?? "pe"}-${i + 1}`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      await requestConnection(sb, name, plsIdOrAlias, o.message ?? "Fabrikam, ticket 42");
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  return names;
}
