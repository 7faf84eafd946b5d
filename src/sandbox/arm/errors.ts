/** ARM error replies: `{"error":{"code","message"}}` with the real service's codes. */
import type { Json } from "./types.js";

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: Json[],
  ) {
    super(message);
  }
  toBody(): Json {
    const error: Json = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    return { error };
  }
}

export function armError(status: number, code: string, message: string, headers?: Record<string, string>) {
  return new ArmError(status, code, message, headers);
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message, {}, []);
}

/** ARM's front-door 404 for a missing top-level resource. */
export function resourceNotFound(type: string, name: string, rg: string): ArmError {
  return new ArmError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** The resource provider's 404 for a missing child resource. */
export function childNotFound(what: string, name: string): ArmError {
  return new ArmError(404, "NotFound", `Resource ${what} '${name}' not found.`);
}

export function resourceGroupNotFound(rg: string): ArmError {
  return new ArmError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`, {
    "x-ms-failure-cause": "gateway",
  });
}

export function invalidRequestFormat(): ArmError {
  return badRequest("InvalidRequestFormat", "Cannot parse the request.");
}

export function invalidResourceReference(refId: string, byId: string): ArmError {
  return badRequest(
    "InvalidResourceReference",
    `Resource ${refId} referenced by resource ${byId} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
  );
}
