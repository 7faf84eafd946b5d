import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../src/azure/retry.js";

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] });
const NOW = Date.parse("2026-11-30T11:00:00Z");

describe("retryAfterMs", () => {
  it("reads milliseconds first, then seconds, then an HTTP date", () => {
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "1500", "retry-after": "9" }), NOW)).toBe(1500);
    expect(retryAfterMs(headers({ "retry-after-ms": "250" }), NOW)).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "7" }), NOW)).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after": "Mon, 30 Nov 2026 11:00:20 GMT" }), NOW)).toBe(20_000);
  });

  it("takes a date in the past as now, caps what is absurd, ignores what it cannot read", () => {
    expect(retryAfterMs(headers({ "retry-after": "Mon, 30 Nov 2026 10:59:00 GMT" }), NOW)).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": "86400" }), NOW)).toBe(120_000);
    expect(retryAfterMs(headers({ "retry-after": "soon" }), NOW)).toBeUndefined();
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "-5" }), NOW)).toBeUndefined();
    expect(retryAfterMs(headers({}), NOW)).toBeUndefined();
  });
});
