/** `plsctl connections`: the private endpoint connections of one PLS or many, one list each. */
import type { Context } from "../context.js";
import {
  type ConnectionState,
  type ConnectionsResult,
  hasLinkId,
  summarizeConnection,
} from "../domain/connections.js";
import { findTargets, type Which } from "./support/targets.js";

export interface ConnectionsOptions extends Which {
  state?: ConnectionState | undefined;
  /** Only the connection with this link id (a decimal uint32, as `parseLinkId` returns it). */
  linkId?: string | undefined;
}

export async function runConnections(ctx: Context, o: ConnectionsOptions): Promise<ConnectionsResult> {
  const { targets } = await findTargets(ctx, o);
  const wanted = o.state;
  return {
    pls: targets.map((t) => ({ name: t.pls.name, id: t.pls.id })),
    connections: targets.flatMap((t) =>
      t.connections
        .map(summarizeConnection)
        .filter((c) => !wanted || c.status.toLowerCase() === wanted)
        .filter((c) => o.linkId === undefined || hasLinkId(c, o.linkId))
        .map((c) => ({ pls: t.pls.name, plsId: t.pls.id, ...c })),
    ),
  };
}
