/**
 * A Service sharing another's frontend (same IP) shares its PLS: proven by reading the load balancer
 * (the frontend carries the Service's IP). An identity that cannot read the load balancer gets the
 * authorization error, not a wrong answer; for a Service with its own frontend it needs no such read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { A, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();
const SAME_IP = { ...INTERNAL, [`${A}azure-load-balancer-ipv4`]: "10.224.0.60" };

describe("two Services on one frontend", () => {
  let primary: { id: string };
  beforeAll(async () => {
    await createService(t.core, "primary", SAME_IP);
    const r = await runCli(["expose", "primary", "-o", "json"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    primary = JSON.parse(r.stdout);
    await createService(t.core, "secondary", SAME_IP, {
      ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: 8443 }],
    });
    await t.sb.controller.idle();
  });

  it("status of the secondary shows the primary's PLS (its frontend carries the secondary's IP)", async () => {
    const r = await runCli(["status", "secondary", "-o", "json"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe(primary.id);
  });

  it("CI without loadBalancers/read: the primary's PLS is found; the secondary's cannot be proven (exit 4)", async () => {
    const ci = sandboxEnv(t.sb, "ci");
    const own = await runCli(["connections", "primary", "-o", "json"], { env: ci });
    expect(own.code, own.stderr).toBe(0);
    const shared = await runCli(["connections", "secondary"], { env: ci });
    expect(shared.code).toBe(4);
    expect(shared.stderr).toMatch(/Microsoft\.Network\/loadBalancers\/read/);
  });
});
