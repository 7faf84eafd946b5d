/**
 * One emulated controller's work loop: the store events it cares about schedule one reconcile on
 * the next turn of the event loop (coalesced, never inside a request); stop() ends it for good.
 */
import type { ApiCtx } from "../api.js";
import type { StoreEvent } from "../store.js";

export interface Controller {
  /** Schedules a reconcile (coalesced with one already scheduled). */
  kick(): void;
  stop(): void;
}

export interface ControllerDef {
  name: string;
  /** Whether this store event may change what the controller would do. */
  wants(e: StoreEvent): boolean;
  /** One pass over the store: converge what it owns. */
  reconcile(ctx: ApiCtx): void;
}

export function startController(ctx: ApiCtx, def: ControllerDef, log: (line: string) => void): Controller {
  let timer: NodeJS.Immediate | undefined;
  let stopped = false;
  const run = () => {
    timer = undefined;
    if (stopped) return;
    try {
      def.reconcile(ctx);
    } catch (e) {
      log(`kube controllers: ${def.name}: ${(e as Error).message}`);
    }
  };
  const kick = () => {
    if (stopped || timer) return;
    timer = setImmediate(run);
  };
  const unsubscribe = ctx.store.subscribe((e) => {
    if (def.wants(e)) kick();
  });
  kick();
  return {
    kick,
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearImmediate(timer);
      timer = undefined;
    },
  };
}

/** Events of these kinds. */
export const ofKinds =
  (...kinds: string[]) =>
  (e: StoreEvent): boolean =>
    kinds.includes(e.resource.kind);
