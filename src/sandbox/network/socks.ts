/**
 * SOCKS5 (RFC 1928) as the partner network speaks it: no authentication, or username/password
 * (RFC 1929) where the username names the client's VNet (the password is ignored); CONNECT only,
 * to an IPv4 address or a domain name (`curl --socks5-hostname`, `socks5h://`).
 */
import { type ByteReader, HandshakeError } from "./reader.js";

/** Reply codes (RFC 1928 section 6). */
export const SOCKS = {
  succeeded: 0x00,
  failure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  refused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

const NO_AUTH = 0x00;
const USER_PASS = 0x02;
const NO_ACCEPTABLE = 0xff;

export interface SocksRequest {
  host: string;
  port: number;
  user: string | undefined;
}

/** A reply with the given code; the bound address is the destination (IPv4) or 0.0.0.0. */
export function socksReply(code: number, ipv4 = "0.0.0.0", port = 0): Buffer {
  const octets = /^\d+\.\d+\.\d+\.\d+$/.test(ipv4) ? ipv4.split(".").map(Number) : [0, 0, 0, 0];
  return Buffer.from([0x05, code, 0x00, 0x01, ...octets, (port >> 8) & 0xff, port & 0xff]);
}

/**
 * Runs the handshake up to the request. `checkUser` vets a username (the VNet): a message refuses
 * it (RFC 1929 failure, connection closed). Throws HandshakeError after answering what it can.
 */
export async function socksHandshake(
  r: ByteReader,
  write: (b: Buffer) => void,
  checkUser: (user: string) => string | undefined,
): Promise<SocksRequest> {
  const [, nMethods = 0] = await r.bytes(2);
  const methods = [...(await r.bytes(nMethods))];
  let user: string | undefined;
  if (methods.includes(USER_PASS)) {
    write(Buffer.from([0x05, USER_PASS]));
    const [ver, ulen = 0] = await r.bytes(2);
    if (ver !== 0x01) throw new HandshakeError(`username/password version ${ver} is not 1`);
    user = (await r.bytes(ulen)).toString("utf8");
    const [plen = 0] = await r.bytes(1);
    await r.bytes(plen);
    const refused = user === "" ? undefined : checkUser(user);
    write(Buffer.from([0x01, refused ? 0x01 : 0x00]));
    if (refused) throw new HandshakeError(refused);
  } else if (methods.includes(NO_AUTH)) {
    write(Buffer.from([0x05, NO_AUTH]));
  } else {
    write(Buffer.from([0x05, NO_ACCEPTABLE]));
    throw new HandshakeError("the client offers neither no-auth nor username/password");
  }
  const [ver, cmd, , atyp] = await r.bytes(4);
  if (ver !== 0x05) throw new HandshakeError(`SOCKS version ${ver} in the request`);
  let host: string;
  if (atyp === 0x01) host = [...(await r.bytes(4))].join(".");
  else if (atyp === 0x03) {
    const [len = 0] = await r.bytes(1);
    host = (await r.bytes(len)).toString("utf8");
  } else {
    if (atyp === 0x04) await r.bytes(16 + 2);
    write(socksReply(SOCKS.addressTypeNotSupported));
    throw new HandshakeError(`address type ${atyp} is not supported (IPv4 and domain names are)`);
  }
  const portBytes = await r.bytes(2);
  const port = portBytes.readUInt16BE(0);
  if (cmd !== 0x01) {
    write(socksReply(SOCKS.commandNotSupported));
    throw new HandshakeError(`SOCKS command ${cmd} is not supported (CONNECT is)`);
  }
  return { host, port, user };
}
