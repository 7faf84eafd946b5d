/** Which operation to run next, and the plsctl command line (and identity) that runs it. */
import type { Model, Op, OpKind } from "./model.js";
import type { Rng } from "./rng.js";
import { endpointName, PARTNER_COUNT, partner, plsName, services } from "./world.js";

/** How often each kind is drawn (connect-heavy, as partners come and go more than Services). */
const WEIGHTS: Record<OpKind, number> = {
  expose: 14,
  unexpose: 5,
  connect: 30,
  approve: 22,
  reject: 9,
  disconnect: 14,
};

export const PROVIDER_SUBSCRIPTION = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
export const NODE_RESOURCE_GROUP = "MC_rg-aks_aks-demo_westeurope";
export const plsId = (service: string): string =>
  `/subscriptions/${PROVIDER_SUBSCRIPTION}/resourceGroups/${NODE_RESOURCE_GROUP}/providers/Microsoft.Network/privateLinkServices/${plsName(service)}`;

/** What an op holds while it runs: its Service and its partner, so concurrent ops never overlap. */
export const locksOf = (op: Op): string[] =>
  "partner" in op ? [`svc:${op.service}`, `partner:${op.partner}`] : [`svc:${op.service}`];

function drawKind(rng: Rng): OpKind {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (const [kind, w] of Object.entries(WEIGHTS) as [OpKind, number][]) {
    r -= w;
    if (r < 0) return kind;
  }
  return "connect";
}

/** Every op of that kind (a connect's alias-or-id choice is made after the pick). */
function opsOfKind(kind: OpKind): Op[] {
  const all = services();
  if (kind === "expose" || kind === "unexpose") return all.map((service) => ({ kind, service }));
  return all.flatMap((service) =>
    Array.from({ length: PARTNER_COUNT }, (_, i): Op => {
      const partner = i + 1;
      return kind === "connect" ? { kind, service, partner, via: "id" } : { kind, service, partner };
    }),
  );
}

/**
 * A random op the model allows whose locks are free: first the kind (by weight), then one of that
 * kind's possible ops, so kinds that are possible for few pairs (approve) are drawn as often as weighed.
 */
export function nextOp(rng: Rng, model: Model, busy: ReadonlySet<string>): Op | undefined {
  for (let i = 0; i < 20; i++) {
    const possible = opsOfKind(drawKind(rng)).filter(
      (op) => model.allows(op) && !locksOf(op).some((l) => busy.has(l)),
    );
    if (possible.length === 0) continue;
    const op = rng.pick(possible);
    return op.kind === "connect" ? { ...op, via: rng.chance(0.5) ? "alias" : "id" } : op;
  }
  return undefined;
}

export interface Command {
  identity: string;
  args: string[];
}

export function commandOf(op: Op, model: Model): Command {
  const json = ["-o", "json"];
  switch (op.kind) {
    case "expose":
      return {
        identity: "provider",
        args: ["expose", op.service, "--pls-name", plsName(op.service), "--visibility", "*", ...json],
      };
    case "unexpose":
      return { identity: "provider", args: ["unexpose", op.service, "--force", ...json] };
    case "connect": {
      const p = partner(op.partner);
      const alias = model.service(op.service).alias;
      const target = op.via === "alias" && alias ? alias : plsId(op.service);
      return {
        identity: p.identity,
        args: [
          "connect",
          "--pls",
          target,
          "--resource-group",
          p.resourceGroup,
          "--vnet",
          p.vnet,
          "--subnet",
          p.subnet,
          "--name",
          endpointName(op.service),
          "--request-message",
          `${p.identity} asks for ${op.service}`,
          "--dns-zone",
          p.dnsZone,
          "--dns-name",
          op.service,
          ...json,
        ],
      };
    }
    case "disconnect": {
      const p = partner(op.partner);
      return {
        identity: p.identity,
        args: [
          "disconnect",
          "--name",
          endpointName(op.service),
          "--resource-group",
          p.resourceGroup,
          ...json,
        ],
      };
    }
    case "approve":
    case "reject": {
      const p = partner(op.partner);
      return {
        identity: "ci",
        args: [
          op.kind,
          op.service,
          endpointName(op.service),
          "--from-subscription",
          p.subscriptionId,
          ...json,
        ],
      };
    }
  }
}
