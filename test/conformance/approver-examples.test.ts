/**
 * The continuous approver's examples: the two manifests are applied with kubectl to the
 * Kubernetes emulator (server-side dry run, then for real), and checked for what the README
 * promises (workload identity, RBAC for the Lease only, the policy mounted from a ConfigMap, the
 * plsctl command line); the GitHub workflow is parsed and its structure checked. The kubectl cases
 * are skipped, with that reason, where no kubectl is installed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kubectlBinaries, startTestKube, type TestKube } from "../sandbox/helpers/kube.js";

const KUBECTL = kubectlBinaries().at(-1)?.bin;
const NO_KUBECTL = "kubectl is not installed (not on PATH)";
const EXAMPLES = join(import.meta.dirname, "../../examples");
const DEPLOYMENT = join(EXAMPLES, "approver-deployment.yaml");
const CRONJOB = join(EXAMPLES, "approver-cronjob.yaml");

// biome-ignore lint/suspicious/noExplicitAny: parsed manifests are walked by known paths
type Doc = Record<string, any>;
const docs = (file: string): Doc[] =>
  parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as Doc);
const byKind = (file: string, kind: string): Doc[] => docs(file).filter((d) => d.kind === kind);

let k: TestKube;
beforeAll(async () => {
  k = await startTestKube();
});
afterAll(async () => {
  expect(k.emu.counters().unrouted).toBe(0);
  await k.stop();
});

describe("approver manifests, applied with kubectl", () => {
  it.for([
    [
      "approver-deployment.yaml",
      DEPLOYMENT,
      ["deployment.apps/plsctl-approver", "role.rbac.authorization.k8s.io/plsctl-approver-lease"],
    ],
    ["approver-cronjob.yaml", CRONJOB, ["cronjob.batch/plsctl-approver"]],
  ] as const)("%s: server-side dry run, then a real apply", async ([, file, names], ctx) => {
    ctx.skip(KUBECTL === undefined, NO_KUBECTL);
    const bin = KUBECTL as string;
    // A server-side dry run cannot create the namespace its objects go to (as on a real cluster).
    const ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: plsctl-approver\n";
    expect((await k.kubectl(bin, ["apply", "-f", "-"], ns)).code).toBe(0);
    const dry = await k.kubectl(bin, ["apply", "-f", file, "--dry-run=server"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    for (const n of names) expect(dry.stdout).toContain(`${n} created (server dry run)`);
    expect(dry.stdout).toMatch(
      /serviceaccount\/plsctl-approver (created|configured|unchanged) \(server dry run\)/,
    );
    const real = await k.kubectl(bin, ["apply", "-f", file]);
    expect(real.stderr).toBe("");
    expect(real.code).toBe(0);
    for (const n of names)
      expect(real.stdout).toMatch(new RegExp(`${n.replace(/\./g, "\\.")} (created|configured|unchanged)`));
    const got = await k.kubectl(bin, [
      "get",
      "serviceaccounts,configmaps,roles,rolebindings,deployments,cronjobs",
      "-n",
      "plsctl-approver",
      "-o",
      "name",
    ]);
    expect(got.code).toBe(0);
    for (const n of names) expect(got.stdout).toContain(n);
    expect(got.stdout).toContain("serviceaccount/plsctl-approver");
    expect(got.stdout).toContain("configmap/plsctl-policy");
  });
});

describe("approver manifests, their content", () => {
  it.each([DEPLOYMENT, CRONJOB])("%s: workload identity, the policy from a ConfigMap", (file) => {
    const [sa] = byKind(file, "ServiceAccount");
    expect(sa?.metadata.annotations["azure.workload.identity/client-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const workload = byKind(file, "Deployment")[0]?.spec ?? byKind(file, "CronJob")[0]?.spec.jobTemplate.spec;
    const pod = workload.template;
    expect(pod.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect(pod.spec.serviceAccountName).toBe(sa?.metadata.name);
    const [container] = pod.spec.containers;
    // The image release.yml pushes (plsctl as its entrypoint): no npx, no download at pod start.
    expect(container.image).toMatch(/^ghcr\.io\/[a-z0-9-]+\/plsctl:\d+\.\d+\.\d+$/);
    expect(container.command).toBeUndefined();
    const argv: string[] = container.args;
    expect(argv[0]).toBe("approve");
    expect(argv).toEqual(expect.arrayContaining(["--policy", "/etc/plsctl/partners.yaml", "--all"]));
    // The image's user, a read-only root filesystem, /tmp writable for Node's compile cache.
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const tmp = container.volumeMounts.find((m: Doc) => m.mountPath === "/tmp");
    expect(pod.spec.volumes.find((v: Doc) => v.name === tmp?.name)?.emptyDir).toEqual({});
    const [cm] = byKind(file, "ConfigMap");
    expect(parse(cm?.data["partners.yaml"]).partners[0].name).toBe("fabrikam");
    expect(pod.spec.volumes[0].configMap.name).toBe(cm?.metadata.name);
    expect(container.volumeMounts[0].mountPath).toBe("/etc/plsctl");
  });

  it("deployment: two replicas electing a leader through a Lease, RBAC for that Lease and for Events only", () => {
    const [deploy] = byKind(DEPLOYMENT, "Deployment");
    expect(deploy?.spec.replicas).toBe(2);
    const args: string[] = deploy?.spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(["--watch", "--leader-elect"]));
    expect(args[args.indexOf("--lease-name") + 1]).toBe("plsctl-approver");
    const [role] = byKind(DEPLOYMENT, "Role");
    const leaseRules = (role?.rules ?? []).filter((r: Doc) => r.resources.includes("leases"));
    for (const rule of leaseRules) {
      expect(rule.apiGroups).toEqual(["coordination.k8s.io"]);
      expect(rule.resources).toEqual(["leases"]);
      for (const v of rule.verbs) expect(["get", "create", "update"]).toContain(v);
    }
    const verbs = leaseRules.flatMap((r: Doc) => r.verbs).sort();
    expect(verbs).toEqual(["create", "get", "update"]);
    const others = (role?.rules ?? []).filter((r: Doc) => !r.resources.includes("leases"));
    expect(others).toEqual([{ apiGroups: [""], resources: ["events"], verbs: ["create"] }]);
    const named = (role?.rules ?? []).find((r: Doc) => r.resourceNames);
    expect(named?.resourceNames).toEqual(["plsctl-approver"]);
    const [binding] = byKind(DEPLOYMENT, "RoleBinding");
    expect(binding?.roleRef).toMatchObject({ kind: "Role", name: role?.metadata.name });
    expect(binding?.subjects).toEqual([
      { kind: "ServiceAccount", name: "plsctl-approver", namespace: "plsctl-approver" },
    ]);
  });

  it("deployment: metrics on every interface, probed and scraped; time to stop gently", () => {
    const [deploy] = byKind(DEPLOYMENT, "Deployment");
    const pod = deploy?.spec.template;
    const [container] = pod.spec.containers;
    const args: string[] = container.args;
    expect(args[args.indexOf("--metrics-addr") + 1]).toBe("0.0.0.0:9464");
    expect(container.ports).toEqual([{ name: "metrics", containerPort: 9464 }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(pod.metadata.annotations).toEqual({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9464",
      "prometheus.io/path": "/metrics",
    });
    // plsctl's own grace for a write in flight (20 s) fits in the pod's.
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it("cronjob: one pass every 5 minutes, never two at once", () => {
    const [cj] = byKind(CRONJOB, "CronJob");
    expect(cj?.spec.schedule).toBe("*/5 * * * *");
    expect(cj?.spec.concurrencyPolicy).toBe("Forbid");
    const args: string[] = cj?.spec.jobTemplate.spec.template.spec.containers[0].args;
    expect(args).not.toContain("--watch");
  });
});

describe("GitHub Actions workflow", () => {
  it("runs on a schedule and by hand, logs in by OIDC, then runs plsctl approve with the policy", () => {
    const wf = parse(readFileSync(join(EXAMPLES, "github-actions-approve.yml"), "utf8"));
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(wf.on.schedule[0].cron).toBeTypeOf("string");
    expect(wf.permissions["id-token"]).toBe("write");
    const steps: Doc[] = wf.jobs.approve.steps;
    const uses = steps.map((s) => String(s.uses ?? "").split("@")[0]);
    const login = steps[uses.indexOf("azure/login")];
    expect(Object.keys(login?.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
    expect(login?.with["client-id"]).toMatch(/^\$\{\{ secrets\.AZURE_CLIENT_ID \}\}$/);
    expect(login?.with["tenant-id"]).toMatch(/^\$\{\{ secrets\.AZURE_TENANT_ID \}\}$/);
    expect(login?.with["subscription-id"]).toMatch(/^\$\{\{ secrets\.AZURE_SUBSCRIPTION_ID \}\}$/);
    expect(steps[uses.indexOf("actions/setup-node")]?.with["node-version"]).toBe(22);
    const run = steps.findIndex((s) => /plsctl/.test(String(s.run ?? "")));
    expect(steps[run]?.run).toMatch(/^npx -y plsctl@[\d.]+ approve --policy partners\.yaml --all -o json$/);
    // Login and Node come before plsctl.
    expect(uses.indexOf("azure/login")).toBeLessThan(run);
    expect(uses.indexOf("actions/setup-node")).toBeLessThan(run);
  });
});
