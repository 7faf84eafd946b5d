/**
 * plsctl connect / disconnect as the partner (other tenant) against the sandbox, through the real
 * SDK: by alias (manual), by id with auto-approval (automatic), not visible, visibility granted meanwhile,
 * --wait-approved (approve, reject, timeout) on an injected clock, idempotent re-runs, conflicts,
 * DNS, disconnect — with the sandbox's request counters as the proof of what was (not) written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { A, annotate, createService, PLS_CREATE } from "../sandbox/helpers/services.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const t = useSandbox();
let partner: Record<string, string>;
let plsId = "";
let alias = "";
const net = () => networkAs(t.sb, "partner");
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const connect = (args: string[], o: { clock?: FakeClock } = {}) =>
  runCli(["connect", ...where, ...args, "-o", "json"], { env: partner, ...o });
const writes = () => armWrites(t.sb, "partner");

async function aliasOf(pls: string): Promise<string> {
  return (await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, pls)).alias ?? "";
}

/** The provider's view of the connection of endpoint `pe`. */
async function connectionOf(pls: string, pe: string) {
  for await (const c of networkAs(t.sb, "provider").privateLinkServices.listPrivateEndpointConnections(
    NODE_RG,
    pls,
  ))
    if (c.privateEndpoint?.id?.endsWith(`/${pe}`)) return c;
  return undefined;
}

beforeAll(async () => {
  partner = sandboxEnv(t.sb, "partner");
  plsId = await exposeToPartner(t, "web", "pls-web");
  alias = await aliasOf("pls-web");
});

describe("plsctl connect", () => {
  it("by alias: a manual connection, Pending, the request message on the provider's side, the IP from the NIC", async () => {
    const r = await connect([
      "--pls",
      alias,
      "--name",
      "pe-alias",
      "--request-message",
      "Fabrikam, ticket 42",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      manual: true,
      state: "Pending",
      targetKind: "alias",
      target: alias,
      changed: true,
    });
    expect(out.privateIp).toMatch(/^10\.0\.0\.\d+$/);
    expect(out.endpoint.id).toMatch(/\/privateEndpoints\/pe-alias$/);
    expect(out.approveCommand).toBe(`plsctl approve --pls ${alias} pe-alias --from-subscription ${PART}`);
    expect(r.stderr).toMatch(/Azure accepts an alias only in a manual connection/);
    const c = await connectionOf("pls-web", "pe-alias");
    expect(c?.privateLinkServiceConnectionState).toMatchObject({
      status: "Pending",
      description: "Fabrikam, ticket 42",
    });
    const nic = await net().networkInterfaces.get(
      "rg-partner",
      (await net().privateEndpoints.get("rg-partner", "pe-alias")).networkInterfaces?.[0]?.id
        ?.split("/")
        .pop() ?? "",
    );
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe(out.privateIp);
  });

  it("a re-run reuses the endpoint and writes nothing; the printed approve line approves it", async () => {
    const before = writes();
    const again = await connect([
      "--pls",
      alias,
      "--name",
      "pe-alias",
      "--request-message",
      "Fabrikam, ticket 42",
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, state: "Pending" });
    expect(writes()).toBe(before);
    const line: string = JSON.parse(again.stdout).approveCommand;
    const approved = await runCli(line.split(" ").slice(1), { env: t.env });
    expect(approved.code, approved.stderr).toBe(0);
    expect((await connectionOf("pls-web", "pe-alias"))?.privateLinkServiceConnectionState?.status).toBe(
      "Approved",
    );
    const after = JSON.parse((await connect(["--pls", alias, "--name", "pe-alias"])).stdout);
    expect(after).toMatchObject({ state: "Approved", approveCommand: null, changed: false });
  });

  it("an endpoint of that name to another target is refused with exit 2 and nothing written", async () => {
    const before = writes();
    const r = await connect(["--pls", plsId, "--name", "pe-alias"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists .* connects .*azure\.privatelinkservice/);
    // The command to run sits inside the hint, so the "See …" pointer after it cannot run into it.
    expect(r.stderr).toMatch(
      /\(plsctl disconnect --name pe-alias --resource-group rg-partner\), or pick another --name/,
    );
    expect(writes()).toBe(before);
  });

  it("by id with auto-approval, from another tenant: a manual connection (Azure's rule), Approved at once", async () => {
    await createService(t.core, "auto", {
      ...PLS_CREATE,
      [`${A}azure-pls-name`]: "pls-auto",
      [`${A}azure-pls-visibility`]: PART,
      [`${A}azure-pls-auto-approval`]: PART,
    });
    await t.sb.controller.idle();
    const id = (await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, "pls-auto")).id ?? "";
    const before = writes();
    const r = await connect(["--pls", id]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      endpoint: { name: "pe-pls-auto" },
      manual: true,
      state: "Approved",
      targetKind: "pls",
      approveCommand: null,
    });
    expect(r.stderr).toMatch(/Manual connection: the Private Link Service is in another tenant/);
    // Decided before writing: one endpoint PUT, no automatic one refused first.
    expect(writes()).toBe(before + 1);
  });

  it("not visible: retried for the alias race, then exit 3 saying what to ask the provider; nothing created", async () => {
    await createService(t.core, "hidden", { ...PLS_CREATE, [`${A}azure-pls-name`]: "pls-hidden" });
    await t.sb.controller.idle();
    const hidden = await aliasOf("pls-hidden");
    const before = writes();
    const clock = new FakeClock(Date.now());
    const r = await runClock(clock, connect(["--pls", hidden, "--name", "pe-hidden"], { clock }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not visible to subscription .*, or does not exist/);
    expect(r.stderr).toContain(`plsctl expose <service> --visibility ${PART}`);
    expect(r.stderr).toMatch(/retrying in 5 s/);
    expect(writes()).toBe(before);
    await expect(net().privateEndpoints.get("rg-partner", "pe-hidden")).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("visibility granted while connect retries: the endpoint is created (the propagation race itself: connect-alias-race.test.ts)", async () => {
    const hidden = await aliasOf("pls-hidden");
    const clock = new FakeClock(Date.now());
    const run = connect(["--pls", hidden, "--name", "pe-race"], { clock });
    await clock.sleeping(); // not visible: connect sleeps before its next look
    await annotate(t.core, "hidden", { [`${A}azure-pls-visibility`]: PART });
    await t.sb.controller.idle();
    const r = await runClock(clock, run);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Pending", endpoint: { name: "pe-race" } });
  });

  it("--wait-approved: waits on the clock while the provider runs the approve line it shows, then exit 0", async () => {
    const clock = new FakeClock(Date.now());
    let line = "";
    const run = runCli(
      ["connect", ...where, "--pls", alias, "--name", "pe-wait", "--wait-approved", "-o", "json"],
      {
        env: partner,
        clock,
        onStderr: (s) => {
          line ||= /they run: (plsctl approve .*)$/m.exec(s)?.[1] ?? "";
        },
      },
    );
    await clock.sleeping();
    expect(line).toBe(`plsctl approve --pls ${alias} pe-wait --from-subscription ${PART}`);
    expect((await runCli(line.split(" ").slice(1), { env: t.env })).code).toBe(0);
    const r = await runClock(clock, run);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: "Approved", approveCommand: null });
  });

  it("--wait-approved: a rejection ends it with exit 1 and the provider's description", async () => {
    const clock = new FakeClock(Date.now());
    const run = connect(["--pls", alias, "--name", "pe-rej", "--wait-approved"], { clock });
    await clock.sleeping();
    const rej = await runCli(
      ["reject", "--pls", plsId, "pe-rej", "--description", "unknown partner, call us"],
      { env: t.env },
    );
    expect(rej.code, rej.stderr).toBe(0);
    const r = await runClock(clock, run);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The provider rejected the connection of private endpoint pe-rej: unknown partner, call us/,
    );
  });

  it("--wait-approved: exit 5 at --timeout, and a re-run resumes without writing", async () => {
    const clock = new FakeClock(Date.now());
    const r = await runClock(
      clock,
      connect(["--pls", alias, "--name", "pe-slow", "--wait-approved", "--timeout", "1m"], { clock }),
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /Timed out after 60 s \(--timeout\) waiting for the provider to approve private endpoint pe-slow \(still Pending\)/,
    );
    const before = writes();
    const again = await connect(["--pls", alias, "--name", "pe-slow"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ state: "Pending", changed: false });
    expect(writes()).toBe(before);
  });

  it("--request-message over 140 characters: exit 2 before any request", async () => {
    t.sb.arm.resetCounters();
    const r = await connect(["--pls", alias, "--request-message", "x".repeat(141)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/141 characters long; Azure keeps at most 140/);
    expect(t.sb.arm.counters().total).toBe(0);
  });
});

describe("connect --dns-zone and disconnect", () => {
  const dns = ["--dns-zone", "fabrikam.internal", "--dns-name", "app"];
  const records = async () => {
    const { PrivateDnsManagementClient } = await import("@azure/arm-privatedns");
    const token = t.sb.arm.tokens.partner ?? "";
    const client = new PrivateDnsManagementClient(
      { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      PART,
      { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
    );
    return client;
  };

  it("creates the zone, links it to the VNet, writes the A record; a re-run writes nothing", async () => {
    const r = await connect(["--pls", alias, "--name", "pe-dns", ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fqdn).toBe("app.fabrikam.internal");
    const dnsc = await records();
    const rec = await dnsc.recordSets.get("rg-partner", "fabrikam.internal", "A", "app");
    expect(rec.aRecords).toEqual([{ ipv4Address: out.privateIp }]);
    expect(rec.metadata).toMatchObject({ managedBy: "plsctl" });
    const links = [];
    for await (const l of dnsc.virtualNetworkLinks.list("rg-partner", "fabrikam.internal")) links.push(l);
    expect(links).toHaveLength(1);
    expect(links[0]?.registrationEnabled).toBe(false);
    const before = writes();
    const again = await connect(["--pls", alias, "--name", "pe-dns", ...dns]);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, fqdn: "app.fabrikam.internal" });
    expect(writes()).toBe(before);
  });

  it("a record pointing elsewhere: exit 2 and nothing written, unless --overwrite-dns", async () => {
    const dnsc = await records();
    await dnsc.recordSets.createOrUpdate("rg-partner", "fabrikam.internal", "A", "db", {
      ttl: 300,
      aRecords: [{ ipv4Address: "10.9.9.9" }],
    });
    const before = writes();
    const other = ["--dns-zone", "fabrikam.internal", "--dns-name", "db"];
    const r = await connect(["--pls", alias, "--name", "pe-db", ...other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/db\.fabrikam\.internal already has an A record pointing at 10\.9\.9\.9/);
    expect(writes()).toBe(before);
    await expect(net().privateEndpoints.get("rg-partner", "pe-db")).rejects.toMatchObject({
      statusCode: 404,
    });
    const forced = await connect(["--pls", alias, "--name", "pe-db", ...other, "--overwrite-dns"]);
    expect(forced.code, forced.stderr).toBe(0);
    const ip = JSON.parse(forced.stdout).privateIp;
    expect((await dnsc.recordSets.get("rg-partner", "fabrikam.internal", "A", "db")).aRecords).toEqual([
      { ipv4Address: ip },
    ]);
  });

  it("disconnect deletes the endpoint, its NIC and plsctl's record only; a second run writes nothing", async () => {
    const dnsc = await records();
    await dnsc.recordSets.createOrUpdate("rg-partner", "fabrikam.internal", "A", "hand", {
      ttl: 300,
      aRecords: [{ ipv4Address: "10.8.8.8" }],
    });
    const pe = await net().privateEndpoints.get("rg-partner", "pe-dns");
    const nicName = pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? "";
    const r = await runCli(["disconnect", "--name", "pe-dns", "-g", "rg-partner", "-o", "json"], {
      env: partner,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      endpointDeleted: true,
      deletedRecords: ["app.fabrikam.internal"],
      changed: true,
    });
    await expect(net().privateEndpoints.get("rg-partner", "pe-dns")).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(net().networkInterfaces.get("rg-partner", nicName)).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(dnsc.recordSets.get("rg-partner", "fabrikam.internal", "A", "app")).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await dnsc.recordSets.get("rg-partner", "fabrikam.internal", "A", "hand")).aRecords).toHaveLength(
      1,
    );
    expect(await connectionOf("pls-web", "pe-dns")).toBeUndefined();
    const before = writes();
    const again = await runCli(["disconnect", "--name", "pe-dns", "-g", "rg-partner"], { env: partner });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/does not exist .*; nothing to do/);
    expect(writes()).toBe(before);
  });
});
