/**
 * PROXY protocol version 2 (binary), as Azure Private Link Service sends it when `enableProxyProtocol`
 * is on: the encoder the partner network uses in front of a connection, and the decoder the pods'
 * app (app.ts) reads it with.
 *
 * Layout (haproxy, doc/proxy-protocol.txt, "2.2. Binary header format (version 2)"):
 *   12 bytes  signature \x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A
 *    1 byte   version (high nibble, 0x2) and command (low nibble: 0x0 LOCAL, 0x1 PROXY)
 *    1 byte   address family (high nibble: 0x1 AF_INET) and transport (low nibble: 0x1 STREAM)
 *    2 bytes  length of what follows, network byte order
 *   AF_INET:  src_addr (4), dst_addr (4), src_port (2), dst_port (2), network byte order
 *   then TLVs (struct pp2_tlv): type (1), length (2, big-endian), value; types 0xE0-0xEF are left
 *   to applications ("2.2.7. Reserved type ranges"), which is where Azure's 0xEE lies.
 *
 * Azure's TLV (learn.microsoft.com/azure/private-link/private-link-service-overview, "Getting
 * connection Information using TCP Proxy v2"): type 0xEE (PP2_TYPE_AZURE), length 5, value = subtype
 * 0x01 (PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID) then the private endpoint's LINKID as a uint32 in
 * little-endian order. The LINKID is the connection's `linkIdentifier` in ARM.
 */

export const PP2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);
const VERSION_2_PROXY = 0x21;
const VERSION_2_LOCAL = 0x20;
const AF_INET_STREAM = 0x11;
const IPV4_ADDRESSES_LENGTH = 12;
const FIXED_LENGTH = 16;

export const PP2_TYPE_AZURE = 0xee;
export const PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID = 0x01;

export interface Tlv {
  type: number;
  value: Buffer;
}

export interface ProxyV2Header {
  command: "PROXY" | "LOCAL";
  /** Absent for LOCAL, and for families other than TCP over IPv4 (not decoded here). */
  source?: { address: string; port: number };
  destination?: { address: string; port: number };
  tlvs: Tlv[];
}

export type DecodeResult =
  | { header: ProxyV2Header; length: number }
  /** More bytes are needed to tell (or to read the whole header). */
  | { incomplete: true }
  /** The bytes do not start with a PROXY protocol v2 header. */
  | { none: true }
  | { error: string };

function ipv4Bytes(address: string): Buffer {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`${address} is not an IPv4 address`);
  return Buffer.from(parts);
}

const ipv4Text = (b: Buffer, at: number) => [0, 1, 2, 3].map((i) => b[at + i]).join(".");

/** Azure's LINKID TLV: 0xEE, length 5, subtype 0x01, the link id as a little-endian uint32. */
export function azureLinkIdTlv(linkId: number): Tlv {
  if (!Number.isInteger(linkId) || linkId < 0 || linkId > 0xffffffff)
    throw new Error(`${linkId} is not an unsigned 32-bit link id`);
  const value = Buffer.alloc(5);
  value[0] = PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID;
  value.writeUInt32LE(linkId, 1);
  return { type: PP2_TYPE_AZURE, value };
}

/** The LINKID of Azure's TLV among `tlvs`, if there is one. */
export function azureLinkId(tlvs: Tlv[]): number | undefined {
  const tlv = tlvs.find(
    (t) => t.type === PP2_TYPE_AZURE && t.value[0] === PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID,
  );
  return tlv && tlv.value.length >= 5 ? tlv.value.readUInt32LE(1) : undefined;
}

/** A PROXY command header for a TCP over IPv4 connection, with `tlvs` after the addresses. */
export function encodeProxyV2(o: {
  source: { address: string; port: number };
  destination: { address: string; port: number };
  tlvs?: Tlv[];
}): Buffer {
  const tlvs = (o.tlvs ?? []).map((t) => {
    const head = Buffer.alloc(3);
    head[0] = t.type;
    head.writeUInt16BE(t.value.length, 1);
    return Buffer.concat([head, t.value]);
  });
  const addresses = Buffer.alloc(IPV4_ADDRESSES_LENGTH);
  ipv4Bytes(o.source.address).copy(addresses, 0);
  ipv4Bytes(o.destination.address).copy(addresses, 4);
  addresses.writeUInt16BE(o.source.port, 8);
  addresses.writeUInt16BE(o.destination.port, 10);
  const rest = Buffer.concat([addresses, ...tlvs]);
  const fixed = Buffer.alloc(4);
  fixed[0] = VERSION_2_PROXY;
  fixed[1] = AF_INET_STREAM;
  fixed.writeUInt16BE(rest.length, 2);
  return Buffer.concat([PP2_SIGNATURE, fixed, rest]);
}

function decodeTlvs(b: Buffer): Tlv[] | { error: string } {
  const out: Tlv[] = [];
  let at = 0;
  while (at < b.length) {
    if (at + 3 > b.length) return { error: "truncated TLV header" };
    const type = b[at] ?? 0;
    const len = b.readUInt16BE(at + 1);
    if (at + 3 + len > b.length) return { error: `TLV 0x${type.toString(16)} is longer than the header` };
    out.push({ type, value: Buffer.from(b.subarray(at + 3, at + 3 + len)) });
    at += 3 + len;
  }
  return out;
}

/** Reads a PROXY protocol v2 header at the start of `b` (the first bytes a connection received). */
export function decodeProxyV2(b: Buffer): DecodeResult {
  const prefix = Math.min(b.length, PP2_SIGNATURE.length);
  if (!b.subarray(0, prefix).equals(PP2_SIGNATURE.subarray(0, prefix))) return { none: true };
  if (b.length < FIXED_LENGTH) return { incomplete: true };
  const verCmd = b[12] ?? 0;
  if (verCmd >> 4 !== 2) return { error: `unsupported PROXY protocol version ${verCmd >> 4}` };
  if (verCmd !== VERSION_2_PROXY && verCmd !== VERSION_2_LOCAL)
    return { error: `unknown PROXY protocol command 0x${(verCmd & 0x0f).toString(16)}` };
  const length = FIXED_LENGTH + b.readUInt16BE(14);
  if (b.length < length) return { incomplete: true };
  const body = b.subarray(FIXED_LENGTH, length);
  const command = verCmd === VERSION_2_PROXY ? "PROXY" : "LOCAL";
  // Only TCP over IPv4 carries addresses we read; other families' addresses are skipped unread.
  if (command === "LOCAL" || b[13] !== AF_INET_STREAM) return { header: { command, tlvs: [] }, length };
  if (body.length < IPV4_ADDRESSES_LENGTH) return { error: "the IPv4 address block is truncated" };
  const tlvs = decodeTlvs(body.subarray(IPV4_ADDRESSES_LENGTH));
  if ("error" in tlvs) return tlvs;
  return {
    header: {
      command,
      source: { address: ipv4Text(body, 0), port: body.readUInt16BE(8) },
      destination: { address: ipv4Text(body, 4), port: body.readUInt16BE(10) },
      tlvs,
    },
    length,
  };
}
