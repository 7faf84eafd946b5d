/**
 * The approve line `connect` prints names the PLS by its alias: the provider's CI identity (roles
 * scoped to resource groups) runs it as is, and the partner's identity running it is told, exit 4,
 * that it cannot read the provider's PLS — as with the PLS's id.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approveCommand } from "../../src/domain/connect.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { networkAs, partnerEndpoints } from "../helpers/sandbox-sdk.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let plsId = "";
let alias = "";

/** The words of a command line as the shell would split it (approveCommand quotes only what needs it). */
const words = (line: string) => (line.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ""));

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
  alias =
    (await networkAs(t.sb, "provider").privateLinkServices.get("MC_rg-aks_aks-demo_westeurope", "pls-web"))
      .alias ?? "";
  await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-by-alias", message: "fabrikam" });
});

describe("approve --pls <alias>", () => {
  it("the partner's identity: exit 4, it cannot read the provider's PLS (as by id)", async () => {
    const env = sandboxEnv(t.sb, "partner");
    const byAlias = await runCli([...words(approveCommand(alias, "pe-by-alias-1", PART)).slice(1)], { env });
    expect(byAlias.code, byAlias.stderr).toBe(4);
    expect(byAlias.stderr).toMatch(/this identity cannot read it/);
    const byId = await runCli(["approve", "--pls", plsId, "pe-by-alias-1"], { env });
    expect(byId.code).toBe(4);
  });

  it("the provider's CI identity (roles on resource groups) runs the line connect printed: approved", async () => {
    const line = approveCommand(alias, "pe-by-alias-1", PART);
    const r = await runCli([...words(line).slice(1), "-o", "json"], { env: sandboxEnv(t.sb, "ci") });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.approved).toBe(1);
  });
});
