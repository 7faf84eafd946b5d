/** Route table plumbing: case-insensitive path templates, the per-request context, handler type. */
import type { IdentitySpec } from "../world.js";
import type { ApiFamily } from "./api-versions.js";
import type { OpClass } from "./limits.js";
import type { RoleTable } from "./rbac.js";
import type { EmulatorSettings } from "./settings.js";
import type { ArmRequest, ArmState, CallerIdentity, OperationRecord, PlsLock, Reply } from "./types.js";

export interface LroOptions {
  subscriptionId: string;
  location: string;
  /** Private DNS style status URLs (resource-group scoped) instead of Network's location ones. */
  dnsResourceGroup?: string;
  azureAsyncOperation?: boolean;
  location_?: boolean;
}

export interface EmuServices {
  lroDelayMs: number;
  /** How long load balancer and Private Link Service PUTs take (see ArmEmulatorOptions). */
  provisioningDelayMs: number;
  /** The emulator's clock (ms since the epoch). */
  now(): number;
  /** Waits on the emulator's clock (a test's fake clock moves it on by hand). */
  sleep(ms: number): Promise<void>;
  /** The current settings (page size, strict re-approval, limits); the admin endpoint changes them. */
  settings: EmulatorSettings;
  /** Private link services (lower-cased id) that a connection write holds right now. */
  locks: Map<string, PlsLock>;
  roles: RoleTable;
  /** Starts a long-running operation (default delay: lroDelayMs); with delay 0 it is already finished. */
  startOperation(
    settle: string[],
    remove: string[],
    error?: { code: string; message: string },
    delayMs?: number,
  ): OperationRecord;
}

export interface Ctx {
  state: ArmState;
  req: ArmRequest;
  /** Path parameters, decoded, as written by the caller. */
  p: Record<string, string>;
  caller: CallerIdentity;
  identity: IdentitySpec | undefined;
  apiVersion: string;
  /** `https://127.0.0.1:<port>` */
  base: string;
  emu: EmuServices;
  /** Set by mutating handlers so the state gets saved. */
  dirty: boolean;
  /** Injected failure for this request's long-running PUT (fault kind `lroFailed`). */
  lroError?: { code: string; message: string };
}

export interface RouteDef {
  method: string;
  /** e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateLinkServices/{name}` */
  path: string;
  op: string;
  api: ApiFamily;
  cls: OpClass;
  /** RBAC action checked on the request path; omitted = no check beyond authentication. */
  action?: string;
  /** Listing: authorised when the action is granted at or below the scope (items are filtered). */
  list?: boolean;
  handler: (c: Ctx) => Reply | Promise<Reply>;
}

interface Compiled extends RouteDef {
  segs: { lit?: string; param?: string }[];
  literals: number;
}

export class Router {
  private routes: Compiled[] = [];
  add(defs: RouteDef[]): void {
    for (const d of defs) {
      const segs = d.path
        .split("/")
        .filter((s) => s !== "")
        .map((s) => (s.startsWith("{") ? { param: s.slice(1, -1) } : { lit: s.toLowerCase() }));
      this.routes.push({ ...d, segs, literals: segs.filter((s) => s.lit).length });
    }
    this.routes.sort((a, b) => b.literals - a.literals);
  }
  /** Returns the matching route and params, or which methods the path supports. */
  match(
    method: string,
    segments: string[],
  ): { route?: Compiled; params: Record<string, string>; methods: string[] } {
    const methods: string[] = [];
    for (const r of this.routes) {
      if (r.segs.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const s = r.segs[i];
        const v = segments[i] ?? "";
        if (s?.lit !== undefined) {
          if (s.lit !== v.toLowerCase()) {
            ok = false;
            break;
          }
        } else if (s?.param) params[s.param] = v;
      }
      if (!ok) continue;
      if (r.method === method) return { route: r, params, methods };
      methods.push(r.method);
    }
    return { params: {}, methods };
  }
}
