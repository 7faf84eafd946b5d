/** `/_sandbox/*` admin endpoints (counters, faults, settings, reset, state), authorised by the admin token. */
import type { IncomingMessage } from "node:http";
import { ARM_FAULT_KINDS } from "../faults-spec.js";
import type { EmulatorSettingsSpec, WorldSpec } from "../world.js";
import { validateWorld } from "../world-file.js";
import type { Counters, Faults } from "./limits.js";
import { addManagedRequest, type ManagedRequest } from "./managed-requests.js";
import { type EmulatorSettings, settingsProblems } from "./settings.js";
import type { ArmState, FaultRule } from "./types.js";

export interface AdminDeps {
  adminToken: string;
  counters: Counters;
  faults: Faults;
  state: () => ArmState;
  reset: (world?: WorldSpec) => Promise<void>;
  settings: () => EmulatorSettings;
  setSettings: (s: EmulatorSettingsSpec) => void;
  /** Persists the state after an admin endpoint changed it. */
  save: () => void;
}

const KINDS: ReadonlySet<string> = new Set(ARM_FAULT_KINDS);

const isRec = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isRegex = (s: string): boolean => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

/** What is wrong with a FaultRule[] body (empty when it is one). */
export function armFaultProblems(v: unknown): string[] {
  if (!Array.isArray(v)) return ["the body must be a list of fault rules"];
  const out: string[] = [];
  v.forEach((r, i) => {
    const at = `[${i}]`;
    if (!isRec(r)) {
      out.push(`${at}: must be an object`);
      return;
    }
    const hasKind = r.kind !== undefined;
    if (hasKind && !KINDS.has(String(r.kind))) out.push(`${at}.kind: must be one of ${[...KINDS].join("|")}`);
    if (r.status !== undefined) {
      if (hasKind) out.push(`${at}: give kind or status, not both`);
      if (!(typeof r.status === "number" && Number.isInteger(r.status) && r.status >= 400 && r.status <= 599))
        out.push(`${at}.status: must be an HTTP status 400-599`);
    } else if (!hasKind) out.push(`${at}: needs kind (${[...KINDS].join("|")}) or status (400-599)`);
    for (const k of ["code", "message", "operation", "identity"])
      if (r[k] !== undefined && typeof r[k] !== "string") out.push(`${at}.${k}: must be a string`);
    for (const k of ["retryAfter", "retryAfterSeconds", "retryAfterMs", "times", "latencyMs"])
      if (
        r[k] !== undefined &&
        !(typeof r[k] === "number" && r[k] >= 0) &&
        !(k === "retryAfterSeconds" && r[k] === null)
      )
        out.push(`${at}.${k}: must be a number >= 0`);
    if (r.retryAfterDate !== undefined && typeof r.retryAfterDate !== "boolean")
      out.push(`${at}.retryAfterDate: must be true or false`);
    for (const k of ["probability", "rate"])
      if (r[k] !== undefined && !(typeof r[k] === "number" && r[k] >= 0 && r[k] <= 1))
        out.push(`${at}.${k}: must be a number from 0 to 1`);
    if (
      r.headers !== undefined &&
      !(isRec(r.headers) && Object.values(r.headers).every((h) => typeof h === "string"))
    )
      out.push(`${at}.headers: must map header names to strings`);
    if (r.match !== undefined) {
      if (!isRec(r.match))
        out.push(`${at}.match: must be an object {method, path, pathRegex, operation, identity}`);
      else
        for (const [k, m] of Object.entries(r.match)) {
          if (!["method", "path", "pathRegex", "operation", "identity"].includes(k))
            out.push(`${at}.match.${k}: unknown field`);
          else if (typeof m !== "string") out.push(`${at}.match.${k}: must be a string`);
          else if (k === "pathRegex" && !isRegex(m))
            out.push(`${at}.match.pathRegex: not a regular expression`);
        }
    }
  });
  return out;
}

const invalid = (code: string, problems: string[]) => ({
  status: 400,
  body: { error: { code, message: problems.join("; ") } },
});

export async function handleAdmin(
  req: IncomingMessage,
  text: string,
  segs: string[],
  d: AdminDeps,
): Promise<{ status: number; body?: unknown }> {
  if (req.headers.authorization !== `Bearer ${d.adminToken}`) {
    return {
      status: 401,
      body: { error: { code: "Unauthorized", message: "The sandbox admin token is required." } },
    };
  }
  const route = `${req.method} ${segs.join("/")}`;
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return {
      status: 400,
      body: { error: { code: "InvalidRequestFormat", message: "Cannot parse the request." } },
    };
  }
  switch (route) {
    case "GET counters":
      return { status: 200, body: d.counters.snapshot() };
    case "POST counters/reset":
      d.counters.reset();
      return { status: 204 };
    case "PUT faults": {
      const problems = armFaultProblems(body);
      if (problems.length) return invalid("InvalidFaults", problems);
      d.faults.set(body as FaultRule[]);
      return { status: 204 };
    }
    case "POST faults": {
      const problems = armFaultProblems(body);
      if (problems.length) return invalid("InvalidFaults", problems);
      d.faults.add(body as FaultRule[]);
      return { status: 200, body: d.faults.list() };
    }
    case "GET faults":
      return { status: 200, body: d.faults.list() };
    case "DELETE faults":
      d.faults.set([]);
      return { status: 204 };
    case "GET settings":
      return { status: 200, body: d.settings() };
    case "PUT settings": {
      const problems = settingsProblems(body, "settings");
      if (problems.length) return invalid("InvalidSettings", problems);
      d.setSettings(body as EmulatorSettingsSpec);
      return { status: 200, body: d.settings() };
    }
    case "POST reset": {
      let world: WorldSpec | undefined;
      if (body !== undefined) {
        try {
          world = validateWorld(body, "the reset request body");
        } catch (e) {
          return { status: 400, body: { error: { code: "InvalidWorld", message: (e as Error).message } } };
        }
      }
      await d.reset(world);
      return { status: 204 };
    }
    case "POST requests": {
      const r = addManagedRequest(d.state(), body as ManagedRequest);
      if (r.status === 201) d.save();
      return r;
    }
    case "GET state":
      return { status: 200, body: d.state() };
    default:
      return {
        status: 404,
        body: { error: { code: "NotFound", message: `No sandbox admin endpoint ${route}.` } },
      };
  }
}
