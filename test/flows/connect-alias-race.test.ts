/**
 * The alias race with the sandbox's real setting: a new PLS's alias is unknown for
 * `aliasPropagationMs` (Azure/azure-rest-api-specs#20289), here 60 s on a fake clock that both the
 * sandbox and plsctl run on. The partner runs `connect --pls <alias>` right after the provider
 * exposed the Service: connect retries along its backoff and succeeds once the alias resolves; with
 * a `--timeout` shorter than the window it stops with exit 5, nothing created, and says to re-run.
 */
import { describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const clock = new FakeClock(Date.now());
const t = useSandbox({ clock, world: { ...defaultWorld(), emulator: { aliasPropagationMs: 60_000 } } });
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const connect = (args: string[]) =>
  runCli(["connect", ...where, ...args, "-o", "json"], { env: sandboxEnv(t.sb, "partner"), clock });

/** The provider exposes a new Service; returns its PLS's alias (unknown for 60 s from now). */
async function freshAlias(service: string): Promise<string> {
  await exposeToPartner(t, service, `pls-${service}`);
  return (await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, `pls-${service}`)).alias ?? "";
}

describe("connect right after expose, while the new alias propagates (aliasPropagationMs 60 s)", () => {
  it("retries with backoff, saying so, and creates the endpoint once the alias resolves", async () => {
    const alias = await freshAlias("race");
    const start = clock.now();
    clock.sleeps.length = 0;
    const r = await runClock(
      clock,
      connect(["--pls", alias, "--name", "pe-race", "--request-message", "Fabrikam"]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Pending", target: alias, changed: true });
    // Looks at 0, 5, 15, 35 and 65 s: the alias resolves at 60 s.
    expect(clock.sleeps).toEqual([5000, 10_000, 20_000, 30_000]);
    expect(clock.now() - start).toBe(65_000);
    for (const s of [5, 10, 20, 30])
      expect(r.stderr).toContain(`Alias not visible to this subscription yet; retrying in ${s} s`);
    // The first retry says why it waits, for how long at most, and how to stop.
    expect(r.stderr.match(/keeps trying for up to \d+ s/g)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /retrying in 5 s .*keeps trying for up to \d+ s, in case the alias is new and still propagating; Ctrl-C stops \(nothing is created yet\), --timeout <duration> shortens the wait/,
    );
    expect(r.stderr).toMatch(/Creating private endpoint pe-race \(manual connection\)/);
    const pls = await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, "pls-race");
    expect(
      pls.privateEndpointConnections?.map((c) => c.privateLinkServiceConnectionState?.description),
    ).toEqual(["Fabrikam"]);
  });

  it("a --timeout shorter than the window: exit 5, the alias may be new, nothing created; a later re-run connects", async () => {
    const alias = await freshAlias("late");
    const before = armWrites(t.sb, "partner");
    const r = await runClock(clock, connect(["--pls", alias, "--name", "pe-late", "--timeout", "30s"]));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /alias .* was still not visible to subscription .* after 30 s \(--timeout\)\. Nothing was created\./,
    );
    expect(r.stderr).toMatch(
      /A new Private Link Service's alias can take a few minutes to resolve in Azure: re-run this command/,
    );
    expect(r.stderr).not.toMatch(/retrying in 20 s/); // the look at 30 s is the last: no promise of another
    expect(armWrites(t.sb, "partner")).toBe(before);
    await expect(
      networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-late"),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    clock.advance(30_000); // the window has passed
    const again = await runClock(clock, connect(["--pls", alias, "--name", "pe-late", "--timeout", "30s"]));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ state: "Pending", changed: true });
  });

  it("--wait-approved: the alias retries and the approval wait share one --timeout", async () => {
    const alias = await freshAlias("shared");
    const start = clock.now();
    const r = await runClock(
      clock,
      connect(["--pls", alias, "--name", "pe-shared", "--wait-approved", "--timeout", "90s"]),
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Creating private endpoint pe-shared/); // at 65 s, once the alias resolved
    expect(r.stderr).toMatch(
      /Timed out after 90 s \(--timeout\) waiting for the provider to approve private endpoint pe-shared \(still Pending\)/,
    );
    expect(clock.now() - start).toBe(90_000);
  });
});
