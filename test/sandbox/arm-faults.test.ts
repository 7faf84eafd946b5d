/**
 * Injected faults that say what ARM would say: `{status, code, message, retryAfter, headers}`,
 * matched by method and path pattern (besides operation and identity), `times` and `probability`;
 * set through the admin endpoint and seen through the real SDK. The older `kind` faults keep working.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathPattern } from "../../src/sandbox/arm/limits.js";
import {
  failure,
  NODE_RG,
  PE_SUBNET_ID,
  PROV_SUB,
  seedPls,
  startTestArm,
  type TestArm,
} from "./helpers/arm.js";

let arm: TestArm;
let name = "";
const plsName = "pls-a594a43c3f83348998714866bd330823";

beforeAll(async () => {
  arm = await startTestArm();
  const pls = await seedPls(arm);
  await arm.net("partner").privateEndpoints.createOrUpdate("rg-partner", "pe1", {
    location: "westeurope",
    subnet: { id: PE_SUBNET_ID },
    manualPrivateLinkServiceConnections: [{ name: "c1", privateLinkServiceId: pls.alias }],
  });
  for await (const c of arm.net("ci").privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName))
    name = c.name ?? "";
});
afterAll(async () => {
  await arm.close();
});
beforeEach(() => {
  arm.emu.setFaults([]);
  arm.recorded.length = 0;
});

const admin = (body: unknown) => arm.raw("PUT", "/_sandbox/faults", { token: arm.emu.adminToken, body });
const approve = (maxRetries = 0) =>
  arm
    .net("ci", undefined, { maxRetries })
    .privateLinkServices.updatePrivateEndpointConnection(NODE_RG, plsName, name, {
      privateLinkServiceConnectionState: { status: "Approved", description: "ok", actionsRequired: "None" },
    });

const CONNECTION_WRITES = {
  method: "PUT",
  path: "/subscriptions/*/resourceGroups/*/providers/Microsoft.Network/privateLinkServices/*/privateEndpointConnections/*",
};

describe("faults with a status, an error code and a message", () => {
  it("reply exactly what the fault says, to the requests it matches, as many times as it says", async () => {
    const message =
      "Operation UpdatePrivateEndpointConnectionOperation is not allowed since the private link service is in use by another operation.";
    const set = await admin([
      {
        status: 429,
        code: "RetryableErrorDueToAnotherOperation",
        message,
        retryAfter: 2,
        match: CONNECTION_WRITES,
        times: 1,
      },
    ]);
    expect(set.status).toBe(204);
    // A GET of the same connection does not match the method.
    const got = await arm.net("ci").privateLinkServices.getPrivateEndpointConnection(NODE_RG, plsName, name);
    expect(got.name).toBe(name);
    const err = await failure(approve());
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe("RetryableErrorDueToAnotherOperation");
    expect(err.message).toBe(message);
    expect(arm.recorded.at(-1)?.headers["retry-after"]).toBe("2");
    expect(JSON.parse(arm.recorded.at(-1)?.body ?? "{}")).toEqual({
      error: { code: "RetryableErrorDueToAnotherOperation", message },
    });
    // times: 1 — the next one goes through.
    expect((await approve()).privateLinkServiceConnectionState?.status).toBe("Approved");
  });

  it("the SDK's own policy retries a 429 with Retry-After and succeeds", async () => {
    arm.emu.setFaults([
      {
        status: 429,
        code: "RetryableErrorDueToAnotherOperation",
        retryAfter: 0,
        match: CONNECTION_WRITES,
        times: 2,
      },
    ]);
    await approve(3);
    expect(arm.recorded.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("carries extra headers, takes defaults for what it leaves out, and probability 0 never fires", async () => {
    arm.emu.setFaults([
      {
        status: 500,
        match: { path: "**/privateLinkServices/*" },
        headers: { "x-ms-failure-cause": "service" },
        times: 1,
      },
      { status: 409, code: "Conflict", identity: "ci", probability: 0 },
    ]);
    const raw = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/${plsName}?api-version=2024-05-01`,
      { identity: "ci" },
    );
    expect(raw.status).toBe(500);
    expect(raw.headers["x-ms-failure-cause"]).toBe("service");
    expect(raw.body).toMatchObject({ error: { code: "InternalServerError" } });
    expect((await arm.net("ci").privateLinkServices.get(NODE_RG, plsName)).name).toBe(plsName);
  });

  it("the admin endpoint names what is wrong with a fault list", async () => {
    const r = await admin([
      { status: 200 },
      { kind: "429", status: 429 },
      { status: 429, match: { verb: "PUT" } },
      {},
    ]);
    expect(r.status).toBe(400);
    const msg = (r.body as { error: { code: string; message: string } }).error;
    expect(msg.code).toBe("InvalidFaults");
    expect(msg.message).toContain("[0].status: must be an HTTP status 400-599");
    expect(msg.message).toContain("[1]: give kind or status, not both");
    expect(msg.message).toContain("[2].match.verb: unknown field");
    expect(msg.message).toContain("[3]: needs kind");
  });

  it("older kind faults keep working beside them", async () => {
    expect(
      (await admin([{ operation: "PrivateLinkServices_Get", kind: "503", times: 1, retryAfterSeconds: 0 }]))
        .status,
    ).toBe(204);
    expect((await arm.net("ci").privateLinkServices.get(NODE_RG, plsName)).name).toBe(plsName);
    expect(arm.recorded.map((r) => r.status)).toEqual([503, 200]);
  });
});

describe("path patterns", () => {
  it("* stays within a segment, ** spans segments, case does not matter", () => {
    expect(pathPattern("/subscriptions/*/resourceGroups/*").test("/subscriptions/s/resourcegroups/rg")).toBe(
      true,
    );
    expect(pathPattern("/subscriptions/*").test("/subscriptions/s/resourceGroups/rg")).toBe(false);
    expect(pathPattern("**/privateEndpointConnections/*").test("/a/b/privateEndpointConnections/x")).toBe(
      true,
    );
    expect(pathPattern("**/privateEndpointConnections/*").test("/a/b/privateEndpointConnections")).toBe(
      false,
    );
    expect(pathPattern("/a/pls-*.x").test("/a/pls-1.x")).toBe(true);
    expect(pathPattern("/a/pls-*.x").test("/a/pls-1yx")).toBe(false);
  });
});
