/**
 * The root program with the options every command honours. Their types come from this
 * declaration (`@commander-js/extra-typings`): `GlobalOptions` is what `opts()` of the root
 * returns, and every command registered on a `RootCommand` sees them in `optsWithGlobals()`.
 */
import { Command, Option } from "@commander-js/extra-typings";
import { CLOUD_NAMES } from "../domain/cloud.js";
import { OUTPUT_FORMATS } from "../output/format.js";
import { VERSION } from "../version.js";

export function rootProgram() {
  return new Command("plsctl")
    .description(
      "Make an AKS application reachable privately from partners' networks through Azure Private Link: " +
        "expose, share, approve, connect, resolve, restrict, verify.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("--kubeconfig <path>", "kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "kubeconfig context to use")
    .option("-n, --namespace <namespace>", "namespace (default: the context's namespace, else default)")
    .option("--subscription <id>", "Azure subscription id (default: AZURE_SUBSCRIPTION_ID)")
    .option("--tenant <id>", "Microsoft Entra tenant id (default: AZURE_TENANT_ID)")
    .addOption(
      new Option("--cloud <name>", "Azure cloud").choices(CLOUD_NAMES).default("AzureCloud" as const),
    )
    .addOption(
      new Option("-o, --output <format>", "output format").choices(OUTPUT_FORMATS).default("table" as const),
    )
    .option("--no-color", "disable colours (also NO_COLOR)")
    .option("--verbose", "print debug details and stack traces (never secrets)")
    .option("-q, --quiet", "print only results and errors");
}

/** The program subcommands are registered on. */
export type RootCommand = ReturnType<typeof rootProgram>;

/** The global options as parsed: inferred from the declaration above, never written by hand. */
export type GlobalOptions = ReturnType<RootCommand["opts"]>;
