/**
 * `plsctl verify` as the partner against the sandbox: the endpoint read through the real SDK, every
 * connection through the real partner network (HTTP CONNECT on 127.0.0.1) with the cluster's
 * NetworkPolicies as its ingress gate. Reached, Pending, Rejected, DNS mismatch, refused, a name in
 * a zone linked to the partner's VNet — and issue 12's pair: a policy admitting the partner's VNet
 * CIDR blocks the partner (the pods see NAT IPs), `plsctl netpol --apply`'s admits it (Local), and
 * with `Cluster` it does not (node IPs), as netpol warns.
 */
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  networkPolicyGate,
  type PartnerNetwork,
  startPartnerNetwork,
} from "../../src/sandbox/network/index.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { isLoopback, recordConnects } from "../sandbox/helpers/partner-net.js";
import { LINKED_ZONE, type PartnerWorld, partnerWorld } from "../sandbox/helpers/partner-world.js";
import { kubeConfigOf } from "../sandbox/helpers/sandbox.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const PLS_WEB = `/subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/MC_rg-aks_aks-demo_westeurope/providers/Microsoft.Network/privateLinkServices/pls-web`;
const t = useSandbox();
const connects = recordConnects();
let net: PartnerNetwork;
let w: PartnerWorld;
let partner: Record<string, string>;
let policies: NetworkingV1Api;

const verify = (args: string[], env: Record<string, string> = partner) =>
  runCli(["verify", ...args, "-o", "json"], { env });
const byEndpoint = (pe: string, ...more: string[]) => verify(["--endpoint", pe, "-g", "rg-partner", ...more]);

beforeAll(async () => {
  w = await partnerWorld(t);
  net = await startPartnerNetwork({
    sources: { arm: () => t.sb.arm.state(), kube: t.sb.kube },
    gate: networkPolicyGate(t.sb.kube),
    dropDelayMs: 20,
  });
  partner = { ...sandboxEnv(t.sb, "partner"), PLSCTL_SANDBOX_PROXY: `http://spoke01@127.0.0.1:${net.port}` };
  policies = kubeConfigOf(t.sb).makeApiClient(NetworkingV1Api);
  const token = t.sb.arm.tokens.partner ?? "";
  const dns = new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    PART,
    {
      endpoint: t.sb.arm.url,
      tlsOptions: { ca: t.sb.arm.caCertPem },
      retryOptions: { maxRetries: 0 },
    } as never,
  );
  // "stale" points at no endpoint; "other" at a different endpoint than pe-web.
  for (const [label, ip] of [
    ["stale", "10.0.0.250"],
    ["other", w.generic.ip],
  ] as const)
    await dns.recordSets.createOrUpdate("rg-partner", LINKED_ZONE, "A", label, {
      ttl: 300,
      aRecords: [{ ipv4Address: ip }],
    });
});

afterAll(async () => {
  connects.stop();
  await net?.close();
});

describe("plsctl verify through the sandbox's partner network", () => {
  it("reaches an Approved endpoint: the sample app's page, the source header = a NAT IP with Local", async () => {
    const r = await byEndpoint("pe-local", "--http", "/");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      reached: true,
      via: "proxy",
      target: { host: w.local.ip, port: 80, address: w.local.ip },
      endpoint: { name: "pe-local", state: "Approved", privateIp: w.local.ip },
      dns: null,
      cause: null,
      http: { status: 200 },
    });
    expect(out.steps.map((s: { step: string; ok: boolean }) => [s.step, s.ok])).toEqual([
      ["endpoint", true],
      ["connect", true],
      ["http", true],
    ]);
    for (const s of out.steps) expect(typeof s.ms).toBe("number");
    expect(w.local.natIps).toContain(out.http.sourceIp);
    expect(out.http.headers["x-sandbox-source-ip"]).toBe(out.http.sourceIp);
    expect(out.http.headers["content-type"]).toMatch(/text\/html/);
    expect(out.http.body).toContain("Welcome to Azure Kubernetes Service (AKS)");
    expect(out.http.body.length).toBeLessThanOrEqual(200);
  });

  it("says it in words without -o json: each step with its time, the answer, Reached", async () => {
    const r = await runCli(["verify", "--endpoint", "pe-web", "-g", "rg-partner", "--http", "/"], {
      env: partner,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^Verifying 10\.0\.0\.\d+:80 through the sandbox's partner network \(PLSCTL_SANDBOX_PROXY\)$/,
    );
    expect(r.stdout).toMatch(/ok {3}endpoint +\d+ ms {2}pe-web: Approved, IP 10\.0\.0\.\d+/);
    expect(r.stdout).toMatch(/ok {3}connect +\d+ ms {2}TCP connection to 10\.0\.0\.\d+:80 open/);
    expect(r.stdout).toMatch(/HTTP 200/);
    expect(r.stdout).toMatch(/the pod saw the connection come from 10\.224\.0\.\d+/);
    expect(r.stdout).toMatch(/Reached 10\.0\.0\.\d+:80\./);
  });

  it("the sandbox's ARM without PLSCTL_SANDBOX_PROXY: says so first (exit 2), dials and reads nothing", async () => {
    const { PLSCTL_SANDBOX_PROXY: _proxy, ...noProxy } = partner;
    const before = connects.calls.length;
    for (const args of [
      ["--endpoint", "pe-web", "-g", "rg-partner"],
      ["--address", "app.privatelink.fabrikam.example"],
    ]) {
      const r = await runCli(["verify", ...args], { env: noProxy });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^error: PLSCTL_ARM_ENDPOINT is the plsctl sandbox \(https:\/\/127\.0\.0\.1:\d+\), but PLSCTL_SANDBOX_PROXY is not set/,
      );
      expect(r.stderr).toContain('eval "$(plsctl sandbox env --as partner)"');
      expect(r.stderr).not.toMatch(/does not resolve|Create the record/);
    }
    const npx = await runCli(["verify", "--endpoint", "pe-web", "-g", "rg-partner"], {
      env: { ...noProxy, npm_command: "exec" },
    });
    expect(npx.stderr).toContain('eval "$(npx plsctl sandbox env --as partner)"');
    expect(connects.calls.slice(before)).toEqual([]);
  });

  it("Pending: exit 1, names it and the line the provider runs", async () => {
    const r = await byEndpoint("pe-pending");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.reached).toBe(false);
    expect(out.cause).toMatchObject({
      kind: "not-approved",
      message: expect.stringMatching(/pe-pending's connection is Pending.*not approved it yet/),
      hint: `Ask the provider to run: plsctl approve --pls ${PLS_WEB} pe-pending --from-subscription ${PART}`,
    });
    expect(out.steps.map((s: { step: string }) => s.step)).toEqual(["endpoint"]);
    const human = await runCli(["verify", "--endpoint", "pe-pending", "-g", "rg-partner"], { env: partner });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Not reached: .*Pending/);
    expect(human.stdout).toContain("Ask the provider to run: plsctl approve --pls");
  });

  it("--address alone on a Pending endpoint: the proxy's refusal, exit 1", async () => {
    const r = await verify(["--address", w.pending.ip]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cause).toMatchObject({
      kind: "not-approved",
      message: expect.stringMatching(/Pending/),
    });
  });

  it("Rejected: exit 1 with the provider's description", async () => {
    await w.decide("pe-reject", "Rejected");
    const r = await byEndpoint("pe-reject");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cause).toMatchObject({
      kind: "not-approved",
      message: expect.stringContaining('The provider rejected it: "Rejected by the test"'),
    });
  });

  it("resolves a name through the private zone linked to the partner's VNet (the proxy reports the address)", async () => {
    const r = await byEndpoint("pe-web", "--address", w.names.linked, "--http", "/");
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dns).toEqual({ name: w.names.linked, addresses: [w.web.ip], matchesEndpoint: true });
    expect(out.target).toEqual({ host: w.names.linked, port: 80, address: w.web.ip });
    expect(out.steps.find((s: { step: string }) => s.step === "resolve")).toMatchObject({
      ok: true,
      ms: null,
    });
  });

  it("DNS mismatch: the record points elsewhere than the endpoint's IP (no endpoint there): exit 1", async () => {
    const name = `stale.${LINKED_ZONE}`;
    const r = await byEndpoint("pe-web", "--address", name);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.dns).toEqual({ name, addresses: ["10.0.0.250"], matchesEndpoint: false });
    expect(out.cause).toMatchObject({
      kind: "dns-mismatch",
      message: `${name} resolves to 10.0.0.250, the endpoint's IP is ${w.web.ip}.`,
    });
  });

  it("DNS mismatch even when the wrong address answers (another endpoint): exit 1", async () => {
    const name = `other.${LINKED_ZONE}`;
    const r = await byEndpoint("pe-web", "--address", name);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.steps.find((s: { step: string }) => s.step === "connect")?.ok).toBe(true);
    expect(out.cause.kind).toBe("dns-mismatch");
    expect(out.cause.message).toBe(`${name} resolves to ${w.generic.ip}, the endpoint's IP is ${w.web.ip}.`);
  });

  it("a name no zone linked to the VNet has: not resolved, exit 1", async () => {
    const r = await verify(["--address", w.names.unlinked]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cause).toMatchObject({
      kind: "not-resolved",
      message: expect.stringContaining(`${w.names.unlinked} does not resolve in your VNet`),
    });
  });

  it("refused: a port the Service does not have", async () => {
    const r = await byEndpoint("pe-web", "--port", "8080");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cause).toMatchObject({
      kind: "refused",
      message: expect.stringMatching(/10\.0\.0\.\d+:8080 was refused: .*has no TCP port 8080/),
    });
  });

  it("a missing endpoint: exit 3 with the fix, nothing on stdout", async () => {
    const r = await byEndpoint("pe-nope");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: "NotFound",
      message: "Private endpoint pe-nope was not found in resource group rg-partner.",
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("every socket it opened went to loopback", () => {
    expect(connects.calls.length).toBeGreaterThan(0);
    expect(connects.calls.filter((c) => !isLoopback(c.host))).toEqual([]);
  });
});

describe("issue 12 through verify: NetworkPolicies on the partner network", () => {
  const seedPolicy = {
    metadata: { name: "partner-cidr-only" },
    spec: {
      podSelector: { matchLabels: { app: "hello" } },
      policyTypes: ["Ingress"],
      // @kubernetes/client-node names the rule's `from` `_from` (a reserved word in its models).
      ingress: [{ _from: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }],
    },
  };

  it("a policy admitting the partner's VNet CIDR blocks the partner: the pods see the NAT IPs", async () => {
    await policies.createNamespacedNetworkPolicy({ namespace: "default", body: seedPolicy });
    const r = await byEndpoint("pe-local", "--http", "/");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.cause.kind).toBe("timeout");
    expect(out.cause.message).toMatch(
      /timed out \/ was dropped: A NetworkPolicy \(default\/partner-cidr-only\)/,
    );
    expect(out.cause.hint).toMatch(
      /A NetworkPolicy may be blocking: the pods see the PLS NAT IPs, not your address/,
    );
  });

  it("plsctl netpol --apply admits it with externalTrafficPolicy: Local (exit 0, source = a NAT IP)", async () => {
    const applied = await runCli(["netpol", "web-local", "--apply"], { env: t.env });
    expect(applied.code, applied.stderr).toBe(0);
    const r = await byEndpoint("pe-local", "--http", "/");
    expect(r.code, r.stdout).toBe(0);
    expect(w.local.natIps).toContain(JSON.parse(r.stdout).http.sourceIp);
  });

  it("with Cluster the plsctl policy blocks (node IP source): netpol refuses it, --force applies it", async () => {
    const refused = await runCli(["netpol", "web", "--apply"], { env: t.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Not applied: .*would block every partner/);
    expect(refused.stdout).toBe("");
    await expect(
      policies.readNamespacedNetworkPolicy({ name: "web-private-link", namespace: "default" }),
    ).rejects.toThrow();
    const applied = await runCli(["netpol", "web", "--apply", "--force"], { env: t.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/externalTrafficPolicy: Cluster: .*node IP.*would block the partner/);
    const r = await byEndpoint("pe-web");
    expect(r.code).toBe(1);
    const cause = JSON.parse(r.stdout).cause;
    expect(cause.kind).toBe("timeout");
    const source = /drops connections from (\S+) to pod default\/hello-1/.exec(cause.message)?.[1];
    expect(w.nodeIps).toContain(source);
  });

  it("without the policies the same endpoint is reached again", async () => {
    for (const name of ["partner-cidr-only", "web-local-private-link", "web-private-link"])
      await policies.deleteNamespacedNetworkPolicy({ name, namespace: "default" });
    const r = await byEndpoint("pe-web");
    expect(r.code, r.stdout).toBe(0);
  });
});
