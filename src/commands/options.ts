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
