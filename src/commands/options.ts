/** Options that several commands take, declared once. */
import type { Command, OptionValues } from "@commander-js/extra-typings";

/**
 * `--cluster <name> --cluster-resource-group <rg>`: find the node resource group through Azure
 * (the managed cluster) instead of the nodes' providerID.
 */
export function withClusterOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .option(
      "--cluster <name>",
      "AKS cluster name, to find the node resource group via Azure instead of the nodes",
    )
    .option("--cluster-resource-group <rg>", "resource group of --cluster");
}

/** What the flags of withClusterOptions name, as the flows take it. */
export const clusterOf = (o: {
  cluster?: string | undefined;
  clusterResourceGroup?: string | undefined;
}) => ({
  cluster: o.cluster,
  clusterResourceGroup: o.clusterResourceGroup,
});

/** Which Private Link Services: `--pls`, `-A/--all-services`, `--all [--cluster-name]` (a Service is an argument). */
export function withPlsTargetOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return withClusterOptions(command)
    .option(
      "--pls <id|alias>",
      "the Private Link Service by resource id or alias, or a Key Vault, SQL server or Storage account by resource id (no Kubernetes needed)",
    )
    .option(
      "-A, --all-services",
      "every Service of the cluster (all namespaces) that has a Private Link Service",
    )
    .option(
      "--all",
      "every Private Link Service of --subscription that the AKS controller made (no Kubernetes needed)",
    )
    .option("--cluster-name <name>", "with --all: only the PLSs of this cluster (tag k8s-azure-cluster-name)")
    .option(
      "--subscriptions <ids>",
      "with --all: these subscriptions (comma-separated, or `all`: every one this identity reads), searched with one Azure Resource Graph query",
    );
}

/** What the flags of withPlsTargetOptions name, as the flows take it (flows/support/targets.ts `Which`). */
export const plsTargetOf = (o: {
  pls?: string | undefined;
  allServices?: true | undefined;
  all?: true | undefined;
  clusterName?: string | undefined;
  subscriptions?: string | undefined;
  cluster?: string | undefined;
  clusterResourceGroup?: string | undefined;
}) => ({
  pls: o.pls,
  allServices: o.allServices,
  all: o.all,
  clusterName: o.clusterName,
  subscriptions: o.subscriptions,
  cluster: o.cluster,
  clusterResourceGroup: o.clusterResourceGroup,
});

/**
 * Repeatable option values, in order (commander's parser for a repeatable flag). After a `--no-…`
 * of the same name (previous `false`), or with no default (undefined), the list starts anew.
 */
export const collect = (value: string, previous: string[] | false | undefined): string[] => [
  ...(Array.isArray(previous) ? previous : []),
  value,
];
