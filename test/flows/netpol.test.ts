/**
 * `plsctl netpol` against the sandbox: what it needs first (a PLS), what it warns about
 * (externalTrafficPolicy), --apply idempotent and visible to kubectl, a foreign policy left alone,
 * the drift `status` reports after a NAT IP change and its end after a re-apply, and bad input.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { NetworkingV1Api } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites } from "../helpers/sandbox-sdk.js";
import { kubectlBinaries } from "../sandbox/helpers/kube.js";
import { kubeConfigOf } from "../sandbox/helpers/sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();
let net: NetworkingV1Api;
beforeAll(() => {
  net = kubeConfigOf(t.sb).makeApiClient(NetworkingV1Api);
});

const LOCAL = { externalTrafficPolicy: "Local" };

async function exposed(name: string, flags: string[] = [], spec: Record<string, unknown> = LOCAL) {
  await createService(t.core, name, INTERNAL, spec);
  const r = await runCli(["expose", name, ...flags, "-o", "json"], { env: t.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { natIps: string[] };
}

const read = (name: string) => net.readNamespacedNetworkPolicy({ name, namespace: "default" });

describe("netpol: before and around the policy", () => {
  it("exits 3 and says to expose first when the Service has no PLS", async () => {
    await createService(t.core, "bare", INTERNAL);
    const r = await runCli(["netpol", "bare"], { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Service default\/bare has no Private Link Service/);
    expect(r.stderr).toMatch(/plsctl expose bare -n default/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("warns with the kubectl patch when externalTrafficPolicy is Cluster, and explains proxy protocol", async () => {
    await exposed("cluster-etp", [], {});
    const r = await runCli(["netpol", "cluster-etp"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: Service default\/cluster-etp has externalTrafficPolicy: Cluster: .*node IP/,
    );
    expect(r.stderr).toContain(
      `kubectl patch svc cluster-etp -n default -p '{"spec":{"externalTrafficPolicy":"Local"}}'`,
    );
    expect(r.stderr).toMatch(/proxy protocol v2/);
    expect(parse(r.stdout).kind).toBe("NetworkPolicy");
  });

  it("does not warn with externalTrafficPolicy: Local; -q keeps only the manifest", async () => {
    await exposed("local-etp");
    const r = await runCli(["netpol", "local-etp"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning:/);
    const quiet = await runCli(["netpol", "local-etp", "-q"], { env: t.env });
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toBe(r.stdout);
  });

  it("refuses a Service without a selector (exit 2)", async () => {
    await exposed("no-selector", [], { ...LOCAL, selector: undefined });
    const r = await runCli(["netpol", "no-selector"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no selector/);
  });

  it.each([
    [["--allow-cidr", "10.0.0.1/24"], /host bits set/],
    [["--allow-cidr", "fd00::/8"], /IPv6/],
    [["--name", "Not_A_Name"], /not a valid Kubernetes object name/],
    [["--flavor", "calico"], /argument 'calico' is invalid/],
  ])("refuses %j with exit 2 and writes nothing", async (flags, why) => {
    await t.sb.controller.idle();
    const before = kubeWrites(t.sb);
    const r = await runCli(["netpol", "local-etp", "--apply", ...flags], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(kubeWrites(t.sb)).toBe(before);
  });
});

describe("netpol --apply", () => {
  it("creates the policy, then writes nothing on a re-run; kubectl sees it", async () => {
    const { natIps } = await exposed("applied");
    const first = await runCli(["netpol", "applied", "--apply"], { env: t.env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("NetworkPolicy default/applied-private-link created");
    const created = await read("applied-private-link");
    expect(created.spec?.ingress?.[0]?._from?.map((f) => f.ipBlock?.cidr)).toEqual(
      natIps.map((ip) => `${ip}/32`),
    );
    expect(created.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("plsctl");

    await t.sb.controller.idle();
    const writes = kubeWrites(t.sb);
    const again = await runCli(["netpol", "applied", "--apply"], { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      "NetworkPolicy default/applied-private-link is up to date; nothing changed",
    );
    expect(kubeWrites(t.sb)).toBe(writes);
    const after = await read("applied-private-link");
    expect(after.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(after.metadata?.generation).toBe(created.metadata?.generation);
    expect(again.stdout).toBe(first.stdout);

    const kubectl = kubectlBinaries().at(-1);
    if (!kubectl) return; // no kubectl on this machine: the client-node reads above stand
    // Asynchronously: the sandbox answers kubectl from this very process.
    const args = ["get", "networkpolicy", "applied-private-link", "-o", "yaml"];
    const { stdout } = await promisify(execFile)(kubectl.bin, [
      "--kubeconfig",
      t.sb.kube.kubeconfigPath,
      ...args,
    ]);
    const seen = parse(stdout);
    expect(seen.spec).toEqual(parse(first.stdout).spec);
    expect(seen.metadata.labels).toMatchObject({ "plsctl.io/service": "applied" });
  });

  it("refuses (exit 2, nothing written) a policy that would block the partners; --force applies it", async () => {
    await exposed("cluster-apply", [], {});
    await t.sb.controller.idle();
    const before = kubeWrites(t.sb);
    const r = await runCli(["netpol", "cluster-apply", "--apply"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /Not applied: Service default\/cluster-apply has externalTrafficPolicy: Cluster, so this policy would block every partner's traffic/,
    );
    expect(r.stderr).toMatch(/pass --force to apply it anyway/);
    expect(kubeWrites(t.sb)).toBe(before);
    await expect(read("cluster-apply-private-link")).rejects.toThrow();

    const forced = await runCli(["netpol", "cluster-apply", "--apply", "--force"], { env: t.env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/warning: .*would block the partner/);
    expect(forced.stderr).toContain("NetworkPolicy default/cluster-apply-private-link created");
  });

  it("leaves a policy of the same name alone when plsctl did not write it (exit 2)", async () => {
    await exposed("foreign");
    await net.createNamespacedNetworkPolicy({
      namespace: "default",
      body: { metadata: { name: "foreign-private-link" }, spec: { podSelector: {}, ingress: [{}] } },
    });
    const r = await runCli(["netpol", "foreign", "--apply"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and was not written by plsctl/);
    expect((await read("foreign-private-link")).spec?.ingress).toEqual([{}]);
  });

  it("--flavor cilium --apply on a cluster without Cilium: exit 3, with the fix", async () => {
    await t.sb.controller.idle();
    const before = kubeWrites(t.sb);
    const r = await runCli(["netpol", "applied", "--flavor", "cilium", "--apply"], { env: t.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not serve cilium\.io\/v2 CiliumNetworkPolicy/);
    expect(r.stderr).toMatch(/Drop --flavor cilium.*--network-dataplane cilium/s);
    expect(r.stdout).toBe("");
    expect(kubeWrites(t.sb)).toBe(before);
  });
});

describe("status and NAT IP changes", () => {
  it("warns once the NAT IPs changed, and no more after netpol --apply", async () => {
    await exposed("drift", ["--nat-subnet", "pls-nat-subnet", "--nat-ip-count", "1"]);
    const none = await runCli(["status", "drift", "-o", "json"], { env: t.env });
    expect(JSON.parse(none.stdout).policyWarnings).toEqual([]);

    const applied = await runCli(["netpol", "drift", "--apply", "--allow-cidr", "10.240.0.0/16"], {
      env: t.env,
    });
    expect(applied.code, applied.stderr).toBe(0);
    const clean = await runCli(["status", "drift", "-o", "json"], { env: t.env });
    expect(JSON.parse(clean.stdout).policyWarnings).toEqual([]);
    expect(clean.stderr).not.toMatch(/warning:/);

    const grown = await runCli(["expose", "drift", "--nat-ip-count", "3", "-o", "json"], { env: t.env });
    expect(grown.code, grown.stderr).toBe(0);
    const natIps: string[] = JSON.parse(grown.stdout).natIps;
    expect(natIps).toHaveLength(3);

    const fix = "plsctl netpol drift -n default --apply --allow-cidr 10.240.0.0/16";
    const warned = await runCli(["status", "drift", "-o", "json"], { env: t.env });
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout).policyWarnings).toEqual([
      {
        policy: "default/drift-private-link",
        message: expect.stringMatching(
          /out of date: it does not admit NAT IP\(s\) 10\.225\.0\.\d+\/32, 10\.225/,
        ),
        fix,
      },
    ]);
    expect(warned.stderr).toMatch(/warning: NetworkPolicy default\/drift-private-link is out of date/);
    expect(warned.stderr).toContain(`Fix: ${fix}`);

    const reapplied = await runCli(fix.split(" ").slice(1), { env: t.env });
    expect(reapplied.code, reapplied.stderr).toBe(0);
    expect(reapplied.stderr).toContain("NetworkPolicy default/drift-private-link replaced");
    const cidrs = (await read("drift-private-link")).spec?.ingress?.[0]?._from?.map((f) => f.ipBlock?.cidr);
    expect(cidrs).toEqual([...natIps.map((ip) => `${ip}/32`), "10.240.0.0/16"]);
    const after = await runCli(["status", "drift", "-o", "json"], { env: t.env });
    expect(JSON.parse(after.stdout).policyWarnings).toEqual([]);
  });
});
