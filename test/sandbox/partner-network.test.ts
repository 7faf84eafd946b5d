/**
 * The sandbox's partner network, end to end through its proxy on 127.0.0.1: the partner's private
 * endpoint → the provider's PLS → load balancer frontend → Service → a ready pod's HTTP app, over
 * HTTP CONNECT, absolute-form HTTP and SOCKS5 (frames written by hand here; curl in
 * partner-network-curl.test.ts). State is set up through the real SDKs as partner and provider.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PlsctlError } from "../../src/domain/errors.js";
import { openTunnel } from "../../src/net/tunnel.js";
import { HEADERS, type PartnerNetwork, startPartnerNetwork } from "../../src/sandbox/network/index.js";
import { CURL, curl, NO_CURL } from "../helpers/curl.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { isLoopback, recordConnects, viaAbsolute, viaConnect, viaSocks } from "./helpers/partner-net.js";
import { type PartnerWorld, partnerWorld } from "./helpers/partner-world.js";

const t = useSandbox();
let net: PartnerNetwork;
let w: PartnerWorld;
const connects = recordConnects();
const h = (name: string) => name.toLowerCase();

beforeAll(async () => {
  net = await startPartnerNetwork({
    sources: { arm: () => t.sb.arm.state(), kube: t.sb.kube },
    dropDelayMs: 20,
  });
  w = await partnerWorld(t);
});

afterEach(() => net.setIngressGate(() => ({ allowed: true })));
afterAll(async () => {
  connects.stop();
  await net?.close();
});

describe("an Approved endpoint", () => {
  it("reaches the sample app's page over CONNECT, with the pod and a node IP as source (Cluster)", async () => {
    const r = await viaConnect(net.port, w.web.ip, 80);
    expect(r.connect.status).toBe(200);
    expect(r.inner?.status).toBe(200);
    expect(r.inner?.body).toContain("Welcome to Azure Kubernetes Service (AKS)");
    expect(r.inner?.headers[h(HEADERS.pod)]).toBe("hello-1");
    expect(w.nodeIps).toContain(r.inner?.headers[h(HEADERS.sourceIp)]);
  });

  it("answers absolute-form requests, with JSON on Accept: application/json and at /_sandbox/whoami", async () => {
    const page = await viaAbsolute(net.port, w.web.ip, 80);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Welcome to Azure Kubernetes Service (AKS)");
    const json = await viaAbsolute(net.port, w.web.ip, 80, { accept: "application/json" });
    expect(JSON.parse(json.body)).toMatchObject({ pod: "hello-1", namespace: "default", port: 80 });
    const whoami = JSON.parse((await viaAbsolute(net.port, w.web.ip, 80, { path: "/_sandbox/whoami" })).body);
    // One vocabulary with `plsctl demo -o json` (verify.sourceKind): node-ip, nat-ip.
    expect(whoami).toMatchObject({ pod: "hello-1", sourceKind: "node-ip" });
    expect(w.nodeIps).toContain(whoami.sourceIp);
    const local = JSON.parse(
      (await viaAbsolute(net.port, w.local.ip, 80, { path: "/_sandbox/whoami" })).body,
    );
    expect(local.sourceKind).toBe("nat-ip");
    expect(w.local.natIps).toContain(local.sourceIp);
  });

  it("answers SOCKS5 to an IPv4 address, with and without the VNet as username", async () => {
    const plain = await viaSocks(net.port, w.web.ip, 80);
    expect(plain.reply).toBe(0);
    expect(plain.bound).toBe(w.web.ip);
    expect(plain.inner?.body).toContain("Welcome to Azure Kubernetes Service (AKS)");
    const named = await viaSocks(net.port, w.web.ip, 80, { user: "spoke01" });
    expect(named.auth).toBe(0);
    expect(named.inner?.status).toBe(200);
  });

  it("shows a NAT IP of the PLS as the source with externalTrafficPolicy: Local", async () => {
    const r = await viaConnect(net.port, w.local.ip, 80);
    expect(r.inner?.status).toBe(200);
    const source = r.inner?.headers[h(HEADERS.sourceIp)];
    expect(w.local.natIps).toContain(source);
    expect(w.nodeIps).not.toContain(source);
    // The same endpoint is translated to the same NAT IP every time.
    const again = await viaAbsolute(net.port, w.local.ip, 80);
    expect(again.headers[h(HEADERS.sourceIp)]).toBe(source);
  });

  it("serves a generic page naming the pod for any other image", async () => {
    const r = await viaAbsolute(net.port, w.generic.ip, 80);
    expect(r.status).toBe(200);
    expect(r.body).toContain("Hello from pod default/generic-1");
    expect(r.headers[h(HEADERS.pod)]).toBe("generic-1");
  });
});

describe("names in private DNS", () => {
  it("resolves a name of a zone linked to the client's VNet (SOCKS5 domain name, CONNECT, absolute form)", async () => {
    const socks = await viaSocks(net.port, w.names.linked, 80, { user: "spoke01" });
    expect(socks.reply).toBe(0);
    expect(socks.bound).toBe(w.web.ip);
    expect(socks.inner?.headers[h(HEADERS.pod)]).toBe("hello-1");
    expect((await viaConnect(net.port, w.names.linked, 80)).inner?.status).toBe(200);
    expect((await viaAbsolute(net.port, w.names.linked, 80)).status).toBe(200);
  });

  it("does not resolve a name whose zone is not linked to the VNet", async () => {
    const socks = await viaSocks(net.port, w.names.unlinked, 80, { user: "spoke01" });
    expect(socks.reply).toBe(0x04);
    const r = await viaConnect(net.port, w.names.unlinked, 80, { user: "spoke01" });
    expect(r.connect.status).toBe(502);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/does not resolve in VNet spoke01/);
  });
});

describe("refused connections", () => {
  it("refuses a Pending endpoint: CONNECT 502 naming the state, SOCKS5 0x02", async () => {
    const r = await viaConnect(net.port, w.pending.ip, 80);
    expect(r.connect.status).toBe(502);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/connection is Pending/);
    expect(r.connect.body).toMatch(/not approved it yet/);
    expect((await viaSocks(net.port, w.pending.ip, 80)).reply).toBe(0x02);
    expect((await viaAbsolute(net.port, w.pending.ip, 80)).status).toBe(502);
  });

  it("refuses an endpoint once the provider rejects its connection", async () => {
    const before = await viaConnect(net.port, w.rejectable.ip, 80);
    expect(before.inner?.status).toBe(200);
    await w.decide("pe-reject", "Rejected");
    const after = await viaConnect(net.port, w.rejectable.ip, 80);
    expect(after.connect.status).toBe(502);
    expect(after.connect.headers["x-sandbox-reason"]).toMatch(/connection is Rejected/);
    expect((await viaSocks(net.port, w.rejectable.ip, 80)).reply).toBe(0x02);
  });

  it("refuses a port the Service does not have: CONNECT 502, SOCKS5 0x05", async () => {
    const r = await viaConnect(net.port, w.web.ip, 8443);
    expect(r.connect.status).toBe(502);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/has no TCP port 8443 \(it has 80\)/);
    expect((await viaSocks(net.port, w.web.ip, 8443)).reply).toBe(0x05);
  });

  it("refuses a Service without a ready pod", async () => {
    const r = await viaConnect(net.port, w.empty.ip, 80);
    expect(r.connect.status).toBe(502);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/has no ready pod/);
    expect((await viaSocks(net.port, w.empty.ip, 80)).reply).toBe(0x05);
  });

  it("refuses an address no endpoint has, and an endpoint outside the VNet the client names", async () => {
    expect((await viaConnect(net.port, "10.0.0.250", 80)).connect.status).toBe(502);
    const r = await viaConnect(net.port, w.web.ip, 80, { user: "aks-vnet" });
    expect(r.connect.status).toBe(502);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/No private endpoint in VNet aks-vnet/);
  });

  it("refuses a VNet the sandbox does not have: 407, SOCKS5 username refused", async () => {
    const r = await viaConnect(net.port, w.web.ip, 80, { user: "nowhere" });
    expect(r.connect.status).toBe(407);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/no VNet "nowhere" \(it has aks-vnet, spoke01\)/);
    expect((await viaSocks(net.port, w.web.ip, 80, { user: "nowhere" })).auth).toBe(1);
  });

  it("answers 400 to what is not a proxy request", async () => {
    expect(await fetchOriginForm(net.port)).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });
});

describe("the NetworkPolicy seam", () => {
  it("asks the gate with the pod, the source the pod sees and the pod's port; a denial looks like a drop", async () => {
    const asked: unknown[] = [];
    net.setIngressGate((pod, sourceIp, port, protocol) => {
      asked.push({ pod, sourceIp, port, protocol });
      return { allowed: false, policy: "default/deny-all" };
    });
    const r = await viaConnect(net.port, w.local.ip, 80);
    expect(r.connect.status).toBe(504);
    expect(r.connect.headers["x-sandbox-reason"]).toMatch(/NetworkPolicy \(default\/deny-all\) drops/);
    expect((await viaSocks(net.port, w.local.ip, 80)).reply).toBe(0x04);
    expect(asked[0]).toEqual({
      pod: { name: "hello-1", namespace: "default", labels: { app: "hello" } },
      sourceIp: expect.any(String),
      port: 80,
      protocol: "TCP",
    });
    expect(w.local.natIps).toContain((asked[0] as { sourceIp: string }).sourceIp);
  });
});

describe("loopback only", () => {
  it("connects nothing but loopback: each proxied request is the client's own connect to 127.0.0.1", async () => {
    const from = connects.calls.length;
    await viaConnect(net.port, w.web.ip, 80);
    await viaAbsolute(net.port, w.web.ip, 80);
    await viaSocks(net.port, w.names.linked, 80);
    expect(connects.calls.slice(from)).toEqual([
      { host: "127.0.0.1", port: net.port },
      { host: "127.0.0.1", port: net.port },
      { host: "127.0.0.1", port: net.port },
    ]);
    expect(connects.calls.filter((c) => !isLoopback(c.host))).toEqual([]);
    expect(net.stats().routed).toBeGreaterThan(0);
  });
});

/** `GET / HTTP/1.1` (origin form) sent to the proxy itself. */
async function fetchOriginForm(port: number): Promise<string> {
  const { connect } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    let out = "";
    s.on("data", (d) => (out += d));
    s.on("close", () => resolve(out));
    s.on("error", reject);
  });
}

describe("with curl", () => {
  it("--proxy http://… http://<endpoint-ip>/ reaches the sample app (absolute form)", async (ctx) => {
    ctx.skip(CURL === undefined, NO_CURL);
    const r = await curl("--proxy", `http://127.0.0.1:${net.port}`, `http://${w.web.ip}/`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(r.stdout).toMatch(/^X-Sandbox-Pod: hello-1\r?$/im);
    expect(r.stdout).toContain("Welcome to Azure Kubernetes Service (AKS)");
  });

  it("--proxytunnel with the VNet as the proxy user; the Local Service shows a NAT IP", async (ctx) => {
    ctx.skip(CURL === undefined, NO_CURL);
    const r = await curl(
      "--proxytunnel",
      "--proxy",
      `http://spoke01@127.0.0.1:${net.port}`,
      `http://${w.local.ip}/`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 Connection established/);
    const source = /^X-Sandbox-Source-Ip: (\S+)\r?$/im.exec(r.stdout)?.[1];
    expect(w.local.natIps).toContain(source);
  });

  it("--socks5-hostname and socks5h:// resolve a name of the linked private zone", async (ctx) => {
    ctx.skip(CURL === undefined, NO_CURL);
    const socks = await curl("--socks5-hostname", `127.0.0.1:${net.port}`, `http://${w.names.linked}/`);
    expect(socks.code).toBe(0);
    expect(socks.stdout).toContain("Welcome to Azure Kubernetes Service (AKS)");
    const named = await curl(
      "--proxy",
      `socks5h://spoke01@127.0.0.1:${net.port}`,
      `http://${w.names.linked}/`,
    );
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/^X-Sandbox-Pod: hello-1\r?$/im);
  });

  it("fails on a Pending endpoint, an unlinked name and a wrong port", async (ctx) => {
    ctx.skip(CURL === undefined, NO_CURL);
    const pending = await curl(
      "--proxytunnel",
      "--proxy",
      `http://127.0.0.1:${net.port}`,
      `http://${w.pending.ip}/`,
    );
    expect(pending.code).toBe(56);
    expect(pending.stderr).toMatch(/CONNECT tunnel failed, response 502/);
    const absolute = await curl("--proxy", `http://127.0.0.1:${net.port}`, `http://${w.pending.ip}/`);
    expect(absolute.stdout).toMatch(/^HTTP\/1\.1 502 Bad Gateway/);
    expect(absolute.stdout).toMatch(/connection is Pending/);
    const unlinked = await curl("--socks5-hostname", `127.0.0.1:${net.port}`, `http://${w.names.unlinked}/`);
    expect(unlinked.code).not.toBe(0);
    const port = await curl("--proxy", `socks5h://127.0.0.1:${net.port}`, `http://${w.web.ip}:8080/`);
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/SOCKS5 connection to 10\.0\.0\.\d+|refused/i);
  });
});

describe("openTunnel (src/net), the client plsctl verify will use", () => {
  it("tunnels to the endpoint through the proxy, with the VNet from the URL's user part", async () => {
    const { socket, statusLine } = await openTunnel(`http://spoke01@127.0.0.1:${net.port}`, w.web.ip, 80);
    expect(statusLine).toMatch(/^HTTP\/1\.1 200/);
    const answer = await new Promise<string>((resolve) => {
      let out = "";
      socket.on("data", (d) => (out += d));
      socket.on("close", () => resolve(out));
      socket.resume();
      socket.write(`GET / HTTP/1.1\r\nHost: ${w.web.ip}\r\nConnection: close\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain("Welcome to Azure Kubernetes Service (AKS)");
  });

  it("rejects with the proxy's reason: not approved (exit 1), dropped (exit 5)", async () => {
    await expect(openTunnel(`http://127.0.0.1:${net.port}`, w.pending.ip, 80)).rejects.toMatchObject({
      message: expect.stringMatching(/Cannot reach 10\.0\.0\.\d+:80 through .*connection is Pending/),
      exitCode: 1,
    });
    net.setIngressGate(() => ({ allowed: false }));
    await expect(openTunnel(`http://127.0.0.1:${net.port}`, w.web.ip, 80)).rejects.toMatchObject({
      exitCode: 5,
    });
  });

  it("refuses a proxy that is not on loopback without opening any socket", async () => {
    const from = connects.calls.length;
    for (const url of ["http://10.0.0.4:3128", "http://example.com:8080", "socks5://127.0.0.1:1080"])
      expect(() => openTunnel(url, w.web.ip, 80)).toThrow(PlsctlError);
    expect(() => openTunnel("http://10.0.0.4:3128", w.web.ip, 80)).toThrow(/not on this machine/);
    expect(connects.calls.slice(from)).toEqual([]);
  });
});
