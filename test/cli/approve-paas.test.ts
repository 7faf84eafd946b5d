/**
 * The provider of a PaaS target (Key Vault, SQL server, Storage account) decides its connections
 * with plsctl too: `connections`, `approve`, `reject` and `remove` take the resource's id, with
 * the same selectors, policy and rules, against the sandbox's PaaS connection operations.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";

const PROV = DEFAULT_IDS.providerSubscriptionId;
const PART = DEFAULT_IDS.partnerSubscriptionId;
const DATA = `/subscriptions/${PROV}/resourceGroups/rg-data/providers`;
const t = useSandbox();

const TARGETS = [
  ["vault", `${DATA}/Microsoft.KeyVault/vaults/kv-contoso-demo`],
  ["sqlServer", `${DATA}/Microsoft.Sql/servers/sql-contoso-demo`],
  ["blob", `${DATA}/Microsoft.Storage/storageAccounts/stcontosodemo`],
] as const;

const provider = (args: string[]) => runCli([...args, "-o", "json"], { env: sandboxEnv(t.sb, "provider") });

async function partnerConnects(id: string, group: string, name: string, message = "fabrikam prod") {
  const r = await runCli(
    [
      "connect",
      "--pls",
      id,
      "--group-id",
      group,
      "-g",
      "rg-partner",
      "--vnet",
      "spoke01",
      "--subnet",
      "pe-subnet",
      "--name",
      name,
      "--request-message",
      message,
      "-o",
      "json",
    ],
    { env: sandboxEnv(t.sb, "partner") },
  );
  expect(r.code, r.stderr).toBe(0);
}

describe.each(TARGETS)("%s: the owner decides with plsctl", (group, id) => {
  it("connections lists the request; approve --all-pending approves it once; a re-run writes nothing", async () => {
    const pe = `pe-${group.toLowerCase()}-1`;
    await partnerConnects(id, group, pe);
    const listed = await provider(["connections", "--pls", id]);
    expect(listed.code, listed.stderr).toBe(0);
    const mine = JSON.parse(listed.stdout).connections.filter(
      (c: { privateEndpointName: string }) => c.privateEndpointName === pe,
    );
    expect(mine).toMatchObject([
      { status: "Pending", description: "fabrikam prod", requesterSubscription: PART },
    ]);
    t.sb.arm.resetCounters();
    const approved = await provider(["approve", "--pls", id, pe, "--from-subscription", PART]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout).summary).toMatchObject({ approved: 1, failed: 0 });
    // SQL's PUT answers 202: plsctl follows its monitor to the end before it reports the approval.
    const polls = t.sb.arm.counters().byIdentity.provider?.byOperation.Operations_Poll ?? 0;
    expect(polls > 0).toBe(group === "sqlServer");
    t.sb.arm.resetCounters();
    const again = await provider(["approve", "--pls", id, pe]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toMatchObject({ approved: 0, skipped: 1 });
    expect(armWrites(t.sb, "provider")).toBe(0);
    const after = await provider(["connections", "--pls", id, "--state", "approved"]);
    expect(
      JSON.parse(after.stdout).connections.map((c: { privateEndpointName: string }) => c.privateEndpointName),
    ).toContain(pe);
  });
});

describe("Key Vault: the same rules as a PLS", () => {
  const [, vault] = TARGETS[0];

  it("reject, then approve by name is refused (exit 1); remove twice is exit 0", async () => {
    await partnerConnects(vault, "vault", "pe-kv-rej");
    expect((await provider(["reject", "--pls", vault, "pe-kv-rej"])).code).toBe(0);
    const refused = await provider(["approve", "--pls", vault, "pe-kv-rej"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).results[0].outcome).toBe("refused");
    expect((await provider(["remove", "--pls", vault, "pe-kv-rej"])).code).toBe(0);
    const again = await provider(["remove", "--pls", vault, "pe-kv-rej"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).absent).toEqual(["pe-kv-rej"]);
  });

  it("approve --policy: an entry's services may name the vault", async () => {
    await partnerConnects(vault, "vault", "pe-kv-pol", "fabrikam policy");
    const file = join(tempDir("plsctl-policy-"), "partners.yaml");
    writeFileSync(
      file,
      `partners:\n  - name: fabrikam\n    subscriptions: [${PART}]\n    message: "^fabrikam policy"\n    services: [kv-contoso-demo]\n    description: "Fabrikam vault access"\n`,
    );
    const r = await provider(["approve", "--pls", vault, "--policy", file]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(
      doc.results
        .filter((d: { outcome: string }) => d.outcome === "approved")
        .map((d: { name: string }) => d.name),
    ).toEqual([expect.stringMatching(/^pe-kv-pol/)]);
    expect(doc.results.find((d: { outcome: string }) => d.outcome === "approved").description).toEqual(
      expect.stringMatching(/^Fabrikam vault access \[plsctl rule=fabrikam rev=[0-9a-f]{12}\]$/),
    );
  });

  it("a vault that does not exist: exit 3, nothing written", async () => {
    t.sb.arm.resetCounters();
    const r = await provider([
      "approve",
      "--pls",
      vault.replace("kv-contoso-demo", "kv-nope"),
      "--all-pending",
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toMatch(
      /Key Vault kv-nope does not exist in resource group rg-data/,
    );
    expect(armWrites(t.sb, "provider")).toBe(0);
  });

  it("the CI identity without a role on the vault's group: exit 4, naming the action", async () => {
    const r = await runCli(["connections", "--pls", vault], { env: sandboxEnv(t.sb, "ci") });
    expect(r.code).toBe(4);
  });
});
