/**
 * The emulator's object store: every object keyed by resource/namespace/name, one global
 * monotonically increasing resourceVersion, a bounded log of watch events (older resource versions
 * answer 410 Expired), subscribers for live watches, and persistence to `kube-state.json`
 * (written atomically: tmp file + rename).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { KObj, ResourceDef } from "./resources.js";

export type WatchType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchType;
  resource: ResourceDef;
  object: KObj;
  rv: number;
}

interface PersistedState {
  version: 1;
  resourceVersion: number;
  objects: Record<string, KObj>;
}

const LOG_SIZE = 5000;

export interface Store {
  get(r: ResourceDef, ns: string, name: string): KObj | undefined;
  list(r: ResourceDef, ns?: string): KObj[];
  /** Writes the object (assigning a new resourceVersion) and notifies watchers. Returns the stored copy. */
  put(r: ResourceDef, obj: KObj, type: "ADDED" | "MODIFIED"): KObj;
  remove(r: ResourceDef, obj: KObj): KObj;
  resourceVersion(): number;
  /** Events after `rv`, or undefined when `rv` is older than the log remembers. */
  eventsSince(rv: number): StoreEvent[] | undefined;
  subscribe(fn: (e: StoreEvent) => void): () => void;
  /** Replaces every object (reset); watchers are not notified. */
  replaceAll(objects: { r: ResourceDef; obj: KObj }[]): void;
  isEmpty(): boolean;
}

export function keyOf(r: ResourceDef, ns: string, name: string): string {
  return `${r.group || "core"}/${r.plural}/${r.namespaced ? ns : ""}/${name}`;
}

export class CorruptStateError extends Error {}

export function openStore(file: string): Store {
  let objects = new Map<string, KObj>();
  let rv = 0;
  if (existsSync(file)) {
    let parsed: PersistedState;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as PersistedState;
      if (
        parsed.version !== 1 ||
        typeof parsed.resourceVersion !== "number" ||
        typeof parsed.objects !== "object"
      ) {
        throw new Error("unexpected shape");
      }
    } catch (e) {
      throw new CorruptStateError(
        `The Kubernetes emulator state file ${file} is corrupt (${(e as Error).message}); fix it, or delete it to start from the default world.`,
      );
    }
    objects = new Map(Object.entries(parsed.objects));
    rv = parsed.resourceVersion;
  }
  // The log starts empty after a restart: a watch from an older resourceVersion gets 410 Expired.
  let oldestRv = rv;
  const log: StoreEvent[] = [];
  const subscribers = new Set<(e: StoreEvent) => void>();

  function save(): void {
    const state: PersistedState = { version: 1, resourceVersion: rv, objects: Object.fromEntries(objects) };
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, file);
  }

  function emit(e: StoreEvent): void {
    log.push(e);
    if (log.length > LOG_SIZE) {
      const dropped = log.splice(0, log.length - LOG_SIZE);
      oldestRv = dropped[dropped.length - 1]?.rv ?? oldestRv;
    }
    for (const s of subscribers) s(e);
  }

  const store: Store = {
    get: (r, ns, name) => {
      const o = objects.get(keyOf(r, ns, name));
      return o ? structuredClone(o) : undefined;
    },
    list: (r, ns) => {
      const prefix = `${r.group || "core"}/${r.plural}/${ns !== undefined && r.namespaced ? `${ns}/` : ""}`;
      return [...objects.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, o]) => structuredClone(o));
    },
    put: (r, obj, type) => {
      rv += 1;
      const stored = structuredClone(obj);
      stored.metadata.resourceVersion = String(rv);
      objects.set(keyOf(r, stored.metadata.namespace ?? "", stored.metadata.name ?? ""), stored);
      save();
      emit({ type, resource: r, object: structuredClone(stored), rv });
      return structuredClone(stored);
    },
    remove: (r, obj) => {
      rv += 1;
      objects.delete(keyOf(r, obj.metadata.namespace ?? "", obj.metadata.name ?? ""));
      const gone = structuredClone(obj);
      gone.metadata.resourceVersion = String(rv);
      save();
      emit({ type: "DELETED", resource: r, object: structuredClone(gone), rv });
      return gone;
    },
    resourceVersion: () => rv,
    eventsSince: (since) => {
      if (since < oldestRv) return undefined;
      return log.filter((e) => e.rv > since);
    },
    subscribe: (fn) => {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    replaceAll: (list) => {
      objects = new Map();
      for (const { r, obj } of list) {
        rv += 1;
        const o = structuredClone(obj);
        o.metadata.resourceVersion = String(rv);
        objects.set(keyOf(r, o.metadata.namespace ?? "", o.metadata.name ?? ""), o);
      }
      log.length = 0;
      oldestRv = rv;
      save();
    },
    isEmpty: () => objects.size === 0,
  };
  return store;
}
