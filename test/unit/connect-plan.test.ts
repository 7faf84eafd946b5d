/** `connect`'s plan without requests: the flags, the subnet checks, the deadline, the result, the group-id refusal. */
import { describe, expect, it } from "vitest";
import { parseConnectTarget } from "../../src/domain/connect.js";
import {
  checkSubnet,
  connectResult,
  type EndpointSeen,
  endedConnectionWarning,
  endpointSpec,
  planFlags,
  recordTagsOf,
  zoneToWrite,
} from "../../src/domain/connect-plan.js";
import { groupRefused, isGroupRefused } from "../../src/domain/connect-refusals.js";
import { deadlineOf, remainingMs } from "../../src/domain/deadline.js";
import { DNS_RECORD_TAG } from "../../src/domain/dns-zones.js";
import { ExitCode, PlsctlError } from "../../src/domain/errors.js";

const PROV = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const PART = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const PLS = `/subscriptions/${PROV}/resourceGroups/MC_rg/providers/Microsoft.Network/privateLinkServices/pls-app`;
const KV = `/subscriptions/${PROV}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-app`;
const SUBNET = `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`;
const pls = parseConnectTarget(PLS, undefined, "AzureCloud");
const kv = parseConnectTarget(KV, "vault", "AzureCloud");
const env = { cloud: "AzureCloud" as const, subscription: undefined, envSubscription: PART };
const vnet = {
  id: SUBNET.replace(/\/subnets\/.*/, ""),
  name: "spoke01",
  location: "westeurope",
  subnetNames: ["pe-subnet"],
};

describe("the deadline", () => {
  it("is taken once; each wait gets what is left, never below 0", () => {
    const d = deadlineOf(1000, 60_000);
    expect(d).toEqual({ at: 61_000, timeoutMs: 60_000 });
    expect(remainingMs(d, 21_000)).toBe(40_000);
    expect(remainingMs(d, 90_000)).toBe(0);
  });
});

describe("planFlags", () => {
  it("--vnet/--subnet: the subnet in --resource-group of the environment's subscription, default name", () => {
    const fp = planFlags(
      { pls: PLS, resourceGroup: "rg-partner", vnet: "spoke01", subnet: "pe-subnet" },
      env,
    );
    expect(fp).toMatchObject({ name: "pe-pls-app", subnetId: SUBNET, subscriptionId: PART });
    expect(fp.dns).toEqual({ byId: undefined, wanted: undefined });
  });

  it("--dns-zone/--dns-name become the record asked for; a PaaS target's zone is its standard one", () => {
    const f = {
      pls: PLS,
      resourceGroup: "rg-partner",
      subnetId: SUBNET,
      dnsZone: "Fabrikam.internal.",
      dnsName: "API",
    };
    const fp = planFlags(f, env);
    expect(fp.dns.wanted).toEqual({ zone: "fabrikam.internal", label: "api" });
    expect(zoneToWrite(f, pls, fp.dns)).toBe("fabrikam.internal");
    const paas = { pls: KV, groupId: "vault", resourceGroup: "rg-partner", subnetId: SUBNET };
    expect(zoneToWrite(paas, kv, planFlags(paas, env).dns)).toBe("privatelink.vaultcore.azure.net");
    expect(zoneToWrite({ ...paas, noDns: true }, kv, planFlags(paas, env).dns)).toBeUndefined();
  });

  it("a flag mistake is a usage error before any request", () => {
    expect(() => planFlags({ pls: PLS, resourceGroup: "rg-partner", vnet: "spoke01" }, env)).toThrow(
      /Which subnet/,
    );
  });
});

describe("checkSubnet", () => {
  it("a missing VNet is exit 3 naming it, its resource group and subscription", () => {
    const err = (() => {
      try {
        checkSubnet(SUBNET, {}, undefined);
      } catch (e) {
        return e as PlsctlError;
      }
    })();
    expect(err).toMatchObject({ exitCode: ExitCode.NotFound, code: "VnetNotFound" });
    expect(err?.message).toBe(
      `Virtual network spoke01 does not exist in resource group rg-partner of subscription ${PART}.`,
    );
  });

  it("a missing subnet is exit 3 listing the VNet's subnets", () => {
    expect(() => checkSubnet(SUBNET, { vnet }, undefined)).toThrow(
      expect.objectContaining({
        code: "SubnetNotFound",
        hint: expect.stringContaining("Its subnets: pe-subnet."),
      }),
    );
  });

  it("--location must be the VNet's region (spacing and case aside); the region is returned", () => {
    const seen = { vnet, subnetId: SUBNET };
    expect(checkSubnet(SUBNET, seen, "West Europe").location).toBe("westeurope");
    expect(() => checkSubnet(SUBNET, seen, "northeurope")).toThrow(/spoke01 is in westeurope/);
  });
});

describe("the endpoint and the result", () => {
  const at = { subscriptionId: PART, resourceGroup: "rg-partner", name: "pe-kv" };
  const ep: EndpointSeen = {
    ...at,
    id: `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/pe-kv`,
    location: "westeurope",
    subnetId: SUBNET,
    target: KV,
    manual: true,
    state: "Pending",
    description: null,
    privateIp: "10.1.0.4",
  };

  it("a PaaS endpoint asks for its group id; a PLS one for none", () => {
    const p = { location: "westeurope", subnetId: SUBNET, requestMessage: "hi", tags: undefined };
    expect(endpointSpec(at, { ...p, target: kv }, true).groupIds).toEqual(["vault"]);
    expect(endpointSpec(at, { ...p, target: pls }, false)).toMatchObject({
      groupIds: [],
      manual: false,
      target: PLS,
    });
  });

  it("the record tag is set only for a hub's zone and a record", () => {
    const zone = { subscriptionId: "hub", resourceGroup: "rg-dns", zone: "fabrikam.internal" };
    expect(recordTagsOf({ zone, central: false }, { label: "api" })).toBeUndefined();
    expect(recordTagsOf({ zone, central: true }, undefined)).toBeUndefined();
    expect(recordTagsOf({ zone, central: true }, { label: "api" })?.[DNS_RECORD_TAG]).toMatch(
      /\/privateDnsZones\/fabrikam\.internal\/A\/api$/,
    );
  });

  it("the approve line only for a Pending connection; a zone group for a PaaS target", () => {
    const zone = {
      subscriptionId: PART,
      resourceGroup: "rg-partner",
      zone: "privatelink.vaultcore.azure.net",
    };
    const done = {
      fqdn: "kv-app.vault.azure.net",
      approveLine: "plsctl approve …",
      replaced: null,
      changed: true,
    };
    const r = connectResult(ep, kv, { ...done, dns: { zone, central: false, record: null } });
    expect(r).toMatchObject({ groupId: "vault", targetKind: "paas", approveCommand: "plsctl approve …" });
    expect(r.dns).toMatchObject({ zone: zone.zone, zoneGroup: true, record: null, central: false });
    expect(connectResult({ ...ep, state: "Approved" }, kv, { ...done, dns: undefined })).toMatchObject({
      approveCommand: null,
      dns: null,
    });
  });

  it("a Rejected or Disconnected connection is a warning saying what to do; others none", () => {
    expect(endedConnectionWarning(ep)).toBeUndefined();
    expect(endedConnectionWarning({ ...ep, state: "Rejected", description: "no" })).toMatchObject({
      message: "The provider rejected this connection: no.",
      hint: expect.stringContaining("--replace"),
    });
    expect(endedConnectionWarning({ ...ep, state: "Disconnected" })?.hint).toMatch(
      /--pls <new alias> --replace/,
    );
  });
});

describe("isGroupRefused: from the code and the HTTP status, not the text", () => {
  const armError = (
    code: string,
    statusCode: number,
    message = "Could not create private endpoint pe-x: no.",
  ) => new PlsctlError(message, { code, cause: Object.assign(new Error("arm"), { statusCode, code }) });

  it("a 400 with a group-id refusal code is one", () => {
    for (const code of ["InvalidValuesForRequestParameters", "OnlyOneGroupIdPermitted"])
      expect(isGroupRefused(armError(code, 400))).toBe(true);
  });

  it("another code or status is not, whatever the message says", () => {
    expect(isGroupRefused(armError("InvalidRequestFormat", 400, "… the group id is invalid (400 x)"))).toBe(
      false,
    );
    expect(isGroupRefused(armError("InvalidValuesForRequestParameters", 409))).toBe(false);
    expect(isGroupRefused(new Error("(400 ) group id"))).toBe(false);
  });

  it("the refusal is exit 2 naming the group id and where to find the ones offered", () => {
    if (kv.kind !== "paas") throw new Error("kv is a PaaS target");
    const err = groupRefused(
      kv,
      armError(
        "InvalidValuesForRequestParameters",
        400,
        "Could not create private endpoint pe-x: bad group.",
      ),
    );
    expect(err).toMatchObject({ exitCode: ExitCode.Usage, code: "GroupIdNotValid" });
    expect(err.message).toBe("Azure refused --group-id vault for kv-app: bad group. Nothing was created.");
    expect(err.hint).toContain(`az network private-link-resource list --id ${KV}`);
  });
});
