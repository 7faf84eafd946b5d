import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("plsctl demo", () => {
  it("exposes the sample app on a throwaway sandbox", async () => {
    const r = await runCli(["demo", "-o", "json"]);
    expect(r.stderr).toContain("Deploying examples/sample-app.yaml");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.deployed).toEqual([
      { kind: "Pod", name: "pls-app", created: true },
      { kind: "Service", name: "sample-app", created: true },
    ]);
    expect(out.expose).toMatchObject({ name: "pls-app", provisioningState: "Succeeded", changed: true });
    expect(out.expose.alias).toMatch(/^pls-app\..+\.westeurope\.azure\.privatelinkservice$/);
  });
});
