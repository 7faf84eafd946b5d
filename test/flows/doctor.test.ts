/** plsctl doctor against the default sandbox world: each Service-side check in its PASS and FAIL/WARN state, -o json, exit codes. */
import { describe, expect, it } from "vitest";
import { CHECK_IDS, PREFLIGHT_IDS } from "../../src/domain/doctor.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { A, annotate, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox({ retry: { baseMs: 60_000, maxMs: 60_000 } });

async function doctor(...args: string[]) {
  const r = await runCli(["doctor", ...args, "-o", "json"], { env: t.env });
  const checks = JSON.parse(r.stdout).checks as Array<{
    id: string;
    status: string;
    detail: string;
    fix: string | null;
  }>;
  const by = Object.fromEntries(checks.map((c) => [c.id, c]));
  return { code: r.code, checks, by, stderr: r.stderr };
}

describe("doctor <service>", () => {
  it("a ready Service: every check passes but visibility (warn), exit 0, stable ids, JSON shape", async () => {
    await createService(t.core, "web", INTERNAL);
    const r = await doctor("web");
    expect(r.code, r.stderr).toBe(0);
    expect(r.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of r.checks) {
      expect(Object.keys(c).sort()).toEqual(["detail", "fix", "id", "status", "title"]);
      expect(c.status, `${c.id}: ${c.detail}`).toBe(c.id === "pls.visibility" ? "warn" : "pass");
    }
    expect(r.by["azure.credential"]?.detail).toContain(
      t.sb.world.identities.find((i) => i.name === "provider")?.objectId,
    );
    expect(r.by["rbac.cluster-identity"]?.detail).toMatch(
      /cluster identity 2d3e4f5a-.*not the kubelet identity 6a7b8c9d-/,
    );
    expect(`${r.checks.map((c) => c.detail).join("")}`).not.toContain(t.env.PLSCTL_ACCESS_TOKEN);
  });

  it("table: one line per check with its status word and the fix under it (no colour without a TTY)", async () => {
    const r = await runCli(["doctor", "web"], { env: t.env });
    expect(r.stdout).toMatch(/^PASS {2}kube\.access {2}/m);
    expect(r.stdout).toMatch(
      /^WARN {2}pls\.visibility {2}.*\n {2,}fix: plsctl expose web -n default --visibility/m,
    );
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stdout).toMatch(/default\/web: 16 passed, 1 warning, 0 failed\n$/);
  });

  it("a Service that does not exist: service.exists FAILs (exit 1), what depends on it WARNs 'not checked'", async () => {
    const r = await doctor("nope");
    expect(r.code).toBe(1);
    expect(r.by["service.exists"]).toMatchObject({ status: "fail", detail: expect.stringContaining("nope") });
    expect(r.by["service.type"]).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/^Not checked: .*service\.exists/),
    });
    expect(r.by["kube.access"]?.status).toBe("pass");
  });

  it("FAILs a ClusterIP Service, a non-exact internal annotation, an invalid annotation; WARNs proxy protocol with Local", async () => {
    await createService(t.core, "cip", {}, { type: "ClusterIP" });
    await createService(t.core, "pub", { [`${A}azure-load-balancer-internal`]: "True" });
    await createService(t.core, "badann", {
      ...INTERNAL,
      [`${A}azure-pls-ip-configuration-ip-address-count`]: "9",
    });
    await createService(
      t.core,
      "proxy",
      { ...INTERNAL, [`${A}azure-pls-proxy-protocol`]: "true" },
      { externalTrafficPolicy: "Local" },
    );
    const cip = await doctor("cip");
    expect(cip.code).toBe(1);
    expect(cip.by["service.type"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("--make-internal"),
    });
    const pub = await doctor("pub");
    expect(pub.by["service.internal"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining('"True"'),
    });
    const bad = await doctor("badann");
    expect(bad.by["service.annotations"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("1 to 8"),
    });
    const proxy = await doctor("proxy");
    expect(proxy.by["service.proxy-protocol"]).toMatchObject({
      status: "warn",
      fix: expect.stringContaining("health-probe"),
    });
    expect(proxy.code).toBe(0);
  });

  it("visibility: PASS when visible to the partner, WARN when auto-approval is not visible", async () => {
    const partner = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    await createService(t.core, "vis", { ...INTERNAL, [`${A}azure-pls-visibility`]: partner });
    await createService(t.core, "auto", { ...INTERNAL, [`${A}azure-pls-auto-approval`]: partner });
    expect((await doctor("vis")).by["pls.visibility"]?.status).toBe("pass");
    expect((await doctor("auto")).by["pls.visibility"]).toMatchObject({
      status: "warn",
      fix: expect.stringContaining(`--visibility ${partner}`),
    });
  });

  it("a NAT subnet that does not exist FAILs nat.subnet, naming the VNet's subnets", async () => {
    const r = await doctor("web", "--nat-subnet", "nope-subnet");
    expect(r.code).toBe(1);
    expect(r.by["nat.subnet"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("pls-nat-subnet"),
    });
  });

  it("after a controller failure: events.sync FAILs with the translation; pls.name FAILs for a name another Service owns", async () => {
    await createService(t.core, "broken", INTERNAL);
    const ex = await runCli(
      ["expose", "broken", "--nat-subnet", "pls-nat-subnet", "--nat-ip", "10.225.0.40"],
      { env: t.env },
    );
    expect(ex.code, ex.stderr).toBe(0);
    await annotate(t.core, "broken", { [`${A}azure-pls-ip-configuration-subnet`]: "aks-subnet" });
    await t.sb.controller.idle();
    const r = await doctor("broken");
    expect(r.code).toBe(1);
    expect(r.by["events.sync"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("PrivateIPAddressNotInSubnet"),
    });
    expect(r.by["events.sync"]?.fix).toMatch(/NAT/);

    await createService(t.core, "named", INTERNAL);
    const ok = await runCli(["expose", "named", "--pls-name", "pls-web"], { env: t.env });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await doctor("named")).by["pls.name"]).toMatchObject({
      status: "pass",
      detail: expect.stringContaining("belongs to default/named"),
    });
    await createService(t.core, "thief", { ...INTERNAL, [`${A}azure-pls-name`]: "pls-web" });
    expect((await doctor("thief")).by["pls.name"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("Service default/named"),
    });
  });
});

describe("doctor without a Service (preflight)", () => {
  it("runs the preflight subset with --nat-subnet and --pls-resource-group as expose takes them", async () => {
    const r = await doctor("--nat-subnet", "pls-nat-subnet", "--pls-resource-group", "rg-aks");
    expect(r.code, r.stderr).toBe(0);
    expect(r.checks.map((c) => c.id)).toEqual([...PREFLIGHT_IDS]);
    expect(r.by["nat.subnet"]?.detail).toContain("pls-nat-subnet");
    expect(r.by["azure.location"]?.detail).toContain("PLS resource group rg-aks");
  });

  it("FAILs kube.access when the cluster cannot be reached, and still runs the rest", async () => {
    const r = await runCli(["doctor", "-o", "json"], {
      env: { ...t.env, KUBECONFIG: "/nonexistent/kubeconfig" },
    });
    expect(r.code).toBe(1);
    const by = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string }) => [c.id, c]));
    expect(by["kube.access"]).toMatchObject({ status: "fail" });
    expect(by["azure.credential"]).toMatchObject({ status: "pass" });
  });

  it("FAILs azure.credential when ARM rejects the token", async () => {
    const r = await runCli(["doctor", "-o", "json"], {
      env: { ...t.env, PLSCTL_ACCESS_TOKEN: "not-a-token" },
    });
    expect(r.code).toBe(1);
    const by = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string }) => [c.id, c]));
    expect(by["azure.credential"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("rejected"),
    });
  });
});
