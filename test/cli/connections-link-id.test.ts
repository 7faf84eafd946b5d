/** The link id end to end: the ARM emulator's linkIdentifier, `connections` shows it, `--link-id` filters. */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";

const t = useSandbox();

interface Listed {
  privateEndpointName: string;
  linkIdentifier: string | null;
}

async function listed(args: string[] = []): Promise<Listed[]> {
  const r = await runCli(["connections", "links", "-o", "json", ...args], { env: t.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).connections;
}

beforeAll(async () => {
  const plsId = await exposeToPartner(t, "links", "pls-links");
  await partnerEndpoints(t.sb, plsId, 3, { prefix: "pe-link" });
});

describe("linkIdentifier", () => {
  it("every connection has a distinct unsigned 32-bit link id, the same on every read", async () => {
    const first = await listed();
    const ids = first.map((c) => c.linkIdentifier);
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(id).toMatch(/^\d+$/);
      expect(Number(id)).toBeGreaterThan(0);
      expect(Number(id)).toBeLessThanOrEqual(0xffffffff);
    }
    expect(new Set(ids).size).toBe(3);
    expect((await listed()).map((c) => c.linkIdentifier)).toEqual(ids);
  });

  it("the table has a link id column", async () => {
    const [c] = await listed();
    const r = await runCli(["connections", "links"], { env: t.env });
    expect(r.stdout).toMatch(/LINK ID/);
    expect(r.stdout).toContain(c?.linkIdentifier ?? "none");
  });

  it("--link-id finds the partner behind a number, with or without leading zeros", async () => {
    const all = await listed();
    const target = all[1] as Listed;
    const hit = await listed(["--link-id", `00${target.linkIdentifier}`]);
    expect(hit.map((c) => c.privateEndpointName)).toEqual([target.privateEndpointName]);
    const spare = [...Array(10).keys()].map(String).find((n) => !all.some((c) => c.linkIdentifier === n));
    expect(await listed(["--link-id", spare ?? "1"])).toEqual([]);
  });

  it("refuses a --link-id that is not an unsigned 32-bit integer: exit 2, no request", async () => {
    for (const bad of ["-1", "4294967296", "0x1f", "abc", "1.5"]) {
      t.sb.arm.resetCounters();
      const r = await runCli(["connections", "links", "--link-id", bad, "-o", "json"], { env: t.env });
      expect(r.code, bad).toBe(2);
      expect(JSON.parse(r.stdout).error.message).toMatch(/is not a link id/);
      expect(t.sb.arm.counters().total).toBe(0);
    }
  });
});
