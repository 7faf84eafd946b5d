/**
 * `plsctl sandbox request --kind frontdoor|fabric|datafactory --pls <id>`: a connection request
 * as a Microsoft-managed requester makes it (src/sandbox/arm/managed-requests.ts), through the
 * running sandbox's admin endpoint — so a policy with those kinds can be tried and tested.
 */
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import type { ManagedRequest } from "../../sandbox/arm/managed-requests.js";
import { running, type StateDir } from "./index.js";

/** The `-o json` document (fields are added, never renamed). */
export interface ManagedRequestResult {
  kind: string;
  pls: string;
  name: string;
  privateEndpointId: string;
  status: string;
  description: string;
}

export async function sandboxManagedRequest(dir: StateDir, r: ManagedRequest): Promise<ManagedRequestResult> {
  const { managedRequestProblems } = await import("../../sandbox/arm/managed-requests.js");
  const problem = managedRequestProblems(r);
  if (problem) throw usageError(`sandbox request: ${problem}.`, "See plsctl sandbox request --help.");
  const rt = await running(dir);
  const { adminRequest, AdminRequestError } = await import("../../sandbox/arm/admin-client.js");
  const target = { stateDir: dir.path, url: rt.arm.url, caFile: rt.arm.caFile };
  let pec: {
    name: string;
    properties: {
      privateEndpoint: { id: string };
      privateLinkServiceConnectionState: { status: string; description: string };
    };
  };
  try {
    pec = (await adminRequest(target, "POST", "requests", r)) as typeof pec;
  } catch (err) {
    if (!(err instanceof AdminRequestError)) throw err;
    const notFound = /No Private Link Service/.test(err.message);
    throw new PlsctlError(`The sandbox did not take the request: ${err.message}`, {
      exitCode: notFound ? ExitCode.NotFound : ExitCode.Failed,
      code: notFound ? "PlsNotFound" : "SandboxUnreachable",
      hint: notFound
        ? `Pass the PLS's resource id (${dir.cli} status <service> prints it).`
        : `Check that it still runs (${dir.cli} sandbox status${dir.flag}).`,
      cause: err,
    });
  }
  const st = pec.properties.privateLinkServiceConnectionState;
  return {
    kind: r.kind,
    pls: r.pls,
    name: pec.name,
    privateEndpointId: pec.properties.privateEndpoint.id,
    status: st.status,
    description: st.description,
  };
}
