import { withClusterOptions } from "./options.js";
import type { RootCommand } from "./program.js";
import { contextFor, type Runtime } from "./runtime.js";

export function registerDoctor(program: RootCommand, runtime: Runtime): void {
  const declared = program
    .command("doctor")
    .summary("check what exposing a Service needs, each check PASS/WARN/FAIL with the fix")
    .description(
      "Check a Service and its cluster for what the AKS controller needs to put a Private Link Service in front " +
        "of it: Kubernetes access, the Service, the Azure credential, the NAT subnet, the cluster identity's " +
        "rights, room on the load balancer, the PLS name, visibility, proxy protocol, recent controller errors. " +
        "Without a Service: the preflight before a first expose. Reads only; exits 1 when a check fails.",
    )
    .argument("[service]", "name of the Service (in --namespace); omit for the preflight")
    .option("--nat-subnet <name>", "the NAT subnet expose will use (as expose --nat-subnet)")
    .option(
      "--pls-resource-group <rg>",
      "the PLS resource group expose will use (as expose --pls-resource-group)",
    )
    .option(
      "--cluster-identity <object-id>",
      "object id of the cluster's control-plane identity (needed for a service-principal cluster, which shows only its app id)",
    );
  withClusterOptions(declared)
    .addHelpText(
      "after",
      `
Exits 0 when no check fails (warnings allowed), 1 otherwise. Check ids are stable (README).

Examples:
  plsctl doctor sample-app
  plsctl doctor --nat-subnet pls-nat-subnet
  plsctl doctor web -n shop -o json | jq '.checks[] | select(.status != "pass")'`,
    )
    .action(async (service, opts, command) => {
      const ctx = await contextFor(runtime, command);
      const [{ runDoctor }, { renderDoctor }, { writeResult }, { doctorFailed }, { ExitCode }] =
        await Promise.all([
          import("../flows/doctor/index.js"),
          import("../output/doctor.js"),
          import("../output/result.js"),
          import("../domain/doctor.js"),
          import("../domain/errors.js"),
        ]);
      const result = await runDoctor(ctx, {
        service,
        natSubnet: opts.natSubnet,
        plsResourceGroup: opts.plsResourceGroup,
        clusterIdentity: opts.clusterIdentity,
        cluster: opts.cluster,
        clusterResourceGroup: opts.clusterResourceGroup,
      });
      await writeResult(ctx, result, renderDoctor);
      if (doctorFailed(result)) runtime.exitCode = ExitCode.Failed;
    });
}
