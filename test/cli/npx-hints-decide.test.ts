/**
 * `approve <service> <name>` with a name no connection has (a typo): exit 3, and the hint's command
 * to list the names reads as the user ran plsctl — `npx plsctl connections` under npx.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";

const t = useSandbox();

beforeAll(async () => {
  await exposeToPartner(t, "web", "pls-web");
});

describe("approve: an unknown connection name", () => {
  it("under npx, the hint names npx plsctl connections", async () => {
    const r = await runCli(["approve", "web", "pe-nope"], {
      env: { ...sandboxEnv(t.sb, "ci"), npm_command: "exec" },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("No connection named pe-nope on pls-web.");
    expect(r.stderr).toContain("list them with `npx plsctl connections` and the same Service or --pls.");
  });

  it("run as plsctl, it names plsctl connections", async () => {
    const r = await runCli(["approve", "web", "pe-nope"], { env: sandboxEnv(t.sb, "ci") });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("list them with `plsctl connections`");
    expect(r.stderr).not.toContain("npx");
  });
});
