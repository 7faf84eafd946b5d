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
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { httpsUrl, loopbackHost } from "../bind.js";
import { ensureTls } from "../tls.js";
import type { WorldSpec } from "../world.js";
import { type ArmEmulatorOptions, adminToken, createLive, flush, resetLive } from "./live.js";
import { onRequest } from "./serve.js";
import { type EmulatorSettings, mergeSettings } from "./settings.js";
import type { ArmState, FaultRule, RequestCounters } from "./types.js";

export type { WorldSpec } from "../world.js";
export type { ArmEmulatorOptions } from "./live.js";
export type { EmulatorSettings } from "./settings.js";
export type { ArmState, FaultRule, RequestCounters } from "./types.js";

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

export async function startArmEmulator(opts: ArmEmulatorOptions): Promise<ArmEmulator> {
  const host = loopbackHost(opts.host);
  const live = createLive(opts);
  const tls = ensureTls(opts.stateDir);
  const server = createServer({ cert: tls.certPem, key: tls.keyPem, keepAlive: true }, (req, res) => {
    void onRequest(live, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  live.base = httpsUrl(host, (server.address() as AddressInfo).port);
  opts.log?.(`arm: listening on ${live.base} (state ${live.stateFile})`);
  return {
    url: live.base,
    caFile: tls.caFile,
    caCertPem: tls.caCertPem,
    tokens: live.publicTokens,
    get adminToken() {
      return adminToken(live);
    },
    counters: () => live.counters.snapshot(),
    resetCounters: () => live.counters.reset(),
    setFaults: (rules) => live.faults.set(rules),
    settings: () => structuredClone(live.emu.settings),
    setSettings: (x) => {
      live.emu.settings = mergeSettings(live.emu.settings, x);
    },
    reset: (world) => resetLive(live, world),
    state: () => live.state,
    close: () =>
      new Promise<void>((resolve) => {
        if (live.saveTimer) flush(live);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
