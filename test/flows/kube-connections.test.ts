/**
 * A command's Kubernetes requests share one connection pool, where client-node alone opens a new
 * connection (and handshakes again) for each request.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { listServiceEvents } from "../../src/kube/events.js";
import { getService, nodeProviderIds } from "../../src/kube/services.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();

describe("Kubernetes connections", () => {
  it("reuses its connections for a command's requests", async () => {
    await createService(t.core, "conn", INTERNAL);
    const kube = await flowContext(t.env).ctx.kube();
    // undici's diagnostics channel: the socket each request is written to. Only this command's
    // requests count (the path names its Service or the nodes), not the sandbox's own clients.
    const sockets = new Set<unknown>();
    let requests = 0;
    const onSend = (m: unknown) => {
      const { request, socket } = m as { request: { path: string }; socket: unknown };
      if (!/\/services\/conn$|\/nodes\?|involvedObject\.name%3Dconn/.test(request.path)) return;
      requests += 1;
      sockets.add(socket);
    };
    subscribe("undici:client:sendHeaders", onSend);
    try {
      const svc = await getService(kube, "default", "conn");
      await nodeProviderIds(kube);
      await listServiceEvents(kube, svc);
      await getService(kube, "default", "conn");
    } finally {
      unsubscribe("undici:client:sendHeaders", onSend);
    }
    expect(requests).toBe(4);
    // undici hands a connection back to the pool a moment after its response ends, so a request
    // made right after may open a second one; never one per request.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
