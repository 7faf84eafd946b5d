/**
 * Never print a token or secret, not even with --verbose. main() wraps stdout and stderr once
 * (redactIo), so every byte plsctl writes passes through the same redactor.
 */
import type { CliIo, OutStream } from "./io.js";

const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** JWTs start with base64url("{\"") = "eyJ"; case-insensitive, so an upper/lower-cased copy goes too. */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/gi;
const SECRET_PARAM = /\b(access_token|client_secret|token|sig)=([^&\s"']+)/gi;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface Redactor {
  (text: string): string;
  /** A value to hide from now on (e.g. the kubeconfig's bearer token, once it is read). */
  addSecret(secret: string | undefined): void;
}

export function makeRedactor(secrets: ReadonlyArray<string | undefined> = []): Redactor {
  const known = new Set<string>();
  let exact: RegExp | undefined;
  const addSecret = (secret: string | undefined) => {
    if (typeof secret !== "string" || secret.length < 8 || known.has(secret)) return;
    known.add(secret);
    // Longest first, so a secret that contains another is hidden whole; any letter case.
    const alternatives = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
    exact = new RegExp(alternatives.join("|"), "gi");
  };
  for (const s of secrets) addSecret(s);
  const redact = (text: string) =>
    (exact ? text.replace(exact, "[redacted]") : text)
      .replace(BEARER, "$1[redacted]")
      .replace(JWT, "[redacted]")
      .replace(SECRET_PARAM, "$1=[redacted]");
  return Object.assign(redact, { addSecret });
}

export interface RedactedIo {
  io: CliIo;
  /**
   * While true, stdout passes through unredacted: only for a command whose result is a credential
   * by design (`plsctl sandbox env` prints export lines for eval). stderr is always redacted.
   */
  setStdoutVerbatim(verbatim: boolean): void;
}

function redactedStream(inner: OutStream, redact: (text: string) => string, verbatim = () => false) {
  const stream: OutStream = {
    write: (chunk: string) => inner.write(verbatim() ? chunk : redact(String(chunk))),
  };
  Object.defineProperties(stream, {
    isTTY: { get: () => inner.isTTY, enumerable: true },
    columns: { get: () => inner.columns, enumerable: true },
  });
  return stream;
}

/** The streams of `io`, wrapped once: everything written to them is redacted. */
export function redactIo(io: CliIo, redact: Redactor): RedactedIo {
  let stdoutVerbatim = false;
  return {
    io: {
      ...io,
      stdout: redactedStream(io.stdout, redact, () => stdoutVerbatim),
      stderr: redactedStream(io.stderr, redact),
    },
    setStdoutVerbatim: (v) => {
      stdoutVerbatim = v;
    },
  };
}
