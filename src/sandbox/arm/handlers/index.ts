/** Every ARM route the emulator serves. */
import { operationRoutes } from "../lro.js";
import type { RouteDef } from "../router.js";
import { authorizationRoutes } from "./authorization.js";
import { dnsRoutes } from "./dns.js";
import { genericRoutes } from "./generic.js";
import { lbRoutes } from "./lb.js";
import { paasRoutes } from "./paas.js";
import { peRoutes } from "./pe.js";
import { pecRoutes } from "./pec.js";
import { plsRoutes } from "./pls.js";
import { providerRoutes } from "./providers.js";
import { resourceGraphRoutes } from "./resource-graph.js";
import { resourceRoutes } from "./resources.js";
import { vnetRoutes } from "./vnet.js";
import { zoneGroupRoutes } from "./zonegroups.js";

export const allRoutes: RouteDef[] = [
  ...resourceRoutes,
  ...vnetRoutes,
  ...lbRoutes,
  ...plsRoutes,
  ...pecRoutes,
  ...peRoutes,
  ...zoneGroupRoutes,
  ...paasRoutes,
  ...dnsRoutes,
  ...genericRoutes,
  ...providerRoutes,
  ...authorizationRoutes,
  ...operationRoutes,
  ...resourceGraphRoutes,
];
