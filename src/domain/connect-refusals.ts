/**
 * `connect`: Azure's refusals of the endpoint's PUT that plsctl words itself — a target not
 * visible (or an alias too new to resolve yet), a group id the PaaS resource does not take — and
 * how to recognise them from the error's code and HTTP status, never from its message text.
 */
import type { ConnectTarget } from "./connect.js";
import { ExitCode, PlsctlError, timeoutError } from "./errors.js";

/**
 * How long a new PLS's alias may stay unresolvable before plsctl reports it (Azure/azure-rest-api-specs#20289:
 * a PLS just created is not found by its alias for a while); `--timeout` caps it.
 */
export const ALIAS_RETRY_MS = 120_000;

/**
 * `--timeout` ended the alias retries before ALIAS_RETRY_MS: the alias may simply be too new to
 * resolve yet, so this is a timeout (exit 5, re-run), not "not visible".
 */
export function aliasStillUnknown(alias: string, sub: string, waitedMs: number): PlsctlError {
  return timeoutError(
    `Private Link Service alias ${alias} was still not visible to subscription ${sub} after ${Math.round(waitedMs / 1000)} s (--timeout). Nothing was created.`,
    `A new Private Link Service's alias can take a few minutes to resolve in Azure: re-run this command, with a --timeout of ${ALIAS_RETRY_MS / 60_000}m or more. If it is still not visible then, ask the provider to make it visible to your subscription: plsctl expose <service> --visibility ${sub}`,
  );
}

export function notVisible(target: ConnectTarget, sub: string, retriedMs: number): PlsctlError {
  const what = target.kind === "alias" ? `Private Link Service alias ${target.ref}` : target.ref;
  const retried =
    retriedMs > 0
      ? ` (retried for ${Math.round(retriedMs / 1000)} s, longer than a new alias takes to resolve)`
      : "";
  return new PlsctlError(
    `${what} is not visible to subscription ${sub}, or does not exist: Azure does not say which${retried}. Nothing was created.`,
    {
      exitCode: ExitCode.NotFound,
      code: "PlsNotVisible",
      hint:
        target.kind === "paas"
          ? "Check the resource id and that its owner allows private endpoints from your subscription."
          : `Check the ${target.kind === "alias" ? "alias" : "id"} the provider sent, and ask them to make the Private Link Service visible to your subscription: plsctl expose <service> --visibility ${sub} (add --auto-approve ${sub} to skip manual approval). Then re-run this command.`,
    },
  );
}

/**
 * The codes ARM answers (HTTP 400) to a private endpoint PUT whose group id the PaaS resource does
 * not take. The Network RP hands the group id to the resource's own provider and passes its refusal
 * on: Storage answers `InvalidValuesForRequestParameters` ("Call to Microsoft.Storage/storageAccounts
 * failed. Error message: Values for request parameters are invalid: GroupId: …", Azure/azure-cli#16750);
 * more than one group id for a first-party resource is `OnlyOneGroupIdPermitted`
 * (DFE-Digital/terraform-azurerm-container-apps-hosting#352); none at all is
 * `MissingParameterOnPrivateLinkServiceConnection` (hashicorp/terraform-provider-azurerm#9058). No
 * public source gives Key Vault's or SQL's own code; the sandbox answers Storage's for all three.
 */
export const GROUP_REFUSED_CODES: readonly string[] = [
  "InvalidValuesForRequestParameters",
  "OnlyOneGroupIdPermitted",
  "MissingParameterOnPrivateLinkServiceConnection",
];

/** The HTTP status of the ARM answer behind a plsctl error (its cause, the SDK's RestError). */
const statusOf = (err: PlsctlError): unknown =>
  (err.cause as { statusCode?: unknown } | undefined)?.statusCode;

/** Azure refused the group id: a 400 with one of GROUP_REFUSED_CODES. */
export const isGroupRefused = (err: unknown): boolean =>
  err instanceof PlsctlError && statusOf(err) === 400 && GROUP_REFUSED_CODES.includes(err.code ?? "");

export function groupRefused(target: Extract<ConnectTarget, { kind: "paas" }>, err: unknown): PlsctlError {
  const why = err instanceof Error ? err.message.replace(/^Could not [^:]*: /, "") : String(err);
  return new PlsctlError(
    `Azure refused --group-id ${target.groupId} for ${target.name}: ${why} Nothing was created.`,
    {
      exitCode: ExitCode.Usage,
      code: "GroupIdNotValid",
      cause: err,
      hint: `Use a group id ${target.name} offers (its owner lists them: az network private-link-resource list --id ${target.ref}), then re-run.`,
    },
  );
}
