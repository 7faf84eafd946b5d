/**
 * The stable api-versions ARM accepts per resource-type family (not only the ones our SDKs send:
 * the Azure CLI sends 2021-05-01 / 2022-01-01 for these operations). An unknown version gets
 * ARM's `InvalidApiVersionParameter` listing the supported ones (newest first), as ARM does.
 */
import { ArmError } from "./errors.js";

const NETWORK_ALL = [
  "2015-06-15",
  "2016-03-30",
  "2016-06-01",
  "2016-07-01",
  "2016-08-01",
  "2016-09-01",
  "2016-10-01",
  "2016-11-01",
  "2016-12-01",
  "2017-03-01",
  "2017-04-01",
  "2017-06-01",
  "2017-08-01",
  "2017-09-01",
  "2017-10-01",
  "2017-11-01",
  "2018-01-01",
  "2018-02-01",
  "2018-03-01",
  "2018-04-01",
  "2018-06-01",
  "2018-07-01",
  "2018-08-01",
  "2018-10-01",
  "2018-11-01",
  "2018-12-01",
  "2019-02-01",
  "2019-04-01",
  "2019-06-01",
  "2019-07-01",
  "2019-08-01",
  "2019-09-01",
  "2019-11-01",
  "2019-12-01",
  "2020-03-01",
  "2020-04-01",
  "2020-05-01",
  "2020-06-01",
  "2020-07-01",
  "2020-08-01",
  "2020-11-01",
  "2021-02-01",
  "2021-03-01",
  "2021-05-01",
  "2021-08-01",
  "2022-01-01",
  "2022-05-01",
  "2022-07-01",
  "2022-09-01",
  "2022-11-01",
  "2023-02-01",
  "2023-04-01",
  "2023-05-01",
  "2023-06-01",
  "2023-09-01",
  "2023-11-01",
  "2024-01-01",
  "2024-03-01",
  "2024-05-01",
  "2024-07-01",
  "2024-10-01",
  "2025-01-01",
  "2025-03-01",
  "2025-05-01",
  "2025-07-01",
  "2026-01-01",
];
const since = (list: string[], first: string) => list.filter((v) => v >= first);

const PRIVATE_DNS = ["2018-09-01", "2020-01-01", "2020-06-01", "2024-06-01"];
const AKS = [
  "2017-08-31",
  "2018-03-31",
  "2019-02-01",
  "2019-04-01",
  "2019-06-01",
  "2019-08-01",
  "2019-10-01",
  "2019-11-01",
  "2020-01-01",
  "2020-02-01",
  "2020-03-01",
  "2020-04-01",
  "2020-06-01",
  "2020-07-01",
  "2020-09-01",
  "2020-11-01",
  "2020-12-01",
  "2021-02-01",
  "2021-03-01",
  "2021-05-01",
  "2021-07-01",
  "2021-08-01",
  "2021-09-01",
  "2021-10-01",
  "2022-01-01",
  "2022-02-01",
  "2022-03-01",
  "2022-04-01",
  "2022-06-01",
  "2022-07-01",
  "2022-08-01",
  "2022-09-01",
  "2022-11-01",
  "2023-01-01",
  "2023-02-01",
  "2023-03-01",
  "2023-04-01",
  "2023-05-01",
  "2023-06-01",
  "2023-07-01",
  "2023-08-01",
  "2023-09-01",
  "2023-10-01",
  "2023-11-01",
  "2024-01-01",
  "2024-02-01",
  "2024-05-01",
  "2024-07-01",
  "2024-08-01",
  "2024-09-01",
  "2024-10-01",
  "2025-01-01",
  "2025-02-01",
  "2025-03-01",
  "2025-04-01",
  "2025-05-01",
  "2025-06-01",
  "2025-07-01",
  "2025-08-01",
  "2025-09-01",
  "2025-10-01",
  "2026-01-01",
  "2026-02-01",
  "2026-03-01",
  "2026-04-01",
  "2026-06-01",
];
const RESOURCE_GROUPS = [
  "2014-04-01",
  "2015-01-01",
  "2015-11-01",
  "2016-02-01",
  "2016-07-01",
  "2016-09-01",
  "2017-05-10",
  "2018-02-01",
  "2018-05-01",
  "2019-03-01",
  "2019-05-01",
  "2019-05-10",
  "2019-07-01",
  "2019-08-01",
  "2019-10-01",
  "2020-06-01",
  "2020-08-01",
  "2020-10-01",
  "2021-01-01",
  "2021-04-01",
  "2022-09-01",
  "2023-07-01",
  "2024-03-01",
  "2024-07-01",
  "2024-11-01",
  "2025-03-01",
  "2025-04-01",
];
const SUBSCRIPTIONS = [
  "2014-04-01",
  "2015-01-01",
  "2015-11-01",
  "2016-06-01",
  "2018-06-01",
  "2019-06-01",
  "2019-11-01",
  "2020-01-01",
  "2021-01-01",
  "2022-01-01",
  "2022-09-01",
  "2022-12-01",
  "2024-11-01",
  "2025-04-01",
];

/** Microsoft.KeyVault's stable versions (@azure/arm-keyvault sends 2024-11-01). */
const KEY_VAULT = [
  "2015-06-01",
  "2016-10-01",
  "2018-02-14",
  "2019-09-01",
  "2021-10-01",
  "2022-07-01",
  "2023-02-01",
  "2023-07-01",
  "2024-11-01",
];
/** Microsoft.Sql's stable versions (@azure/arm-sql sends 2021-11-01; 2023-08-01 is the newest). */
const SQL = ["2014-04-01", "2021-11-01", "2023-08-01"];
/** Microsoft.Storage's stable versions (@azure/arm-storage sends 2023-05-01 and later). */
const STORAGE = [
  "2019-06-01",
  "2021-09-01",
  "2022-09-01",
  "2023-01-01",
  "2023-04-01",
  "2023-05-01",
  "2024-01-01",
  "2025-01-01",
];

export const API_VERSIONS = {
  network: NETWORK_ALL,
  privateLink: since(NETWORK_ALL, "2019-04-01"),
  dnsZoneGroups: since(NETWORK_ALL, "2020-03-01"),
  privateDns: PRIVATE_DNS,
  aks: AKS,
  resourceGroups: RESOURCE_GROUPS,
  subscriptions: SUBSCRIPTIONS,
  keyVault: KEY_VAULT,
  sql: SQL,
  storage: STORAGE,
  /** Microsoft.Authorization role assignments and definitions (stable versions). */
  authorization: ["2015-07-01", "2022-04-01"],
  /** Microsoft.ResourceGraph/resources (@azure/arm-resourcegraph 5.0.0 sends 2024-04-01). */
  resourceGraph: ["2019-04-01", "2020-04-01-preview", "2021-03-01", "2022-10-01", "2024-04-01"],
  /** Operation status/result URLs carry whatever version the operation was started with. */
  any: [] as string[],
} as const;

export type ApiFamily = keyof typeof API_VERSIONS;

const sets = new Map<ApiFamily, Set<string>>(
  (Object.keys(API_VERSIONS) as ApiFamily[]).map((k) => [k, new Set(API_VERSIONS[k])]),
);

export function checkApiVersion(family: ApiFamily, version: string | null): string {
  if (!version) {
    throw new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (family === "any") return version;
  if (!sets.get(family)?.has(version)) {
    const list = [...API_VERSIONS[family]].reverse().join(",");
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${list}'. The supported locations are 'westeurope,northeurope,eastus,eastus2,westus,westus2,westus3,centralus,uksouth,swedencentral,germanywestcentral,francecentral'.`,
    );
  }
  return version;
}
