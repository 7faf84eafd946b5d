/**
 * The PROXY protocol v2 codec of the sandbox's partner network against hand-assembled byte vectors:
 * the layout of haproxy's doc/proxy-protocol.txt ("2.2. Binary header format (version 2)") and
 * Azure's LINKID TLV (learn.microsoft.com/azure/private-link/private-link-service-overview,
 * "Getting connection Information using TCP Proxy v2": type 0xEE, subtype 0x01, uint32 LE).
 */
import { describe, expect, it } from "vitest";
import {
  azureLinkId,
  azureLinkIdTlv,
  decodeProxyV2,
  encodeProxyV2,
} from "../../src/sandbox/network/proxy-v2.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

// 10.0.0.4:51234 -> 10.0.0.5:80, LINKID 536870917 (0x20000005).
const VECTOR = hex(`
  0d0a0d0a000d0a515549540a
  21 11 0014
  0a000004 0a000005 c822 0050
  ee 0005 01 05000020
`);

describe("encodeProxyV2", () => {
  it("writes signature, v2 PROXY, TCP over IPv4, length, addresses, ports, then Azure's TLV", () => {
    const b = encodeProxyV2({
      source: { address: "10.0.0.4", port: 51234 },
      destination: { address: "10.0.0.5", port: 80 },
      tlvs: [azureLinkIdTlv(536870917)],
    });
    expect(b.toString("hex")).toBe(VECTOR.toString("hex"));
  });

  it("the TLV is little-endian, subtype first, for the whole uint32 range", () => {
    expect(azureLinkIdTlv(1).value.toString("hex")).toBe("0101000000");
    expect(azureLinkIdTlv(0xffffffff).value.toString("hex")).toBe("01ffffffff");
    expect(() => azureLinkIdTlv(2 ** 32)).toThrow(/unsigned 32-bit/);
    expect(() => azureLinkIdTlv(-1)).toThrow(/unsigned 32-bit/);
  });
});

describe("decodeProxyV2", () => {
  it("reads the vector back: addresses, ports, the LINKID, and the header's length", () => {
    const r = decodeProxyV2(Buffer.concat([VECTOR, Buffer.from("GET / HTTP/1.1\r\n")]));
    if (!("header" in r)) throw new Error(`not decoded: ${JSON.stringify(r)}`);
    expect(r.length).toBe(VECTOR.length);
    expect(r.header).toMatchObject({
      command: "PROXY",
      source: { address: "10.0.0.4", port: 51234 },
      destination: { address: "10.0.0.5", port: 80 },
    });
    expect(azureLinkId(r.header.tlvs)).toBe(536870917);
  });

  it("a LOCAL header (health checks) has no addresses", () => {
    const r = decodeProxyV2(hex("0d0a0d0a000d0a515549540a 20 00 0000"));
    expect(r).toEqual({ header: { command: "LOCAL", tlvs: [] }, length: 16 });
  });

  it("skips other TLVs and finds none of Azure's when absent", () => {
    const noop = hex("0d0a0d0a000d0a515549540a 21 11 0010 0a000004 0a000005 c822 0050 04 0001 00");
    const r = decodeProxyV2(noop);
    if (!("header" in r)) throw new Error("not decoded");
    expect(r.header.tlvs).toEqual([{ type: 0x04, value: hex("00") }]);
    expect(azureLinkId(r.header.tlvs)).toBeUndefined();
  });

  it("tells plain traffic, a partial header and a broken one apart", () => {
    expect(decodeProxyV2(Buffer.from("GET / HTTP/1.1\r\n"))).toEqual({ none: true });
    expect(decodeProxyV2(VECTOR.subarray(0, 7))).toEqual({ incomplete: true });
    expect(decodeProxyV2(VECTOR.subarray(0, VECTOR.length - 1))).toEqual({ incomplete: true });
    const v1 = Buffer.from(VECTOR);
    v1[12] = 0x11;
    expect(decodeProxyV2(v1)).toEqual({ error: "unsupported PROXY protocol version 1" });
    const longTlv = Buffer.from(VECTOR);
    longTlv.writeUInt16BE(9, 29);
    expect(decodeProxyV2(longTlv)).toMatchObject({ error: expect.stringMatching(/TLV 0xee/) });
  });
});
