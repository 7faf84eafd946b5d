/**
 * doctor with another cluster's PLS named and tagged like the Service's, in its PLS resource group.
 * No controller runs here: with one, AKS would take that PLS over (PR kubernetes-sigs/
 * cloud-provider-azure#10943 exempts a PLS tagged for the Service), which is what doctor warns of.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { FOREIGN_PLS, SHARED_RG, sharedPlsWorld } from "../helpers/shared-pls-world.js";
import { A, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox({ world: sharedPlsWorld(), controller: false });

describe("doctor and another cluster's PLS with the Service's tags and name", () => {
  beforeAll(async () => {
    await createService(t.core, "web", {
      ...INTERNAL,
      [`${A}azure-pls-resource-group`]: SHARED_RG,
      [`${A}azure-pls-name`]: FOREIGN_PLS,
    });
  });

  it("fails pls.name: the name is used on another frontend; never calls that PLS web's", async () => {
    const r = await runCli(["doctor", "web", "-o", "json"], { env: t.env });
    const checks = JSON.parse(r.stdout).checks as { id: string; status: string; detail: string }[];
    const name = checks.find((c) => c.id === "pls.name");
    expect(name).toMatchObject({ status: "fail" });
    expect(name?.detail).toMatch(/on another load balancer frontend[\s\S]*not this Service's/);
    expect(checks.find((c) => c.id === "pls.visibility")?.detail).not.toMatch(/Private Link Service pls-web/);
  });
});
