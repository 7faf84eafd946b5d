/**
 * The soak's independent model of what the sandbox must hold, written from plsctl's documented
 * behaviour (docs/guides: expose, unexpose, connect, disconnect, approve, reject) — never from its code.
 * It advances only when a command exited 0 (first run or the soak's re-run of the same command).
 */
export type ConnectionState = "Pending" | "Approved" | "Rejected" | "Disconnected";

export type Op =
  | { kind: "expose"; service: string }
  | { kind: "unexpose"; service: string }
  | { kind: "connect"; service: string; partner: number; via: "alias" | "id" }
  | { kind: "disconnect"; service: string; partner: number }
  | { kind: "approve"; service: string; partner: number }
  | { kind: "reject"; service: string; partner: number };

export type OpKind = Op["kind"];
export const OP_KINDS: readonly OpKind[] = [
  "expose",
  "unexpose",
  "connect",
  "disconnect",
  "approve",
  "reject",
];

export interface ServiceModel {
  exposed: boolean;
  /** The alias the last successful expose printed. */
  alias?: string;
}

const pairKey = (partner: number, service: string): string => `${partner}/${service}`;

export class Model {
  readonly services = new Map<string, ServiceModel>();
  /** Private endpoints `pe-<service>` in each partner's resource group, by "partner/service". */
  readonly endpoints = new Map<string, ConnectionState>();

  constructor(services: readonly string[]) {
    for (const s of services) this.services.set(s, { exposed: false });
  }

  service(name: string): ServiceModel {
    const s = this.services.get(name);
    if (!s) throw new Error(`unknown service ${name}`);
    return s;
  }

  endpoint(partner: number, service: string): ConnectionState | undefined {
    return this.endpoints.get(pairKey(partner, service));
  }

  /** Whether the op is one the soak may run now: what a user would sensibly ask in this state. */
  allows(op: Op): boolean {
    const exposed = this.service(op.service).exposed;
    switch (op.kind) {
      case "expose":
        return true; // also on an exposed Service: a re-run changes nothing
      case "unexpose":
        return exposed;
      case "connect":
        return exposed && this.endpoint(op.partner, op.service) === undefined;
      case "disconnect":
        return this.endpoint(op.partner, op.service) !== undefined;
      case "approve": {
        // Approving a Rejected connection is refused (exit 1) by design; a Disconnected one is not on the PLS.
        const s = this.endpoint(op.partner, op.service);
        return exposed && (s === "Pending" || s === "Approved");
      }
      case "reject": {
        const s = this.endpoint(op.partner, op.service);
        return exposed && s !== undefined && s !== "Disconnected";
      }
    }
  }

  /** The effect of a command that exited 0; `alias` is what expose printed. */
  apply(op: Op, alias?: string): void {
    const key = "partner" in op ? pairKey(op.partner, op.service) : "";
    switch (op.kind) {
      case "expose":
        this.services.set(op.service, { exposed: true, ...(alias ? { alias } : {}) });
        return;
      case "unexpose":
        // The PLS and its connections are deleted; the partners' endpoints stay, Disconnected.
        this.services.set(op.service, { exposed: false });
        for (const [k, state] of this.endpoints) {
          if (k.endsWith(`/${op.service}`) && state !== "Disconnected") this.endpoints.set(k, "Disconnected");
        }
        return;
      case "connect":
        // No auto-approval is configured, so every connection starts Pending (manual).
        this.endpoints.set(key, "Pending");
        return;
      case "disconnect":
        this.endpoints.delete(key);
        return;
      case "approve":
        this.endpoints.set(key, "Approved");
        return;
      case "reject":
        this.endpoints.set(key, "Rejected");
        return;
    }
  }
}
