/** expose refuses, before writing, a PLS on a load balancer that carries an IPv6 (dual-stack) Service. */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();

describe("expose next to a dual-stack Service on kubernetes-internal", () => {
  it("exits 2 naming the IPv6 frontend and the fix; writes nothing", async () => {
    await createService(t.core, "dual", INTERNAL, {
      ipFamilies: ["IPv4", "IPv6"],
      ipFamilyPolicy: "RequireDualStack",
    });
    await createService(t.core, "web", INTERNAL);
    await t.sb.controller.idle();
    const before = { kube: kubeWrites(t.sb), arm: armWrites(t.sb, "provider") };
    const r = await runCli(["expose", "web"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Load balancer kubernetes-internal carries IPv6 frontend a[0-9a-f]+-IPv6/);
    expect(r.stderr).toMatch(/single-stack IPv4/);
    expect({ kube: kubeWrites(t.sb), arm: armWrites(t.sb, "provider") }).toEqual(before);
  });
});
