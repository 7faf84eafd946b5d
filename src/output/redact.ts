/** Never print a token or secret, not even with --verbose: everything on stderr passes through here. */

const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const SECRET_PARAM = /\b(access_token|client_secret|token|sig)=([^&\s"']+)/gi;

export function makeRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const exact = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8);
  return (text: string) => {
    let out = text;
    for (const s of exact) out = out.split(s).join("[redacted]");
    return out
      .replace(BEARER, "$1[redacted]")
      .replace(JWT, "[redacted]")
      .replace(SECRET_PARAM, "$1=[redacted]");
  };
}
