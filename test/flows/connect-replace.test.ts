/**
 * Issue 19, the partner's side: the provider's Service is deleted and recreated, its Private Link
 * Service with it (new alias); the partner's endpoint is left Disconnected. `verify` names the cause
 * and the fix; `connect` to the new alias under the same name refuses without `--replace` (exit 2,
 * nothing written); with it, the old endpoint goes, the new one comes, the DNS name follows the new
 * IP; a re-run writes nothing. `--replace` of an Approved or Pending endpoint is refused before any
 * write, and an interrupted `--replace` (after the delete) is completed by a re-run.
 */
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PartnerNetwork, startPartnerNetwork } from "../../src/sandbox/network/index.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
const t = useSandbox();
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];
const dnsFlags = ["--dns-zone", "fabrikam.internal", "--dns-name", "app"];
let partner: Record<string, string>;
let net: PartnerNetwork;
/** The alias of pls-web after its latest recreation. */
let newAlias = "";
const connect = (
  args: string[],
  o: { signal?: AbortSignal; onStderr?: (s: string) => void; clock?: FakeClock } = {},
) => runCli(["connect", ...where, ...args, "-o", "json"], { env: partner, ...o });
const writes = () => armWrites(t.sb, "partner");
const pnet = () => networkAs(t.sb, "partner");
const aliasOf = async (pls: string) =>
  (await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, pls)).alias ?? "";
const endpointOf = (name: string) => pnet().privateEndpoints.get("rg-partner", name);
const stateOf = async (name: string) =>
  (await endpointOf(name)).manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState;

function dns(): PrivateDnsManagementClient {
  const token = t.sb.arm.tokens.partner ?? "";
  return new PrivateDnsManagementClient(
    { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    PART,
    { endpoint: t.sb.arm.url, tlsOptions: { ca: t.sb.arm.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}
const recordIps = async (label: string) =>
  (await dns().recordSets.get("rg-partner", "fabrikam.internal", "A", label)).aRecords?.map(
    (a) => a.ipv4Address,
  );

/** The provider runs `plsctl expose` on a new internal Service; returns the alias it prints. */
async function expose(service: string, pls: string): Promise<string> {
  await createService(t.core, service, INTERNAL);
  const r = await runCli(["expose", service, "--pls-name", pls, "--visibility", PART, "-o", "json"], {
    env: t.env,
  });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).alias;
}

/** The provider deletes Service `service` (the controller deletes its PLS) and exposes it again. */
async function recreate(service: string, pls: string): Promise<string> {
  await t.core.deleteNamespacedService({ name: service, namespace: "default" });
  await t.sb.controller.idle();
  return expose(service, pls);
}

beforeAll(async () => {
  net = await startPartnerNetwork({ sources: { arm: () => t.sb.arm.state(), kube: t.sb.kube } });
  partner = { ...sandboxEnv(t.sb, "partner"), PLSCTL_SANDBOX_PROXY: `http://spoke01@127.0.0.1:${net.port}` };
});

afterAll(async () => net?.close());

describe("the provider's Service recreated: the partner's endpoint replaced", () => {
  let oldAlias = "";
  let oldIp = "";

  it("expose → connect with DNS → approve → the Service deleted and recreated: the endpoint is Disconnected, its NIC and IP kept", async () => {
    oldAlias = await expose("web", "pls-web");
    expect(oldAlias).toBe(await aliasOf("pls-web"));
    // Another endpoint first, deleted later: the replacement then gets another IP than the old one.
    expect((await connect(["--pls", oldAlias, "--name", "pe-first"])).code).toBe(0);
    const r = await connect(["--pls", oldAlias, "--name", "pe-app", ...dnsFlags]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    oldIp = out.privateIp;
    expect(await recordIps("app")).toEqual([oldIp]);
    const approved = await runCli(out.approveCommand.split(" ").slice(1), { env: t.env });
    expect(approved.code, approved.stderr).toBe(0);
    expect((await stateOf("pe-app"))?.status).toBe("Approved");

    newAlias = await recreate("web", "pls-web");
    expect(newAlias).not.toBe(oldAlias);
    const pe = await endpointOf("pe-app");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      "Disconnected",
    );
    // The endpoint stays (Azure leaves it to its owner), with its NIC and IP.
    const nic = pe.networkInterfaces?.[0]?.id?.split("/").pop() ?? "";
    expect(
      (await pnet().networkInterfaces.get("rg-partner", nic)).ipConfigurations?.[0]?.privateIPAddress,
    ).toBe(oldIp);
  });

  it("verify names the cause (the provider removed or recreated its service) and the fix (new alias, connect --replace); exit 1", async () => {
    const r = await runCli(["verify", "--endpoint", "pe-app", "-g", "rg-partner", "-o", "json"], {
      env: partner,
    });
    expect(r.code).toBe(1);
    const cause = JSON.parse(r.stdout).cause;
    expect(cause.kind).toBe("not-approved");
    expect(cause.message).toMatch(/pe-app's connection is Disconnected/);
    expect(cause.message).toContain(
      `The provider removed or recreated its service: the Private Link Service behind it (${oldAlias}) is gone or no longer has this connection`,
    );
    expect(cause.hint).toMatch(/Ask the provider for the new alias/);
    expect(cause.hint).toMatch(/plsctl connect --pls <new alias> --name pe-app -g rg-partner .*--replace/);
  });

  it("connect to the new alias under the same name, without --replace: exit 2 naming the old target and its state, nothing written", async () => {
    const before = writes();
    const r = await connect(["--pls", newAlias, "--name", "pe-app", ...dnsFlags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `Private endpoint pe-app already exists in resource group rg-partner and connects ${oldAlias}, whose connection is Disconnected (the provider removed or recreated its service); nothing was changed.`,
    );
    expect(r.stderr).toMatch(
      /--replace deletes the old endpoint, its target .* and its Disconnected connection state/,
    );
    expect(r.stderr).toMatch(/re-run this command with --replace/);
    expect(writes()).toBe(before);
    expect((await stateOf("pe-app"))?.status).toBe("Disconnected");
  });

  it("--replace: the old endpoint deleted, the new one created, the same DNS name on the new IP; a re-run writes nothing", async () => {
    const gone = await runCli(["disconnect", "--name", "pe-first", "-g", "rg-partner"], { env: partner });
    expect(gone.code, gone.stderr).toBe(0);
    const r = await connect(["--pls", newAlias, "--name", "pe-app", ...dnsFlags, "--replace"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      target: newAlias,
      state: "Pending",
      fqdn: "app.fabrikam.internal",
      changed: true,
      replaced: { target: oldAlias, state: "Disconnected", privateIp: oldIp },
    });
    expect(out.privateIp).not.toBe(oldIp);
    expect(r.stderr).toMatch(/Deleting private endpoint pe-app \(to .*, Disconnected\) to replace it/);
    expect(r.stderr).toContain(`DNS: app.fabrikam.internal → ${out.privateIp}`);
    expect(await recordIps("app")).toEqual([out.privateIp]);
    const pe = await endpointOf("pe-app");
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceId).toBe(newAlias);
    // The human output says what was replaced.
    const before = writes();
    const human = await runCli(
      ["connect", ...where, "--pls", newAlias, "--name", "pe-app", ...dnsFlags, "--replace"],
      {
        env: partner,
      },
    );
    expect(human.code, human.stderr).toBe(0);
    expect(writes()).toBe(before);
    const again = await connect(["--pls", newAlias, "--name", "pe-app", ...dnsFlags, "--replace"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, replaced: null, state: "Pending" });
    expect(writes()).toBe(before);
  });

  it("says what it replaced in words", async () => {
    await recreate("web", "pls-web");
    const alias3 = await aliasOf("pls-web");
    const r = await runCli(
      ["connect", ...where, "--pls", alias3, "--name", "pe-app", ...dnsFlags, "--replace"],
      {
        env: partner,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `Replaced: the old private endpoint pe-app \\(to ${newAlias.replace(/\./g, "\\.")}, Disconnected, IP [\\d.]+\\) was deleted and this one created under the same name; app\\.fabrikam\\.internal now points at [\\d.]+\\.`,
      ),
    );
    newAlias = alias3;
  });
});

describe("--replace refused for a connection that works or waits", () => {
  it("Pending: exit 2 before any write, saying it would abandon the request and to disconnect first", async () => {
    await exposeToPartner(t, "api", "pls-api");
    const apiAlias = await aliasOf("pls-api");
    expect((await connect(["--pls", apiAlias, "--name", "pe-wait"])).code).toBe(0);
    const before = writes();
    const r = await connect(["--pls", newAlias, "--name", "pe-wait", "--replace"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--replace refused: private endpoint pe-wait connects .* and its connection is Pending; replacing it would abandon a request the provider has not decided yet\. Nothing was changed\./,
    );
    expect(r.stderr).toMatch(/plsctl disconnect --name pe-wait --resource-group rg-partner/);
    expect(writes()).toBe(before);
    expect((await endpointOf("pe-wait")).manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceId).toBe(
      apiAlias,
    );
  });

  it("Approved: exit 2 before any write, saying it would cut a working connection", async () => {
    const apiAlias = await aliasOf("pls-api");
    const ok = await runCli(["approve", "--pls", apiAlias, "pe-wait", "--from-subscription", PART], {
      env: t.env,
    });
    expect(ok.code, ok.stderr).toBe(0);
    const before = writes();
    const r = await connect(["--pls", newAlias, "--name", "pe-wait", "--replace"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its connection is Approved; replacing it would cut a working connection/);
    expect(r.stderr).toMatch(/If you really mean to drop this one, delete it first \(plsctl disconnect/);
    expect(writes()).toBe(before);
    expect((await stateOf("pe-wait"))?.status).toBe("Approved");
  });
});

describe("an interrupted --replace", () => {
  it("stopped after the old endpoint's delete: exit 130; a re-run creates the new endpoint and points the DNS name at it", async () => {
    const old = await aliasOf("pls-web");
    expect(
      (
        await connect([
          "--pls",
          old,
          "--name",
          "pe-int",
          "--dns-zone",
          "fabrikam.internal",
          "--dns-name",
          "int",
        ])
      ).code,
    ).toBe(0);
    const fresh = await recreate("web", "pls-web");
    expect((await stateOf("pe-int"))?.status).toBe("Disconnected");
    const args = [
      "--pls",
      fresh,
      "--name",
      "pe-int",
      "--dns-zone",
      "fabrikam.internal",
      "--dns-name",
      "int",
      "--replace",
    ];
    const ac = new AbortController();
    const r = await connect(args, {
      signal: ac.signal,
      onStderr: (s) => {
        if (/Deleted private endpoint pe-int/.test(s)) ac.abort();
      },
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      /✓ Deleted private endpoint pe-int \(to .*\)\n[\s\S]*error: Interrupted after: /,
    );
    await expect(endpointOf("pe-int")).rejects.toMatchObject({ statusCode: 404 });
    const again = await connect(args);
    expect(again.code, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout);
    expect(out).toMatchObject({
      target: fresh,
      state: "Pending",
      changed: true,
      fqdn: "int.fabrikam.internal",
    });
    expect(await recordIps("int")).toEqual([out.privateIp]);
    const before = writes();
    expect(JSON.parse((await connect(args)).stdout)).toMatchObject({ changed: false });
    expect(writes()).toBe(before);
  });
});

describe("--replace to a target Azure does not show", () => {
  it("an alias that never becomes visible: the old endpoint is kept (deleted only once the new alias shows); exit 3", async () => {
    const bogus = "pls-web.00000000-0000-0000-0000-000000000000.westeurope.azure.privatelinkservice";
    const held = await aliasOf("pls-web");
    await recreate("web", "pls-web");
    expect((await stateOf("pe-int"))?.status).toBe("Disconnected");
    const before = writes();
    const clock = new FakeClock(Date.now());
    const r = await runClock(clock, connect(["--pls", bogus, "--name", "pe-int", "--replace"], { clock }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not visible to subscription .*, or does not exist/);
    expect(r.stderr).not.toMatch(/Deleting private endpoint pe-int/);
    expect(writes()).toBe(before);
    expect((await endpointOf("pe-int")).manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceId).toBe(
      held,
    );
  });

  it("a PLS id Azure refuses after the delete: the error says the old endpoint is gone and that a re-run creates the new one", async () => {
    const replaced = await aliasOf("pls-web");
    expect((await stateOf("pe-int"))?.status).toBe("Disconnected");
    const nope = `/subscriptions/${DEFAULT_IDS.providerSubscriptionId}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/pls-nope`;
    const r = await connect(["--pls", nope, "--name", "pe-int", "--replace"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "The old private endpoint pe-int was deleted (--replace); the new one was not created.",
    );
    expect(r.stderr).toMatch(/Then re-run the same command \(with --replace\): it creates the endpoint/);
    const again = await connect(["--pls", replaced, "--name", "pe-int", "--replace"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ target: replaced, state: "Pending", changed: true });
  });
});
