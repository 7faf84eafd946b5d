/**
 * What leader election and the approver's example manifests need from the Kubernetes emulator:
 * Leases with the apiserver's optimistic concurrency (create of an existing name: 409
 * AlreadyExists; update with a stale resourceVersion: 409 Conflict), and stored-only kinds
 * (ServiceAccount, ConfigMap, Role, RoleBinding, Deployment, CronJob) served with discovery.
 */
import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  V1MicroTime,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKube, type TestKube } from "./helpers/kube.js";

let k: TestKube;
let kc: KubeConfig;

beforeAll(async () => {
  k = await startTestKube();
  kc = new KubeConfig();
  kc.loadFromFile(k.emu.kubeconfigPath);
});

afterAll(async () => {
  expect(k.emu.counters().unrouted).toBe(0);
  await k.stop();
});

const codeOf = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => "resolved",
    (e: unknown) => (e as { code?: unknown }).code,
  );

describe("coordination.k8s.io/v1 leases", () => {
  it("guards writes as the apiserver does: AlreadyExists on create, Conflict on a stale update", async () => {
    const api = kc.makeApiClient(CoordinationV1Api);
    const namespace = "default";
    const body = {
      metadata: { name: "plsctl-approver" },
      spec: { holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 },
    };
    const created = await api.createNamespacedLease({ namespace, body });
    expect(created.spec?.holderIdentity).toBe("a");
    expect(await codeOf(api.createNamespacedLease({ namespace, body }))).toBe(409);

    const rv = created.metadata?.resourceVersion;
    const renewTime = new V1MicroTime("2025-06-01T12:00:01.250Z");
    const renewed = await api.replaceNamespacedLease({
      name: "plsctl-approver",
      namespace,
      body: { ...created, spec: { ...created.spec, renewTime } },
    });
    expect(renewed.metadata?.resourceVersion).not.toBe(rv);
    // client-node hands MicroTimes back as the wire's strings.
    expect(String(renewed.spec?.renewTime)).toBe("2025-06-01T12:00:01.250000Z");
    // A second replica that read the lease before that renewal loses the race.
    const stale = { ...created, spec: { ...created.spec, holderIdentity: "b" } };
    expect(
      await codeOf(api.replaceNamespacedLease({ name: "plsctl-approver", namespace, body: stale })),
    ).toBe(409);
    const now = await api.readNamespacedLease({ name: "plsctl-approver", namespace });
    expect(now.spec?.holderIdentity).toBe("a");
  });

  it("refuses a renewTime that is not a MicroTime (six fractional digits), as the apiserver's decoder does", async () => {
    const api = kc.makeApiClient(CoordinationV1Api);
    const body = {
      metadata: { name: "millis" },
      spec: { holderIdentity: "a", renewTime: new Date("2025-06-01T12:00:01.250Z") },
    };
    expect(await codeOf(api.createNamespacedLease({ namespace: "default", body }))).toBe(400);
  });
});

describe("stored kinds for the example manifests", () => {
  it("creates and reads ServiceAccounts, ConfigMaps, Roles, RoleBindings, Deployments and CronJobs", async () => {
    const namespace = "default";
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "approver" } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: "policy" }, data: { "partners.yaml": "partners: []\n" } },
    });
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: "lease" },
        rules: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get"] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: "lease" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "lease" },
        subjects: [{ kind: "ServiceAccount", name: "approver", namespace }],
      },
    });
    const pod = { containers: [{ name: "c", image: "node:22-alpine" }] };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "approver" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "a" } },
          template: { metadata: { labels: { app: "a" } }, spec: pod },
        },
      },
    });
    await batch.createNamespacedCronJob({
      namespace,
      body: {
        metadata: { name: "approver" },
        spec: {
          schedule: "*/5 * * * *",
          jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: "Never" } } } },
        },
      },
    });
    expect((await core.readNamespacedConfigMap({ name: "policy", namespace })).data).toEqual({
      "partners.yaml": "partners: []\n",
    });
    expect((await rbac.readNamespacedRoleBinding({ name: "lease", namespace })).roleRef.name).toBe("lease");
    expect((await apps.readNamespacedDeployment({ name: "approver", namespace })).spec?.replicas).toBe(2);
    expect((await batch.readNamespacedCronJob({ name: "approver", namespace })).spec.schedule).toBe(
      "*/5 * * * *",
    );
    expect(
      (await core.listNamespacedServiceAccount({ namespace })).items.map((s) => s.metadata?.name),
    ).toContain("approver");
  });
});
