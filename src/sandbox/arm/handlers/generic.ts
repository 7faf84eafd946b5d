/**
 * Network resources the emulator stores as sent, without their own rules (the cloud controller
 * touches them around load balancers): network security groups, public IP addresses, route
 * tables. GET, list, PUT (long-running, Azure-AsyncOperation), DELETE (long-running).
 */
import type { Ctx, RouteDef } from "../router.js";
import type { Resource } from "../types.js";
import { arr, guid, isObject, obj, str, weakEtag } from "../util.js";
import { getRes, lroDeleteReply, lroPutReply, normLocation, putRes, putTarget } from "./common.js";
import { trackedResourceRoutes } from "./routes.js";

const TYPES = ["networkSecurityGroups", "publicIPAddresses", "routeTables"];
const CHILDREN: Record<string, string[]> = {
  networkSecurityGroups: ["securityRules", "defaultSecurityRules"],
  routeTables: ["routes"],
};

function put(type: string, c: Ctx) {
  const { b, existing, id } = putTarget(c);
  const etag = weakEtag();
  const props: Record<string, unknown> = {
    ...obj(b.properties),
    resourceGuid: existing?.properties.resourceGuid ?? guid(),
    provisioningState: "Succeeded",
  };
  for (const k of CHILDREN[type] ?? []) {
    props[k] = arr(props[k])
      .filter(isObject)
      .map((ch) => ({
        ...ch,
        id: `${id}/${k}/${str(ch.name)}`,
        etag,
        properties: { ...obj(ch.properties), provisioningState: "Succeeded" },
      }));
  }
  if (type === "publicIPAddresses") allocatePublicIp(c, props, existing);
  const r: Resource = {
    ...b,
    id,
    name: existing?.name ?? c.p.name ?? "",
    type: `Microsoft.Network/${type}`,
    location: normLocation(b.location) || existing?.location || "",
    etag,
    properties: props,
  };
  putRes(c, r);
  return lroPutReply(c, r, !existing, r.location ?? "");
}

/** Azure gives a public IP its address on creation and keeps it; the sandbox uses 20.103.0.0/16. */
function allocatePublicIp(c: Ctx, props: Record<string, unknown>, existing: Resource | undefined): void {
  props.publicIPAddressVersion ??= "IPv4";
  props.publicIPAllocationMethod ??= "Static";
  props.idleTimeoutInMinutes ??= 4;
  const prev = str(existing?.properties.ipAddress);
  if (prev) {
    props.ipAddress = prev;
    return;
  }
  const used = new Set(
    Object.values(c.state.resources)
      .filter((r) => r.type === "Microsoft.Network/publicIPAddresses")
      .map((r) => str(r.properties.ipAddress)),
  );
  for (let n = 1; n < 65534; n++) {
    const ip = `20.103.${n >> 8}.${n & 255}`;
    if ((n & 255) !== 0 && (n & 255) !== 255 && !used.has(ip)) {
      props.ipAddress = ip;
      return;
    }
  }
}

export const genericRoutes: RouteDef[] = TYPES.flatMap((t) =>
  trackedResourceRoutes({
    type: `Microsoft.Network/${t}`,
    ops: t.charAt(0).toUpperCase() + t.slice(1),
    api: "network",
    put: (c) => put(t, c),
    delete: (c) => {
      const r = getRes(c, c.req.path);
      return r ? lroDeleteReply(c, [r.id], r.location ?? "") : { status: 204 };
    },
  }),
);
