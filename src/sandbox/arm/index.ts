/**
 * The sandbox's Azure Resource Manager: an HTTPS server on 127.0.0.1 speaking ARM's wire protocol
 * for what plsctl touches, so the real `@azure/arm-*` clients work against it unchanged.
 *
 * - State: `<stateDir>/arm-state.json` (atomic writes), tokens in `<stateDir>/arm-tokens.json`,
 *   TLS from `ensureTls(stateDir)`. `world` only seeds a state dir that has no state file yet.
 * - Admin endpoints (Bearer `adminToken`): GET /_sandbox/counters, POST /_sandbox/counters/reset,
 *   PUT /_sandbox/faults (FaultRule[]; POST adds, GET lists, DELETE clears), POST /_sandbox/reset (optional WorldSpec body),
 *   GET /_sandbox/state, GET and PUT /_sandbox/settings (EmulatorSettings, PUT merges).
 * - Counters use REST operationIds (`PrivateLinkServices_Get`, …); long-running-operation polls
 *   (Azure-AsyncOperation and Location URLs) count as `Operations_Poll`; requests no route
 *   matches count as `unrouted` (and are listed); requests without a valid token count as
 *   `unauthenticated` under identity `anonymous`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { httpsUrl, loopbackHost } from "../bind.js";
import { realClock, type SandboxClock } from "../clock.js";
import { ensureStateDir } from "../state-dir.js";
import { ensureTls } from "../tls.js";
import { defaultWorld, type WorldSpec } from "../world.js";
import { handleAdmin } from "./admin.js";
import { ADMIN, ensureTokens } from "./auth.js";
import { allRoutes } from "./handlers/index.js";
import { Counters, Faults, NetworkWriteLimiter, Throttler } from "./limits.js";
import { newOperation, settleOperations } from "./lro.js";
import { handle, type PipelineDeps } from "./pipeline.js";
import { roleTable } from "./rbac.js";
import { type EmuServices, Router } from "./router.js";
import { DEFAULT_SETTINGS, type EmulatorSettings, mergeSettings } from "./settings.js";
import { initialState, loadState, STATE_FILE, saveState } from "./state.js";
import type { ArmState, CallerIdentity, FaultRule, RequestCounters } from "./types.js";

export type { WorldSpec } from "../world.js";
export type { EmulatorSettings } from "./settings.js";
export type { ArmState, FaultRule, RequestCounters } from "./types.js";

export interface ArmEmulatorOptions {
  stateDir: string;
  world?: WorldSpec;
  port?: number;
  /** Loopback address to listen on: 127.0.0.1 (default) or localhost; anything else is refused. */
  host?: string;
  /** How long long-running operations take (default 0: they are done when the PUT/DELETE answers). */
  lroDelayMs?: number;
  /**
   * How long a PUT of a load balancer or a Private Link Service takes (default 0); the resource is
   * `Updating` meanwhile. What makes the AKS controller slow: it waits for these operations.
   */
  provisioningDelayMs?: number;
  /** When long-running operations end (default: real time). */
  clock?: SandboxClock;
  faults?: FaultRule[];
  throttling?: boolean;
  /**
   * Page size, strict re-approval, Microsoft.Network's write limit, connection write time; over the
   * world's `emulator` settings, which are over the defaults (settings.ts).
   */
  settings?: Partial<EmulatorSettings>;
  log?: (line: string) => void;
}

export interface ArmEmulator {
  url: string;
  caFile: string;
  caCertPem: string;
  tokens: Record<string, string>;
  adminToken: string;
  counters(): RequestCounters;
  resetCounters(): void;
  setFaults(rules: FaultRule[]): void;
  /** The settings in force now. */
  settings(): EmulatorSettings;
  /** Changes some settings until the next reset (which goes back to world + start options). */
  setSettings(s: Partial<EmulatorSettings>): void;
  reset(world?: WorldSpec): Promise<void>;
  /**
   * The live state, for in-process readers (the partner network routes by it). Read only: a write
   * here bypasses the pipeline (locks, etags, persistence).
   */
  state(): Readonly<ArmState>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** How long a changed state may wait before it is written to disk (close() writes it at once). */
const SAVE_DELAY_MS = 100;

export async function startArmEmulator(opts: ArmEmulatorOptions): Promise<ArmEmulator> {
  const host = loopbackHost(opts.host);
  ensureStateDir(opts.stateDir);
  const stateFile = join(opts.stateDir, STATE_FILE);
  let state: ArmState = loadState(stateFile) ?? initialState(opts.world ?? defaultWorld());
  saveState(stateFile, state);
  const tls = ensureTls(opts.stateDir);
  let tokens: Record<string, string> = {};
  const byToken = new Map<string, CallerIdentity>();
  const refreshIdentities = () => {
    tokens = ensureTokens(opts.stateDir, state.world);
    byToken.clear();
    for (const id of state.world.identities) {
      const t = tokens[id.name];
      if (t)
        byToken.set(t, {
          name: id.name,
          tenantId: id.tenantId,
          objectId: id.objectId,
          clientId: id.clientId,
        });
    }
  };
  refreshIdentities();
  const counters = new Counters();
  const faults = new Faults();
  faults.set(opts.faults ?? []);
  const throttler = new Throttler();
  const netLimiter = new NetworkWriteLimiter();
  const router = new Router();
  router.add(allRoutes);
  let base = "";
  const delay = opts.lroDelayMs ?? 0;
  // Writes are saved behind, at most every SAVE_DELAY_MS: serializing the whole state on each
  // write made a write cost O(state), and thousands of connections serialized the server.
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    saveState(stateFile, state);
  };
  const clock = opts.clock ?? realClock;
  const now = () => clock.now();
  const initialSettings = (w: WorldSpec) => mergeSettings(DEFAULT_SETTINGS, w.emulator, opts.settings);
  const emu: EmuServices = {
    lroDelayMs: delay,
    provisioningDelayMs: opts.provisioningDelayMs ?? 0,
    now,
    sleep: (ms) => clock.sleep(ms),
    settings: initialSettings(state.world),
    locks: new Map(),
    roles: roleTable(state.world),
    startOperation: (settle, remove, error, delayMs = delay) =>
      newOperation(state, now(), delayMs, settle, remove, error),
  };
  const deps: PipelineDeps = {
    state: () => state,
    router,
    byToken,
    counters,
    faults,
    throttler,
    netLimiter,
    throttling: opts.throttling ?? true,
    emu,
    base: () => base,
    ...(opts.log ? { log: opts.log } : {}),
    save: () => {
      saveTimer ??= setTimeout(flush, SAVE_DELAY_MS);
    },
  };
  const adminToken = () => tokens[ADMIN] ?? "";

  const doReset = async (world?: WorldSpec) => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    state = initialState(world ?? opts.world ?? defaultWorld());
    emu.roles = roleTable(state.world);
    emu.settings = initialSettings(state.world);
    emu.locks.clear();
    saveState(stateFile, state);
    refreshIdentities();
    throttler.reset();
    netLimiter.reset();
    Object.assign(api.tokens, publicTokens());
  };
  const publicTokens = () => Object.fromEntries(Object.entries(tokens).filter(([k]) => k !== ADMIN));

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    try {
      const text = await readBody(req);
      const url = new URL(req.url ?? "/", base);
      const segs = url.pathname
        .split("/")
        .filter((s) => s !== "")
        .map((s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        });
      const path = `/${segs.join("/")}`;
      if (settleOperations(state, now())) deps.save();
      if (segs[0] === "_sandbox") {
        const r = await handleAdmin(req, text, segs.slice(1), {
          adminToken: adminToken(),
          counters,
          faults,
          state: () => state,
          reset: doReset,
          settings: () => emu.settings,
          setSettings: (x) => {
            emu.settings = mergeSettings(emu.settings, x);
          },
          save: () => deps.save(),
        });
        return send(res, r.status, r.body, {}, requestId);
      }
      let body: unknown;
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          return send(
            res,
            400,
            { error: { code: "InvalidRequestFormat", message: "Cannot parse the request.", details: [] } },
            {},
            requestId,
          );
        }
      }
      const headers = req.headers as Record<string, string | string[] | undefined>;
      const out = await handle(
        deps,
        { method: req.method ?? "GET", path, query: url.searchParams, headers, body },
        segs,
      );
      if ("drop" in out) {
        opts.log?.(`arm: fault drop ${req.method} ${path}`);
        req.socket.destroy();
        return;
      }
      const { reply } = out;
      opts.log?.(`arm: ${req.method} ${path} -> ${reply.status} (${out.operation})`);
      const clientReq = req.headers["x-ms-client-request-id"];
      send(
        res,
        reply.status,
        reply.body,
        reply.headers ?? {},
        requestId,
        typeof clientReq === "string" ? clientReq : undefined,
      );
    } catch (e) {
      opts.log?.(`arm: internal error ${(e as Error).stack ?? String(e)}`);
      send(res, 500, { error: { code: "InternalServerError", message: String(e) } }, {}, requestId);
    }
  };

  const server = createServer({ cert: tls.certPem, key: tls.keyPem, keepAlive: true }, (req, res) => {
    void onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = httpsUrl(host, port);
  opts.log?.(`arm: listening on ${base} (state ${stateFile})`);

  const api: ArmEmulator = {
    url: base,
    caFile: tls.caFile,
    caCertPem: tls.caCertPem,
    tokens: publicTokens(),
    get adminToken() {
      return adminToken();
    },
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    setFaults: (rules) => faults.set(rules),
    settings: () => structuredClone(emu.settings),
    setSettings: (x) => {
      emu.settings = mergeSettings(emu.settings, x);
    },
    reset: doReset,
    state: () => state,
    close: () =>
      new Promise<void>((resolve) => {
        if (saveTimer) flush();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return api;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  requestId: string,
  correlation?: string,
): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  const h: Record<string, string> = {
    "Cache-Control": "no-cache",
    Pragma: "no-cache",
    Expires: "-1",
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": correlation ?? requestId,
    "x-ms-routing-request-id": `WESTEUROPE:${new Date().toISOString().replace(/[-:.]/g, "")}:${requestId}`,
    ...headers,
  };
  if (body !== undefined) h["Content-Type"] = "application/json; charset=utf-8";
  const etag =
    body && typeof body === "object" ? ((body as Record<string, unknown>).etag ?? undefined) : undefined;
  if (typeof etag === "string" && !h.ETag) h.ETag = etag;
  h["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(status, h);
  res.end(payload);
}
