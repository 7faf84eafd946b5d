/**
 * Proxy protocol end to end: `expose --proxy-protocol` → the partner network sends the pod a PROXY
 * protocol v2 header with Azure's LINKID TLV → the pod's app decodes it → `verify --http` reports the
 * connection's link id, the one `connections` lists. Without proxy protocol: no header, no field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PartnerNetwork, startPartnerNetwork } from "../../src/sandbox/network/index.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { viaAbsolute } from "../sandbox/helpers/partner-net.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let net: PartnerNetwork;
let partner: Record<string, string>;
let linkOn = "";

async function exposeAndConnect(svc: string, flags: string[]): Promise<string> {
  await createService(t.core, svc, INTERNAL, {
    selector: { app: "hello" },
    ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 80 }],
  });
  const e = await runCli(["expose", svc, "--visibility", PART, ...flags, "-o", "json"], { env: t.env });
  expect(e.code, e.stderr).toBe(0);
  const plsId = JSON.parse(e.stdout).id as string;
  await partnerEndpoint(t.sb, `pe-${svc}`, plsId);
  const a = await runCli(["approve", svc, "--all-pending"], { env: t.env });
  expect(a.code, a.stderr).toBe(0);
  const c = await runCli(["connections", svc, "-o", "json"], { env: t.env });
  return JSON.parse(c.stdout).connections[0].linkIdentifier;
}

const verify = (pe: string, json = true) =>
  runCli(
    [
      "verify",
      "--endpoint",
      pe,
      "-g",
      "rg-partner",
      "--http",
      "/_sandbox/whoami",
      ...(json ? ["-o", "json"] : []),
    ],
    { env: partner },
  );

beforeAll(async () => {
  await t.core.createNamespacedPod({
    namespace: "default",
    body: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "hello-1", labels: { app: "hello" } },
      spec: {
        containers: [
          {
            name: "hello",
            image: "mcr.microsoft.com/azuredocs/aks-helloworld:v1",
            ports: [{ containerPort: 80 }],
          },
        ],
      },
    },
  });
  net = await startPartnerNetwork({ sources: { arm: () => t.sb.arm.state(), kube: t.sb.kube } });
  partner = { ...sandboxEnv(t.sb, "partner"), PLSCTL_SANDBOX_PROXY: `http://spoke01@127.0.0.1:${net.port}` };
  linkOn = await exposeAndConnect("pp-on", ["--proxy-protocol"]);
  await exposeAndConnect("pp-off", []);
});

afterAll(async () => net?.close());

describe("verify and the PROXY protocol v2 link id", () => {
  it("proxy protocol on: verify reports the link id of the partner's connection", async () => {
    const linkId = linkOn;
    expect(linkId).toMatch(/^\d+$/);
    const r = await verify("pe-pp-on");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.http.linkIdentifier).toBe(linkId);
    expect(out.http.headers["x-sandbox-link-id"]).toBe(linkId);
    const human = await verify("pe-pp-on", false);
    expect(human.stdout).toContain(`PROXY protocol v2: link id ${linkId}`);
    expect(human.stdout).toContain(`plsctl connections --link-id ${linkId}`);
  });

  it("the app decoded the header: whoami has the link id, the client's address and the endpoint's", async () => {
    const ip = JSON.parse((await verify("pe-pp-on")).stdout).endpoint.privateIp;
    const a = await viaAbsolute(net.port, ip, 80, { user: "spoke01", path: "/_sandbox/whoami" });
    const who = JSON.parse(a.body);
    expect(who.linkIdentifier).toBe(linkOn);
    // The client stands at the first address of spoke01's workload subnet (10.0.1.0/24).
    expect(who.proxyProtocol).toMatchObject({
      source: { address: "10.0.1.4" },
      destination: { address: ip, port: 80 },
    });
  });

  it("proxy protocol off: no header reaches the app, no field", async () => {
    const r = await verify("pe-pp-off");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reached).toBe(true);
    expect(out.http).not.toHaveProperty("linkIdentifier");
    expect(out.http.headers).not.toHaveProperty("x-sandbox-link-id");
    expect((await verify("pe-pp-off", false)).stdout).not.toMatch(/PROXY protocol/);
  });
});
