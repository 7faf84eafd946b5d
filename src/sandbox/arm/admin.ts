/** `/_sandbox/*` admin endpoints (counters, faults, reset, state), authorised by the admin token. */
import type { IncomingMessage } from "node:http";
import type { WorldSpec } from "../world.js";
import { validateWorld } from "../world-file.js";
import type { Counters, Faults } from "./limits.js";
import type { ArmState, FaultRule } from "./types.js";

export interface AdminDeps {
  adminToken: string;
  counters: Counters;
  faults: Faults;
  state: () => ArmState;
  reset: (world?: WorldSpec) => Promise<void>;
}

const KINDS = new Set(["409", "429", "500", "503", "drop", "latency", "lroFailed"]);

function validFaults(v: unknown): v is FaultRule[] {
  return (
    Array.isArray(v) &&
    v.every((r) => typeof r === "object" && r !== null && KINDS.has(String((r as FaultRule).kind)))
  );
}

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
    case "PUT faults":
      if (!validFaults(body)) {
        return {
          status: 400,
          body: {
            error: {
              code: "InvalidFaults",
              message: "Body must be a FaultRule[] (kind: 409|429|500|503|drop|latency|lroFailed).",
            },
          },
        };
      }
      d.faults.set(body);
      return { status: 204 };
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
    case "GET state":
      return { status: 200, body: d.state() };
    default:
      return {
        status: 404,
        body: { error: { code: "NotFound", message: `No sandbox admin endpoint ${route}.` } },
      };
  }
}
