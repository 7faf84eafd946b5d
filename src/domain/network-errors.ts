/**
 * Network and TLS failures found in an error's cause chain, classified and put in words: the
 * adapters (src/azure, src/kube) turn them into PlsctlErrors, src/output renders those.
 */
import { ExitCode, PlsctlError } from "./errors.js";

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (nothing listens there)",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name could not be resolved",
  EAI_AGAIN: "DNS lookup failed temporarily",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_SOCKET: "the server closed the connection",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "the server did not answer in time",
  EPROTO: "the server does not speak TLS on that port",
  ERR_SSL_WRONG_VERSION_NUMBER: "the server does not speak TLS on that port",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain ends in an untrusted CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
  UNABLE_TO_GET_ISSUER_CERT: "the server's TLS certificate issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate issuer is not trusted",
  CERT_SIGNATURE_FAILURE: "the server's TLS certificate was not signed by the trusted CA",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  CERT_NOT_YET_VALID: "the server's TLS certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match its host name",
};

/** A network or TLS failure found in a cause chain, in words. */
export interface NetworkCause {
  code: string;
  words: string;
  /** The certificate, not the connection, is the problem. */
  tls: boolean;
}

/** The server was reached, and the connection dropped mid-request: a re-run is the fix. */
const DROPPED = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/** The connection dropped after the server was reached (not refused, not DNS, not TLS). */
export function isDroppedConnection(err: unknown): boolean {
  const cause = networkCause(err);
  return cause !== undefined && DROPPED.has(cause.code);
}

const isTlsCode = (code: string) => /CERT|SIGNATURE|ERR_TLS|SELF_SIGNED/.test(code);

export function networkCause(err: unknown, depth = 0): NetworkCause | undefined {
  if (depth > 5 || typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    const words = NETWORK_CAUSES[code];
    if (words) return { code, words, tls: isTlsCode(code) };
    if (isTlsCode(code)) {
      const message = (err as { message?: unknown }).message;
      return { code, words: `the server's TLS certificate was refused (${String(message)})`, tls: true };
    }
  }
  return networkCause((err as { cause?: unknown }).cause, depth + 1);
}

/** Network and TLS failures anywhere in a cause chain, in words (exit 1). */
export function networkError(err: unknown, target?: string): PlsctlError | undefined {
  const cause = networkCause(err);
  if (!cause) return undefined;
  return new PlsctlError(`Could not reach ${target ?? "the server"}: ${cause.words} (${cause.code}).`, {
    exitCode: ExitCode.Failed,
    code: cause.code,
    cause: err,
    hint: cause.tls
      ? 'If this is the plsctl sandbox, load its environment: eval "$(plsctl sandbox env)" (sets PLSCTL_CA_FILE).'
      : DROPPED.has(cause.code)
        ? "The connection dropped mid-request: re-run the same command, it picks up where this one stopped. If it keeps happening, check your network or proxy."
        : "Check the endpoint and your network; for the sandbox, is `plsctl sandbox up` running?",
  });
}
