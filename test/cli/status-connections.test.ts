/** `status` and `connections` name a connection's endpoint the same way: by name in the table, name and id in JSON. */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";

const t = useSandbox();

beforeAll(async () => {
  const plsId = await exposeToPartner(t, "web", "pls-web");
  await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-vocab", message: "fabrikam" });
});

describe("one vocabulary for a connection's endpoint", () => {
  it.each([["status"], ["connections"]])(
    "%s: the endpoint's name in the table, never its full id",
    async (verb) => {
      const r = await runCli([verb, "web"], { env: t.env });
      expect(r.code, r.stderr).toBe(0);
      const row = r.stdout.split("\n").find((l) => l.includes("pe-vocab-1.")) ?? "";
      expect(row).toMatch(/\spe-vocab-1\s/);
      expect(r.stdout).not.toMatch(/providers\/Microsoft\.Network\/privateEndpoints\/pe-vocab-1/);
    },
  );

  it("-o json: both carry privateEndpointName and privateEndpointId", async () => {
    const status = JSON.parse((await runCli(["status", "web", "-o", "json"], { env: t.env })).stdout);
    const listed = JSON.parse((await runCli(["connections", "web", "-o", "json"], { env: t.env })).stdout);
    for (const c of [status.connections[0], listed.connections[0]]) {
      expect(c.privateEndpointName).toBe("pe-vocab-1");
      expect(c.privateEndpointId).toMatch(/\/privateEndpoints\/pe-vocab-1$/);
    }
  });
});
