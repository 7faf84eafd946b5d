/**
 * What `--pls` accepts: a Private Link Service's resource id, or its alias — the two things
 * `plsctl expose` and `status` print for partners. Parsing only; finding it is flows/support/resolve-pls.ts.
 */
import { usageError } from "./errors.js";
import { isGuid, plsNameProblem } from "./names.js";
import { parseResourceId } from "./resource-id.js";

export type PlsRef =
  | { kind: "id"; id: string; subscriptionId: string; resourceGroup: string; name: string }
  | { kind: "alias"; alias: string; name: string; region: string };

const ALIAS =
  /^([A-Za-z0-9][\w.-]*)\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z0-9]+)\.azure\.privatelinkservice$/i;

const FORMS =
  "Give the PLS's resource id (/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/privateLinkServices/<name>) " +
  "or its alias (<name>.<guid>.<region>.azure.privatelinkservice), as `plsctl expose` or `plsctl status` print them.";

export function parsePlsRef(raw: string, flag = "--pls"): PlsRef {
  const value = raw.trim();
  if (value === "") throw usageError(`${flag} is empty.`, FORMS);
  if (value.startsWith("/")) {
    const id = parseResourceId(value);
    const isPls =
      id !== undefined &&
      id.provider.toLowerCase() === "microsoft.network" &&
      id.path.length === 2 &&
      id.path[0]?.toLowerCase() === "privatelinkservices";
    if (!isPls) {
      throw usageError(
        `${flag} ${JSON.stringify(value)} is not the resource id of a Private Link Service.`,
        FORMS,
      );
    }
    if (!isGuid(id.subscriptionId)) {
      throw usageError(
        `${flag} ${JSON.stringify(value)}: its subscription ${JSON.stringify(id.subscriptionId)} is not a subscription id (a GUID).`,
        FORMS,
      );
    }
    const nameProblem = plsNameProblem(id.name);
    if (nameProblem) {
      throw usageError(
        `${flag} ${JSON.stringify(value)}: ${JSON.stringify(id.name)} is not a valid Private Link Service name: ${nameProblem}.`,
        FORMS,
      );
    }
    return {
      kind: "id",
      id: value,
      subscriptionId: id.subscriptionId,
      resourceGroup: id.resourceGroup,
      name: id.name,
    };
  }
  const alias = ALIAS.exec(value);
  if (!alias) {
    throw usageError(
      `${flag} ${JSON.stringify(value)} is neither a Private Link Service resource id nor an alias.`,
      FORMS,
    );
  }
  return {
    kind: "alias",
    alias: value,
    name: alias[1] as string,
    region: (alias[3] as string).toLowerCase(),
  };
}
