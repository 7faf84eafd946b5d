import { describe, expect, it } from "vitest";
import { ANY_PARENT, isMissing } from "../../src/azure/call.js";

// ARM's 404s as the SDK throws them (RestError: statusCode and ARM's error code).
const rest = (statusCode: number, code: string) =>
  Object.assign(new Error(code), { name: "RestError", statusCode, code });

describe("isMissing: which 404 means 'not there'", () => {
  it("a 404 for the thing itself is missing, whatever its code", () => {
    expect(isMissing(rest(404, "ResourceNotFound"))).toBe(true);
    expect(isMissing(rest(404, "NotFound"))).toBe(true);
    expect(isMissing(Object.assign(new Error("x"), { statusCode: 404 }))).toBe(true);
  });

  it("a missing parent (subscription, resource group) counts only when the caller allows it", () => {
    expect(isMissing(rest(404, "ResourceGroupNotFound"))).toBe(false);
    expect(isMissing(rest(404, "SubscriptionNotFound"))).toBe(false);
    expect(isMissing(rest(404, "ResourceGroupNotFound"), ["ResourceGroupNotFound"])).toBe(true);
    expect(isMissing(rest(404, "SubscriptionNotFound"), ["ResourceGroupNotFound"])).toBe(false);
    expect(isMissing(rest(404, "SubscriptionNotFound"), ANY_PARENT)).toBe(true);
  });

  it("anything but a 404 is not 'missing'", () => {
    expect(isMissing(rest(403, "AuthorizationFailed"), ANY_PARENT)).toBe(false);
    expect(isMissing(rest(409, "Conflict"), ANY_PARENT)).toBe(false);
    expect(isMissing(new Error("socket hang up"), ANY_PARENT)).toBe(false);
    expect(isMissing(undefined, ANY_PARENT)).toBe(false);
  });
});
