/**
 * The ARM emulator's live parts — state and its deferred saving, tokens and identities, counters,
 * faults, limiters, routes and the services handlers use — shared by its request handler
 * (serve.ts), its admin endpoints and its in-process API (index.ts).
 */
import { join } from "node:path";
import { realClock, type SandboxClock } from "../clock.js";
import { ensureStateDir } from "../state-dir.js";
import { defaultWorld, type WorldSpec } from "../world.js";
import type { AdminDeps } from "./admin.js";
import { ADMIN, ensureTokens } from "./auth.js";
import { allRoutes } from "./handlers/index.js";
import { Counters, Faults, NetworkWriteLimiter, Throttler } from "./limits.js";
import { newOperation } from "./lro.js";
import type { PipelineDeps } from "./pipeline.js";
import { roleTable } from "./rbac.js";
import { type EmuServices, Router } from "./router.js";
import { DEFAULT_SETTINGS, type EmulatorSettings, mergeSettings } from "./settings.js";
import { initialState, loadState, STATE_FILE, saveState } from "./state.js";
import type { ArmState, CallerIdentity, FaultRule } from "./types.js";

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

/** How long a changed state may wait before it is written to disk (close() writes it at once). */
const SAVE_DELAY_MS = 100;

export interface Live {
  opts: ArmEmulatorOptions;
  stateFile: string;
  state: ArmState;
  /** Every identity's token, the admin's included. */
  tokens: Record<string, string>;
  /** The identities' tokens (not the admin's), as the emulator's API hands them out. */
  publicTokens: Record<string, string>;
  byToken: Map<string, CallerIdentity>;
  counters: Counters;
  faults: Faults;
  throttler: Throttler;
  netLimiter: NetworkWriteLimiter;
  emu: EmuServices;
  deps: PipelineDeps;
  saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The server's https://host:port, once it listens. */
  base: string;
}

/** Reads the tokens of the world's identities (creating missing ones) and indexes them. */
function refreshIdentities(live: Live): void {
  live.tokens = ensureTokens(live.opts.stateDir, live.state.world);
  live.byToken.clear();
  for (const id of live.state.world.identities) {
    const t = live.tokens[id.name];
    if (t)
      live.byToken.set(t, {
        name: id.name,
        tenantId: id.tenantId,
        objectId: id.objectId,
        clientId: id.clientId,
      });
  }
  Object.assign(
    live.publicTokens,
    Object.fromEntries(Object.entries(live.tokens).filter(([k]) => k !== ADMIN)),
  );
}

/** Writes the state now (a pending deferred save is dropped). */
export function flush(live: Live): void {
  clearTimeout(live.saveTimer);
  live.saveTimer = undefined;
  saveState(live.stateFile, live.state);
}

const settingsOf = (opts: ArmEmulatorOptions, w: WorldSpec) =>
  mergeSettings(DEFAULT_SETTINGS, w.emulator, opts.settings);

function emuServices(live: Live, opts: ArmEmulatorOptions): EmuServices {
  const clock = opts.clock ?? realClock;
  const delay = opts.lroDelayMs ?? 0;
  return {
    lroDelayMs: delay,
    provisioningDelayMs: opts.provisioningDelayMs ?? 0,
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    settings: settingsOf(opts, live.state.world),
    locks: new Map(),
    roles: roleTable(live.state.world),
    startOperation: (settle, remove, error, delayMs = delay) =>
      newOperation(live.state, clock.now(), delayMs, settle, remove, error),
  };
}

function pipelineDeps(live: Live, opts: ArmEmulatorOptions, router: Router): PipelineDeps {
  return {
    state: () => live.state,
    router,
    byToken: live.byToken,
    counters: live.counters,
    faults: live.faults,
    throttler: live.throttler,
    netLimiter: live.netLimiter,
    throttling: opts.throttling ?? true,
    emu: live.emu,
    base: () => live.base,
    ...(opts.log ? { log: opts.log } : {}),
    // Writes are saved behind, at most every SAVE_DELAY_MS: serializing the whole state on each
    // write made a write cost O(state), and thousands of connections serialized the server.
    save: () => {
      live.saveTimer ??= setTimeout(() => flush(live), SAVE_DELAY_MS);
    },
  };
}

/** Loads (or seeds) the state in `opts.stateDir` and builds the emulator's parts around it. */
export function createLive(opts: ArmEmulatorOptions): Live {
  ensureStateDir(opts.stateDir);
  const stateFile = join(opts.stateDir, STATE_FILE);
  const state = loadState(stateFile) ?? initialState(opts.world ?? defaultWorld());
  saveState(stateFile, state);
  const router = new Router();
  router.add(allRoutes);
  const live = {
    opts,
    stateFile,
    state,
    tokens: {},
    publicTokens: {},
    byToken: new Map(),
    counters: new Counters(),
    faults: new Faults(),
    throttler: new Throttler(),
    netLimiter: new NetworkWriteLimiter(),
    saveTimer: undefined,
    base: "",
  } as Omit<Live, "emu" | "deps"> as Live;
  live.faults.set(opts.faults ?? []);
  live.emu = emuServices(live, opts);
  live.deps = pipelineDeps(live, opts, router);
  refreshIdentities(live);
  return live;
}

export const adminToken = (live: Live): string => live.tokens[ADMIN] ?? "";

/** Back to `world` (default: the start world): state, settings, locks, limiters, identities. */
export async function resetLive(live: Live, world?: WorldSpec): Promise<void> {
  clearTimeout(live.saveTimer);
  live.saveTimer = undefined;
  live.state = initialState(world ?? live.opts.world ?? defaultWorld());
  live.emu.roles = roleTable(live.state.world);
  live.emu.settings = settingsOf(live.opts, live.state.world);
  live.emu.locks.clear();
  saveState(live.stateFile, live.state);
  refreshIdentities(live);
  live.throttler.reset();
  live.netLimiter.reset();
}

/** What the `/_sandbox/*` admin endpoints act on. */
export function adminDeps(live: Live): AdminDeps {
  return {
    adminToken: adminToken(live),
    counters: live.counters,
    faults: live.faults,
    state: () => live.state,
    reset: (world) => resetLive(live, world),
    settings: () => live.emu.settings,
    setSettings: (x) => {
      live.emu.settings = mergeSettings(live.emu.settings, x);
    },
    save: () => live.deps.save(),
  };
}
