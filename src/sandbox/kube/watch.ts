/**
 * Watch streams: `?watch=1` answers 200 with one JSON event per line (ADDED, MODIFIED, DELETED,
 * BOOKMARK, ERROR), starting with synthetic ADDED events for an unset or "0" resourceVersion,
 * replaying the event log after a given resourceVersion (410 Expired as an ERROR event when it is
 * too old), with bookmarks when `allowWatchBookmarks` is set (periodically and just before the
 * `timeoutSeconds` deadline) and the `sendInitialEvents` end marker of watch-list.
 */
import type { ServerResponse } from "node:http";
import { callLater, type SandboxClock } from "../clock.js";
import { expired } from "./errors.js";
import { apiVersionOf, type KObj, type ResourceDef } from "./resources.js";
import { keyOf, type Store, type StoreEvent } from "./store.js";

export interface WatchParams {
  resource: ResourceDef;
  namespace?: string;
  matches: (obj: KObj) => boolean;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  /** Wraps each object (server-side printing of `kubectl get -w`). */
  render?: (obj: KObj) => unknown;
  bookmarkIntervalMs: number;
  /** Times the bookmarks and the `timeoutSeconds` end (default: real time). */
  clock?: SandboxClock;
  /** Fault injection: the stream ends after this many ADDED/MODIFIED/DELETED events (0: at once). */
  closeAfterEvents?: number;
}

export interface OpenWatch {
  close(): void;
}

const DEFAULT_TIMEOUT_S = 1800;

export function serveWatch(store: Store, res: ServerResponse, p: WatchParams, onEnd: () => void): OpenWatch {
  const r = p.resource;
  const kindMeta = { kind: r.kind, apiVersion: apiVersionOf(r) };
  const render = p.render ?? ((o: KObj) => ({ ...kindMeta, ...o }));
  const visible = new Set<string>();
  const key = (o: KObj) => keyOf(r, o.metadata.namespace ?? "", o.metadata.name ?? "");
  let ended = false;
  let lastRv = store.resourceVersion();

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  let events = 0;
  const send = (type: string, object: unknown) => {
    if (ended) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
    if (type !== "BOOKMARK" && type !== "ERROR") events++;
    if (p.closeAfterEvents !== undefined && events >= p.closeAfterEvents) finish();
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(lastRv), creationTimestamp: null };
    if (annotations) metadata.annotations = annotations;
    send("BOOKMARK", { ...kindMeta, metadata });
  };
  const inScope = (o: KObj) =>
    !r.namespaced || p.namespace === undefined || o.metadata.namespace === p.namespace;

  const handle = (e: StoreEvent) => {
    if (e.resource !== r || !inScope(e.object)) return;
    lastRv = e.rv;
    const k = key(e.object);
    if (e.type === "DELETED") {
      if (visible.delete(k)) send("DELETED", render(e.object));
      return;
    }
    if (p.matches(e.object)) {
      send(visible.has(k) ? "MODIFIED" : "ADDED", render(e.object));
      visible.add(k);
    } else if (visible.delete(k)) send("DELETED", render(e.object));
  };

  const rvText = p.resourceVersion ?? "";
  const initial = rvText === "" || rvText === "0" || p.sendInitialEvents;
  let unsubscribe = () => {};
  /** What cancels each pending timer. */
  const timers: Array<() => void> = [];
  function finish() {
    if (ended) return;
    unsubscribe();
    for (const cancel of timers) cancel();
    ended = true;
    res.end();
    onEnd();
  }
  if (p.closeAfterEvents === 0) finish();

  if (initial) {
    lastRv = store.resourceVersion();
    for (const o of store.list(r, r.namespaced ? p.namespace : undefined)) {
      if (!inScope(o) || !p.matches(o)) continue;
      visible.add(key(o));
      send("ADDED", render(o));
    }
    if (p.sendInitialEvents && p.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
    if (!ended) unsubscribe = store.subscribe(handle);
  } else {
    const since = Number(rvText);
    const replay = Number.isFinite(since) ? store.eventsSince(since) : undefined;
    if (!replay) {
      send("ERROR", expired(`too old resource version: ${rvText} (${store.resourceVersion()})`).body);
      finish();
      return { close: finish };
    }
    for (const o of store.list(r, r.namespaced ? p.namespace : undefined))
      if (inScope(o) && p.matches(o)) visible.add(key(o));
    lastRv = Math.max(since, 0);
    for (const e of replay) handle(e);
    lastRv = Math.max(lastRv, since);
    if (!ended) unsubscribe = store.subscribe(handle);
  }
  if (ended) return { close: finish };

  const timeoutMs = (p.timeoutSeconds && p.timeoutSeconds > 0 ? p.timeoutSeconds : DEFAULT_TIMEOUT_S) * 1000;
  if (p.allowBookmarks) {
    const tick = () => {
      bookmark();
      timers.push(callLater(p.clock, p.bookmarkIntervalMs, tick));
    };
    timers.push(callLater(p.clock, p.bookmarkIntervalMs, tick));
  }
  timers.push(
    callLater(p.clock, timeoutMs, () => {
      if (p.allowBookmarks) bookmark();
      finish();
    }),
  );
  res.on("close", finish);
  return { close: finish };
}
