/**
 * The in-cluster controllers a user of `kubectl` relies on, emulated on top of the store, each its
 * own unit with its own work loop (loop.ts): the scheduler + kubelet (kubelet.ts), the endpoints
 * controller (endpoints.ts), the EndpointSlice controller (endpoint-slices.ts) and the namespace
 * controller (namespaces.ts). Work is coalesced and runs on the next turn of the event loop, never
 * inside a request.
 */
import type { ApiCtx } from "../api.js";
import { endpointSliceController } from "./endpoint-slices.js";
import { endpointsController } from "./endpoints.js";
import { kubelet } from "./kubelet.js";
import { type Controller, startController } from "./loop.js";
import { namespaceController } from "./namespaces.js";

/** In the order a pass runs when one event wakes several: Pods run before their endpoints are read. */
export const CONTROLLERS = [kubelet, endpointsController, endpointSliceController, namespaceController];

export function startControllers(ctx: ApiCtx, log: (line: string) => void): Controller {
  const running = CONTROLLERS.map((def) => startController(ctx, def, log));
  return {
    kick: () => {
      for (const c of running) c.kick();
    },
    stop: () => {
      for (const c of running) c.stop();
    },
  };
}
