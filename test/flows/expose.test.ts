import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL, PLS_CREATE } from "../sandbox/helpers/services.js";

const PARTNER = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();

const annotations = async (name: string) =>
  (await t.core.readNamespacedService({ name, namespace: "default" })).metadata?.annotations ?? {};

/** Each test exposes its own Service, so that it passes alone (`-t`) as in the whole file. */
async function exposed(name: string, flags: string[]): Promise<void> {
  await createService(t.core, name, INTERNAL);
  const r = await runCli(["expose", name, ...flags], { env: t.env });
  expect(r.code, r.stderr).toBe(0);
}

describe("expose against the sandbox", () => {
  it("creates the PLS, records it on the Service and prints what to send the partner", async () => {
    await createService(t.core, "sample-app", INTERNAL);
    const r = await runCli(["expose", "sample-app", "--pls-name", "pls-app", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Annotated Service default/sample-app");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      name: "pls-app",
      resourceGroup: expect.stringMatching(/^MC_rg-aks_aks-demo_westeurope$/i),
      subscriptionId: DEFAULT_IDS.providerSubscriptionId,
      service: { namespace: "default", name: "sample-app" },
      provisioningState: "Succeeded",
      visibility: [],
      autoApproval: [],
      proxyProtocol: false,
      changed: true,
    });
    expect(out.alias).toMatch(/^pls-app\.[0-9a-f-]{36}\.westeurope\.azure\.privatelinkservice$/);
    expect(out.id).toMatch(/\/providers\/Microsoft\.Network\/privateLinkServices\/pls-app$/);
    expect(out.connectCommand).toBe(
      `plsctl connect --pls ${out.alias} --resource-group <your-resource-group> --vnet <your-vnet> --subnet <your-subnet> --request-message '<who you are>'`,
    );
    expect(out.loadBalancerIp).toMatch(/^10\.224\.0\.\d+$/);
    expect(out.natIps).toEqual([expect.stringMatching(/^10\.224\.0\.\d+$/)]);
    const a = await annotations("sample-app");
    expect(a).toMatchObject({
      "service.beta.kubernetes.io/azure-pls-create": "true",
      "service.beta.kubernetes.io/azure-pls-name": "pls-app",
      "plsctl.io/pls-alias": out.alias,
      "plsctl.io/pls-id": out.id,
    });
  });

  it("prints a readable summary on a terminal", async () => {
    await exposed("summary-app", ["--pls-name", "pls-summary"]);
    const r = await runCli(["expose", "summary-app", "--pls-name", "pls-summary", "--no-color"], {
      env: t.env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Private Link Service: +pls-summary$/m);
    expect(r.stdout).toMatch(/^Alias: +pls-summary\..*\.azure\.privatelinkservice$/m);
    // No --visibility: no partner can see it yet; says so and how to add them, then the line to send.
    expect(r.stdout).not.toContain("Send this to your partner");
    expect(r.stdout).toMatch(
      /No partner can see this Private Link Service yet: its visibility is empty, so only principals with RBAC permissions on it/,
    );
    expect(r.stdout).toContain(
      "Add each partner's subscription: plsctl expose summary-app -n default --visibility <their subscription id>\n",
    );
    expect(r.stdout).toMatch(/Then send them:\n {2}plsctl connect --pls pls-summary\./);
    const shared = await runCli(["expose", "summary-app", "--visibility", PARTNER, "--no-color"], {
      env: t.env,
    });
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toMatch(/Send this to your partner.*\n {2}plsctl connect --pls pls-summary\./);
    expect(shared.stdout).not.toContain("No partner can see");
    expect(r.stderr).toContain("already has these settings; nothing to change");
  });

  it("the commands it prints for the operator run as the operator ran expose: npx, --context", async () => {
    await exposed("ctx-app", ["--pls-name", "pls-ctx"]);
    const r = await runCli(["expose", "ctx-app", "--context", "aks-demo", "--no-color"], {
      env: { ...t.env, npm_command: "exec" },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "Add each partner's subscription: npx plsctl expose ctx-app -n default --context aks-demo --visibility <their subscription id>\n",
    );
  });

  it("applies every flag", async () => {
    await createService(t.core, "shop", INTERNAL, { externalTrafficPolicy: "Cluster" });
    const r = await runCli(
      [
        "expose",
        "shop",
        "--pls-name",
        "pls-shop",
        "--nat-subnet",
        "pls-nat-subnet",
        "--nat-ip",
        "10.225.0.10",
        "--nat-ip",
        "10.225.0.11",
        "--nat-ip-count",
        "3",
        "--fqdn",
        "shop.contoso.com",
        "--proxy-protocol",
        "--visibility",
        PARTNER,
        "--auto-approve",
        PARTNER,
        "--internal-subnet",
        "aks-subnet",
        "-o",
        "json",
      ],
      { env: t.env },
    );
    expect(r.stderr).not.toContain("warning");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      name: "pls-shop",
      visibility: [PARTNER],
      autoApproval: [PARTNER],
      fqdns: ["shop.contoso.com"],
      proxyProtocol: true,
      provisioningState: "Succeeded",
    });
    expect(out.natIps).toHaveLength(3);
    expect(out.natIps).toEqual(expect.arrayContaining(["10.225.0.10", "10.225.0.11"]));
    expect(await annotations("shop")).toMatchObject({
      "service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address": "10.225.0.10 10.225.0.11",
      "service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address-count": "3",
      "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "aks-subnet",
    });
  });

  it("puts the PLS in --pls-resource-group", async () => {
    await createService(t.core, "elsewhere", INTERNAL);
    const r = await runCli(["expose", "elsewhere", "--pls-resource-group", "rg-aks", "-o", "json"], {
      env: t.env,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ resourceGroup: "rg-aks", provisioningState: "Succeeded" });
    expect(out.id).toMatch(
      /\/resourceGroups\/rg-aks\/providers\/Microsoft\.Network\/privateLinkServices\/pls-a/,
    );
    const status = await runCli(["status", "elsewhere", "-o", "json"], { env: t.env });
    expect(JSON.parse(status.stdout)).toMatchObject({ id: out.id });
    const moved = await runCli(
      ["expose", "elsewhere", "--pls-resource-group", "MC_rg-aks_aks-demo_westeurope"],
      { env: t.env },
    );
    expect(moved.code).toBe(2);
    expect(moved.stderr).toMatch(
      /already has its Private Link Service in resource group rg-aks; AKS cannot move it/,
    );
  });

  it("writes nothing when re-run with the same flags", async () => {
    await exposed("rerun", [
      "--pls-name",
      "pls-rerun",
      "--proxy-protocol",
      "--visibility",
      PARTNER,
      "--auto-approve",
      PARTNER,
      "--fqdn",
      "rerun.contoso.com",
    ]);
    await t.sb.controller.idle();
    const before = {
      kube: kubeWrites(t.sb),
      provider: armWrites(t.sb, "provider"),
      controller: armWrites(t.sb, "aks-controller"),
    };
    // A subset of the flags: the ones not given keep their annotations.
    const argv = [
      "expose",
      "rerun",
      "--pls-name",
      "pls-rerun",
      "--proxy-protocol",
      "--visibility",
      PARTNER,
      "-o",
      "json",
    ];
    const r = await runCli(argv, { env: t.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      changed: false,
      name: "pls-rerun",
      fqdns: ["rerun.contoso.com"],
      autoApproval: [PARTNER],
      provisioningState: "Succeeded",
    });
    await t.sb.controller.idle();
    expect({
      kube: kubeWrites(t.sb),
      provider: armWrites(t.sb, "provider"),
      controller: armWrites(t.sb, "aks-controller"),
    }).toEqual(before);
  });

  describe("on an exposed Service", () => {
    beforeAll(async () => {
      await exposed("guarded", ["--pls-name", "pls-guarded"]);
      await t.sb.controller.idle();
    });

    it.each([
      [["--nat-ip-count", "12"], /out of range/],
      [["--pls-name", "other-name"], /cannot rename it to "other-name"/],
      [["--visibility", "not-a-guid"], /not a subscription id/],
    ])("refuses %j with exit 2 and writes nothing", async (flags, message) => {
      const before = kubeWrites(t.sb);
      const r = await runCli(["expose", "guarded", ...flags], { env: t.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
      expect(kubeWrites(t.sb)).toBe(before);
    });
  });

  it("checks the Service before writing", async () => {
    await t.core.createNamespacedService({
      namespace: "default",
      body: { metadata: { name: "plain" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } },
    });
    await createService(t.core, "public", {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "True",
    });
    await t.sb.controller.idle();
    const before = kubeWrites(t.sb);
    const plain = await runCli(["expose", "plain"], { env: t.env });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(
      /type ClusterIP; a Private Link Service needs a Service of type LoadBalancer/,
    );
    const pub = await runCli(["expose", "public"], { env: t.env });
    expect(pub.code).toBe(2);
    expect(pub.stderr).toMatch(/exact lower-case "true"[\s\S]*--make-internal/);
    const missing = await runCli(["expose", "nope"], { env: t.env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/Service default\/nope not found/);
    expect(kubeWrites(t.sb)).toBe(before);
  });

  // expose refuses such flags before writing (test/flows/expose-preflight.test.ts); annotations
  // written by hand reach the controller, and expose reports its failure.
  it.each([
    [
      "bad-subnet",
      { "service.beta.kubernetes.io/azure-pls-ip-configuration-subnet": "no-such-subnet" },
      /failed to get private link service subnet\(no-such-subnet\)/,
      /NAT subnet "no-such-subnet" does not exist/,
    ],
    [
      "bad-ip",
      { "service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address": "10.99.0.5" },
      /create or update PLS/,
      /static --nat-ip|NAT subnet|outside/,
    ],
  ])(
    "surfaces the controller's failure (%s) at once with exit 1",
    async (name, annotations, message, hint) => {
      await createService(t.core, name, { ...PLS_CREATE, ...annotations });
      await t.sb.controller.idle();
      const r = await runCli(["expose", name, "--timeout", "2m"], { env: t.env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(hint);
    },
  );

  it("returns at once with --no-wait", async () => {
    await createService(t.core, "nowait", INTERNAL);
    const r = await runCli(["expose", "nowait", "--no-wait", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ changed: true, service: { name: "nowait" } });
    expect((await annotations("nowait"))["service.beta.kubernetes.io/azure-pls-create"]).toBe("true");
    expect((await annotations("nowait"))["plsctl.io/pls-id"]).toBeUndefined();
  });
});
