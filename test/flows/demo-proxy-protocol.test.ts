/**
 * `plsctl demo --proxy-protocol`: the app reads the partner's link id from the PROXY protocol v2
 * header, and the last step names the partner from it, as the provider's CI finds it
 * (`connections --link-id`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DemoResult } from "../../src/domain/demo.js";
import { makeColors } from "../../src/output/colors.js";
import { renderDemo } from "../../src/output/demo.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { runCli } from "../helpers/run-cli.js";

const partnerSub = defaultWorld().identities.find((i) => i.name === "partner")?.defaultSubscriptionId ?? "";

describe("plsctl demo --proxy-protocol", () => {
  let out: DemoResult;
  beforeAll(async () => {
    const r = await runCli(["demo", "--proxy-protocol", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    out = JSON.parse(r.stdout);
  });

  it("exposes with proxy protocol on and shows the flag in the printed command", () => {
    expect(out.expose.proxyProtocol).toBe(true);
    const expose = out.steps.find((s) => s.id === "expose");
    expect(expose?.commands[0]).toMatch(/ --proxy-protocol$/);
  });

  it("the app read the link id of the partner's connection, and the partner is named from it", () => {
    expect(out.verify.reached).toBe(true);
    const pp = out.verify.proxyProtocol;
    expect(pp?.linkIdentifier).toMatch(/^\d+$/);
    expect(pp).toMatchObject({ privateEndpointName: "pe-fabrikam", requesterSubscription: partnerSub });
    const verify = out.steps.find((s) => s.id === "verify");
    expect(verify?.commands.at(-1)).toContain(
      `plsctl connections sample-app --link-id ${pp?.linkIdentifier}`,
    );
    const text = renderDemo(out, makeColors(0));
    expect(text).toContain(`X-Sandbox-Link-Id: ${pp?.linkIdentifier}`);
    expect(text).toContain(
      `Link id ${pp?.linkIdentifier} is partner endpoint pe-fabrikam (subscription ${partnerSub}).`,
    );
  });
});
