/**
 * checkPrivateLinkServiceVisibility as Azure answers it: a long-running POST (202 whose
 * Azure-AsyncOperation names the operation's result URL, as in the spec's example), the result URL
 * answering 202 with Retry-After while the operation runs and then 200 {"visible": …}; and the
 * real @azure/arm-network poller delivering that answer.
 */
import { describe, expect, it } from "vitest";
import { PART_SUB, startTestArm, useSlowVisiblePls } from "./helpers/arm.js";

const VIS = `/subscriptions/${PART_SUB}/providers/Microsoft.Network/locations/westeurope/checkPrivateLinkServiceVisibility?api-version=2026-01-01`;
const v = useSlowVisiblePls();

const pathOf = (url: string) => url.replace(/^https:\/\/[^/]+/, "");

describe("checkPrivateLinkServiceVisibility is long-running", () => {
  it("answers 202 + Azure-AsyncOperation, then the result URL answers 202 until done, then the answer", async () => {
    const r = await v.slow.raw("POST", VIS, {
      identity: "partner",
      body: { privateLinkServiceAlias: v.pls.alias },
    });
    expect(r.status).toBe(202);
    expect(r.text).toBe("");
    const aao = String(r.headers["azure-asyncoperation"] ?? "");
    expect(aao).toMatch(
      new RegExp(
        `/subscriptions/${PART_SUB}/providers/Microsoft.Network/locations/westeurope/operationResults/[0-9a-f-]{36}\\?api-version=2026-01-01$`,
      ),
    );
    expect(r.headers["retry-after"]).toBe("3");
    const running = await v.slow.raw("GET", pathOf(aao), { identity: "partner" });
    expect(running.status).toBe(202);
    expect(running.headers["retry-after"]).toBe("3");
    v.clock.advance(3000);
    const done = await v.slow.raw("GET", pathOf(aao), { identity: "partner" });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ visible: true });
  });

  it("answers visible:false the same way for an alias it does not know", async () => {
    const r = await v.slow.raw("POST", VIS, {
      identity: "partner",
      body: {
        privateLinkServiceAlias:
          "nope.00000000-0000-0000-0000-000000000000.westeurope.azure.privatelinkservice",
      },
    });
    expect(r.status).toBe(202);
    v.clock.advance(3000);
    const done = await v.slow.raw("GET", pathOf(String(r.headers["azure-asyncoperation"])), {
      identity: "partner",
    });
    expect(done.body).toEqual({ visible: false });
  });

  it("the real SDK poller follows it to the answer", async () => {
    const fast = await startTestArm({ stateDir: v.dir });
    try {
      fast.recorded.length = 0;
      const vis = await fast
        .net("partner")
        .privateLinkServices.checkPrivateLinkServiceVisibility(
          "westeurope",
          { privateLinkServiceAlias: v.pls.alias },
          { updateIntervalInMs: 0 },
        );
      expect(vis.visible).toBe(true);
      expect(fast.recorded.map((x) => `${x.method} ${x.status}`)).toEqual(["POST 202", "GET 200"]);
    } finally {
      await fast.close({ keepDir: true });
    }
  });
});
