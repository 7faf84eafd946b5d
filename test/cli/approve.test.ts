/** approve / connections / policy through the CLI in-process: exit codes, stderr, -o json. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
  await partnerEndpoints(t.sb, plsId, 3, { message: "fabrikam prod" });
});

describe("plsctl approve", () => {
  it("without a selector: exit 2, nothing sent", async () => {
    t.sb.arm.resetCounters();
    const r = await runCli(["approve", "web"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never approves connections implicitly/);
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("an invalid --message-match: exit 2", async () => {
    const r = await runCli(["approve", "web", "--message-match", "(", "-o", "json"], { env: t.env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(
      /--message-match \( is not a valid regular expression/,
    );
  });

  it("a policy file with errors: exit 2, each naming file, line and field; nothing written", async () => {
    const file = join(tempDir("plsctl-policy-"), "partners.yaml");
    writeFileSync(
      file,
      `partners:\n  - name: fabrikam\n    subscriptions: [not-a-guid]\n  - name: x\n    subscriptions: [${PART}]\n    colour: blue\n`,
    );
    t.sb.arm.resetCounters();
    const r = await runCli(["approve", "web", "--policy", file], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}:3: partners[0].subscriptions[0]: not-a-guid is not a subscription id`,
    );
    expect(r.stderr).toContain(`${file}:6: partners[1].colour: unknown field`);
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("-o json: the documented object; --dry-run writes nothing; then the approval, as CI", async () => {
    const env = sandboxEnv(t.sb, "ci");
    t.sb.arm.resetCounters();
    const dry = await runCli(["approve", "--pls", plsId, "--all-pending", "--dry-run", "-o", "json"], {
      env,
    });
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({ verb: "approve", dryRun: true, summary: { approved: 3 } });
    expect(armWrites(t.sb, "ci")).toBe(0);
    const r = await runCli(["approve", "--pls", plsId, "--all-pending", "-o", "json"], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0]).toEqual({
      pls: "pls-web",
      plsId,
      name: expect.stringMatching(/^pe-1\./),
      requester: PART,
      privateEndpointId: expect.stringContaining("/privateEndpoints/pe-1"),
      from: "Pending",
      to: "Approved",
      action: "approve",
      outcome: "approved",
      reason: "selected",
      rule: null,
      description: "Approved by plsctl [plsctl rule=cli]",
    });
    expect(doc.summary).toEqual({ approved: 3, rejected: 0, removed: 0, skipped: 0, refused: 0, failed: 0 });
  });

  it("refused (approve a Rejected connection): the table on stdout, exit 1", async () => {
    const env = sandboxEnv(t.sb, "ci");
    expect((await runCli(["reject", "--pls", plsId, "pe-3"], { env })).code).toBe(0);
    const r = await runCli(["approve", "--pls", plsId, "pe-3"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/refused/);
    expect(r.stdout).toMatch(/1 refused\./);
  });
});

describe("plsctl connections", () => {
  it("lists the connections, filtered by --state, as JSON", async () => {
    const r = await runCli(["connections", "web", "--state", "approved", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.pls).toEqual([{ name: "pls-web", id: plsId }]);
    expect(doc.connections.map((c: { privateEndpointName: string }) => c.privateEndpointName)).toEqual([
      "pe-1",
      "pe-2",
    ]);
    expect(doc.connections[0]).toMatchObject({
      pls: "pls-web",
      status: "Approved",
      requesterSubscription: PART,
    });
  });

  it("--all finds the AKS-made PLSs of the subscription without Kubernetes", async () => {
    const env = { ...t.env, KUBECONFIG: "/nonexistent/kubeconfig" };
    const r = await runCli(["connections", "--all", "--cluster-name", "kubernetes"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pe-1\./);
    const none = await runCli(["connections", "--all", "--cluster-name", "other", "-o", "json"], { env });
    expect(JSON.parse(none.stdout).pls).toEqual([]);
  });

  it("needs exactly one way to name the PLS (exit 2)", async () => {
    expect((await runCli(["connections"], { env: t.env })).code).toBe(2);
    expect((await runCli(["connections", "web", "--all"], { env: t.env })).code).toBe(2);
  });
});

describe("plsctl policy schema", () => {
  it("prints the JSON Schema", async () => {
    const r = await runCli(["policy", "schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: "object", required: ["partners"] });
  });
});
