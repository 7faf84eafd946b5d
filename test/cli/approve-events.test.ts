/**
 * Kubernetes Events for decisions: `approve/reject/remove <service>` records one core/v1 Event per
 * landed write on the Service (as `kubectl describe svc` selects them: involvedObject kind, name,
 * uid), with the requester subscription and the policy rule; --pls records none (no Service); an
 * Event that cannot be written (RBAC) is a warning, never a failed decision.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { kubectlBinaries } from "../sandbox/helpers/kube.js";

const KUBECTL = kubectlBinaries().at(-1)?.bin;

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "evented", "pls-evented");
});

/** The Service's events by plsctl, as kubectl describe finds them (kind, name and uid). */
async function plsctlEvents(service: string) {
  const svc = await t.core.readNamespacedService({ namespace: "default", name: service });
  const list = await t.core.listNamespacedEvent({
    namespace: "default",
    fieldSelector: `involvedObject.kind=Service,involvedObject.name=${service},involvedObject.uid=${svc.metadata?.uid}`,
  });
  return list.items.filter((e) => e.source?.component === "plsctl");
}

describe("Events on the Service for decisions", () => {
  it("approve <service> --policy: one PrivateEndpointApproved per approval, with the rule and the requester", async () => {
    const [pe] = await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-ev-a", message: "fabrikam" });
    const policy = join(tempDir("plsctl-ev-"), "partners.yaml");
    writeFileSync(policy, `partners:\n  - name: fabrikam\n    subscriptions: [${PART}]\n`);
    const before = (await plsctlEvents("evented")).length;
    const r = await runCli(["approve", "evented", "--policy", policy], {
      env: { ...t.env, HOSTNAME: "approver-0" },
    });
    expect(r.code, r.stderr).toBe(0);
    const events = (await plsctlEvents("evented")).slice(before);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      type: "Normal",
      reason: "PrivateEndpointApproved",
      reportingComponent: "plsctl",
      reportingInstance: "approver-0",
      count: 1,
      involvedObject: { kind: "Service", namespace: "default", name: "evented" },
    });
    expect(e?.message).toMatch(
      new RegExp(`^Approved private endpoint connection ${pe}\\S* of pls-evented: `),
    );
    expect(e?.message).toContain(`requester subscription ${PART}`);
    expect(e?.message).toContain("policy rule fabrikam");
    // A re-run writes nothing, and so records nothing.
    const again = await runCli(["approve", "evented", "--policy", policy], { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect((await plsctlEvents("evented")).slice(before)).toHaveLength(1);
  });

  it("reject and remove: PrivateEndpointRejected, PrivateEndpointRemoved", async () => {
    const [a, b] = await partnerEndpoints(t.sb, plsId, 2, { prefix: "pe-ev-r", message: "contoso" });
    const before = (await plsctlEvents("evented")).length;
    const rej = await runCli(["reject", "evented", a as string], { env: t.env });
    expect(rej.code, rej.stderr).toBe(0);
    const rem = await runCli(["remove", "evented", b as string], { env: t.env });
    expect(rem.code, rem.stderr).toBe(0);
    const events = (await plsctlEvents("evented")).slice(before);
    expect(events.map((e) => e.reason)).toEqual(["PrivateEndpointRejected", "PrivateEndpointRemoved"]);
    expect(events[0]?.message).toContain("no policy rule (selected on the command line)");
    expect(events[1]?.message).toMatch(/^Removed private endpoint connection /);
  });

  it("--pls: no Service, no Event", async () => {
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-ev-p", message: "pls" });
    const before = (await plsctlEvents("evented")).length;
    const r = await runCli(["approve", "--pls", plsId, "--message-match", "^pls$"], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/approved/);
    expect(await plsctlEvents("evented")).toHaveLength(before);
  });

  it("an Event refused (403, no RBAC for events): a warning; the approval stands, exit 0", async () => {
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-ev-f", message: "forbidden" });
    const before = (await plsctlEvents("evented")).length;
    t.sb.kube.setFaults([{ kind: "status", verb: "create", path: "/events$", status: 403 }]);
    try {
      const r = await runCli(["approve", "evented", "--message-match", "^forbidden$", "-o", "json"], {
        env: t.env,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).summary.approved).toBe(1);
      expect(r.stderr).toMatch(/warning: Could not record the decisions as Events on Service evented: /);
      expect(r.stderr).toMatch(/grant plsctl `create` on events/);
    } finally {
      t.sb.kube.setFaults([]);
    }
    expect(await plsctlEvents("evented")).toHaveLength(before);
  });

  it("kubectl describe svc shows them beside the controller's events", async (ctx) => {
    ctx.skip(KUBECTL === undefined, "kubectl is not installed (not on PATH)");
    const home = tempDir("plsctl-kubectl-");
    const out = await new Promise<string>((done, fail) =>
      execFile(
        KUBECTL as string,
        ["describe", "svc", "evented"],
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            KUBECONFIG: t.env.KUBECONFIG ?? "",
            NO_COLOR: "1",
          },
        },
        (err, stdout, stderr) => (err ? fail(new Error(stderr || err.message)) : done(stdout)),
      ),
    );
    expect(out).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
    expect(out).toMatch(/Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+/);
    expect(out).toMatch(
      /Normal\s+PrivateEndpointApproved\s+\S+\s+plsctl\s+Approved private endpoint connection pe-ev-a-1\S* of pls-evented: requester subscription [0-9a-f-]{36}, policy rule fabrikam/,
    );
  });
});
