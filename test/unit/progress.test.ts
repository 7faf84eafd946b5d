/** The words of the flows' progress events: what users read on stderr, one event at a time. */
import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/domain/progress.js";
import { wordProgress } from "../../src/output/progress.js";

const worded: Array<[ProgressEvent, string, string | undefined]> = [
  [{ kind: "annotated", service: "default/web", changed: true }, "phase", "Annotated Service default/web"],
  [
    { kind: "annotated", service: "default/web", changed: false },
    "phase",
    "Service default/web already has these settings; nothing to change",
  ],
  [
    { kind: "reconcile-requested", service: "default/web" },
    "info",
    "Service default/web already asks for a Private Link Service, but there is none (deleted, or the controller's last attempt failed): asking the AKS controller to reconcile it again",
  ],
  [{ kind: "not-waiting", service: "default/web" }, "done", undefined],
  [{ kind: "pls-ready", name: "pls-app" }, "done", "Private Link Service pls-app is ready"],
  [{ kind: "waiting-lb-ip" }, "phase", "Waiting for the load balancer IP"],
  [{ kind: "waiting-pls" }, "phase", "Waiting for the Private Link Service"],
  [{ kind: "lb-ip-assigned" }, "phase", "Load balancer IP assigned; waiting for the Private Link Service"],
  [
    { kind: "pls-provisioning", name: "pls-app", state: "Updating" },
    "phase",
    "Waiting for Private Link Service pls-app (Updating)",
  ],
  [
    { kind: "pls-waiting-lb-ip", name: "pls-app" },
    "phase",
    "Waiting for Private Link Service pls-app (Succeeded; no load balancer IP yet)",
  ],
  [
    { kind: "pls-catching-up", name: "pls-app", missing: ["fqdns", "visibility"] },
    "phase",
    "Waiting for Private Link Service pls-app to show fqdns, visibility",
  ],
  [
    { kind: "waiting-sync", service: "default/web" },
    "phase",
    "Waiting for the AKS controller to finish its sync of default/web",
  ],
  [{ kind: "pls-provisioned", name: "pls-app" }, "phase", "Private Link Service pls-app provisioned"],
  [
    { kind: "removing-annotations", service: "default/web" },
    "phase",
    "Removing the Private Link annotations from default/web",
  ],
  [{ kind: "removing-connection", name: "pe-1" }, "phase", "Removing connection pe-1"],
  [{ kind: "deleting-pls", name: "pls-app" }, "phase", "Deleting Private Link Service pls-app"],
  [{ kind: "unexposed", service: "default/web", changed: true }, "done", "default/web is no longer exposed"],
  [
    { kind: "unexposed", service: "default/web", changed: false },
    "done",
    "default/web was not exposed; nothing to do",
  ],
  [{ kind: "sandbox-starting", realistic: false }, "phase", "Starting the sandbox"],
  [
    { kind: "sandbox-starting", realistic: true },
    "phase",
    "Starting the sandbox (realistic delays: minutes, like AKS)",
  ],
  [
    { kind: "deploying-sample-app", file: "examples/sample-app.yaml" },
    "phase",
    "Deploying examples/sample-app.yaml (a Pod and an internal LoadBalancer Service)",
  ],
  [
    { kind: "demo-step", actor: "partner", command: 'eval "$(plsctl sandbox env --as partner)"' },
    "info",
    'As the partner: eval "$(plsctl sandbox env --as partner)"',
  ],
  [{ kind: "sandbox-resetting" }, "info", "Resetting the sandbox to its world (SIGHUP)…"],
  [{ kind: "sandbox-reset" }, "info", "Sandbox reset."],
  [{ kind: "sandbox-stopped" }, "info", "Sandbox stopped; its state is kept."],
  [
    { kind: "leader-waiting", identity: "pod-b_1f2e", lease: "plsctl/approver", holder: "pod-a_9c0d" },
    "info",
    "Waiting as follower (pod-b_1f2e): Lease plsctl/approver is held by pod-a_9c0d",
  ],
  [
    { kind: "leader-elected", identity: "pod-b_1f2e", lease: "plsctl/approver" },
    "info",
    "Leader now (pod-b_1f2e, Lease plsctl/approver)",
  ],
  [
    { kind: "leader-lost", identity: "pod-b_1f2e", lease: "plsctl/approver", reason: "no renewal for 10s" },
    "info",
    "Lost leadership (pod-b_1f2e, Lease plsctl/approver): no renewal for 10s",
  ],
  [
    { kind: "watch-pass-done", pass: 3, summary: "2 approved, 1 skipped", nextInMs: 29_400 },
    "info",
    "Pass 3 done: 2 approved, 1 skipped; next in 29s",
  ],
  [{ kind: "watch-pass-done", pass: 4, summary: undefined, nextInMs: undefined }, "info", "Pass 4 done"],
];

describe("progress words", () => {
  it.each(worded.map(([e, as, text]) => [e.kind, e, as, text] as const))("%s", (_kind, event, as, text) => {
    expect(wordProgress(event)).toEqual(text === undefined ? { as } : { as, text });
  });
});
