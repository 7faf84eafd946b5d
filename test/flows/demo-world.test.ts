/**
 * `plsctl demo --world <file>`: the walkthrough on examples/landing-zone.yaml (node resource group
 * lockdown, user-assigned control plane, Azure CNI, a management-group role assignment) exposes
 * into the world's PLS resource group outside MC_ (beside another cluster's PLS with the same tags),
 * the partner's record goes into the hub's central zone, and it ends with the partner reaching the
 * app; a locked world that names no such group, a world PLS holding the demo's PLS name there, and
 * a broken file are refused before anything is deployed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { DemoResult } from "../../src/domain/demo.js";
import { loadWorldFile } from "../../src/sandbox/world-file.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp.js";

const LANDING_ZONE = fileURLToPath(new URL("../../examples/landing-zone.yaml", import.meta.url));

describe("plsctl demo --world examples/landing-zone.yaml", () => {
  let out: DemoResult;
  beforeAll(async () => {
    const r = await runCli(["demo", "--world", LANDING_ZONE, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    out = JSON.parse(r.stdout);
  });

  it("the world is the landing zone: locked MC_, user-assigned control plane, Azure CNI, a management group", () => {
    const w = loadWorldFile(LANDING_ZONE);
    const mc = w.managedClusters[0];
    expect(mc).toMatchObject({
      nodeResourceGroupRestrictionLevel: "ReadOnly",
      controlPlaneIdentityType: "UserAssigned",
      network: "azure-cni",
      plsResourceGroup: "rg-pls",
    });
    const ctl = w.identities.find((i) => i.name === mc?.controllerIdentity);
    expect(ctl?.roleAssignments.map((a) => a.scope)).toContain(
      "/providers/Microsoft.Management/managementGroups/contoso-corp",
    );
  });

  it("exposes into rg-pls, outside the node resource group, and prints that expose line", () => {
    expect(out.expose.resourceGroup).toBe("rg-pls");
    expect(out.expose.id).toMatch(
      /\/resourceGroups\/rg-pls\/providers\/Microsoft\.Network\/privateLinkServices\/pls-app$/,
    );
    expect(out.expose.id).not.toMatch(/\/resourceGroups\/MC_/i);
    const commands = out.steps.flatMap((s) => s.commands);
    expect(commands).toContain(`plsctl sandbox up --world ${LANDING_ZONE}`);
    expect(
      commands.some(
        (c) => c.startsWith("plsctl expose sample-app") && c.endsWith("--pls-resource-group rg-pls"),
      ),
    ).toBe(true);
  });

  it("the CI approves there and the partner reaches the app", () => {
    expect(out.approve.exitCode).toBe(0);
    expect(out.approve.results).toEqual([expect.objectContaining({ outcome: "approved" })]);
    expect(out.connected.state).toBe("Approved");
    expect(out.verify).toMatchObject({ reached: true, status: 200 });
  });

  it("the partner's connect writes into the hub's central zone linked to its spoke", () => {
    const hubZone =
      "/subscriptions/5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/fabrikam.internal";
    for (const c of [out.connect, out.connected]) {
      expect(c.dns).toMatchObject({ zone: "fabrikam.internal", zoneId: hubZone, central: true });
    }
  });
});

describe("plsctl demo --world refusals", () => {
  it("a locked cluster without plsResourceGroup: exit 2, naming the field to add", async () => {
    const w = loadWorldFile(LANDING_ZONE);
    delete w.managedClusters[0]?.plsResourceGroup;
    const file = join(tempDir("plsctl-lz-"), "locked.yaml");
    writeFileSync(file, stringify(w));
    const r = await runCli(["demo", "--world", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("locked node resource group");
    expect(r.stderr).toContain("plsResourceGroup:");
  });

  it("a world PLS already named pls-app where the demo exposes: exit 2 before the deploy, naming the entry to rename", async () => {
    const w = loadWorldFile(LANDING_ZONE);
    const other = w.privateLinkServices?.[0];
    expect(other?.resourceGroup).toBe("rg-pls");
    if (other) other.name = "pls-app";
    const file = join(tempDir("plsctl-lz-"), "clash.yaml");
    writeFileSync(file, stringify(w));
    const r = await runCli(["demo", "--world", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already has a Private Link Service named pls-app in resource group rg-pls");
    expect(r.stderr).toContain("Rename that entry of privateLinkServices in the world file");
    expect(r.stderr).not.toContain("Deploying examples/sample-app.yaml");
  });

  it("an invalid world file: exit 2 naming the problem", async () => {
    const file = join(tempDir("plsctl-lz-"), "bad.yaml");
    writeFileSync(file, "tenants: []\nsubscriptions: nope\n");
    const r = await runCli(["demo", "--world", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("subscriptions: must be a list");
  });
});
