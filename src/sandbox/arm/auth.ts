/**
 * Bearer tokens: one per world identity plus the admin token, generated at first start and kept
 * in the state directory. They are JWT-shaped (unsigned) so tools that decode tokens work; the
 * server recognises a caller by exact token match.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IdentitySpec, WorldSpec } from "../world.js";
import { ArmError } from "./errors.js";
import type { CallerIdentity } from "./types.js";

export const TOKENS_FILE = "arm-tokens.json";
export const ADMIN = "_admin";

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function makeToken(id: IdentitySpec): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: "JWT", alg: "RS256", kid: "plsctl-sandbox" };
  const payload = {
    aud: "https://management.azure.com/",
    iss: `https://sts.windows.net/${id.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + 100 * 365 * 24 * 3600,
    appid: id.clientId,
    appidacr: "1",
    idp: `https://sts.windows.net/${id.tenantId}/`,
    oid: id.objectId,
    sub: id.objectId,
    tid: id.tenantId,
    name: id.displayName,
    uti: randomBytes(12).toString("base64url"),
    ver: "1.0",
    xms_sandbox_identity: id.name,
  };
  return `${b64url(header)}.${b64url(payload)}.${randomBytes(32).toString("base64url")}`;
}

/** Loads the tokens of `dir`, adding tokens for identities that have none yet. */
export function ensureTokens(dir: string, world: WorldSpec): Record<string, string> {
  const file = join(dir, TOKENS_FILE);
  let tokens: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      tokens = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    } catch (e) {
      throw new Error(
        `The sandbox token file ${file} is corrupted (${(e as Error).message}). Remove it to issue new tokens.`,
      );
    }
  }
  let changed = false;
  for (const id of world.identities) {
    if (!tokens[id.name]) {
      tokens[id.name] = makeToken(id);
      changed = true;
    }
  }
  if (!tokens[ADMIN]) {
    tokens[ADMIN] = `sandbox-admin.${randomBytes(24).toString("base64url")}`;
    changed = true;
  }
  if (changed) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(tokens, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return tokens;
}

const WWW_MISSING =
  'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."';
const WWW_INVALID =
  'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is invalid."';

const WWW_EXPIRED =
  'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token has expired."';

/** The `exp` claim of a JWT-shaped token, in ms; undefined when it is not one. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** ARM's wording of times in token errors: 6/15/2026 8:22:51 AM (UTC). */
function armTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}

/** Resolves the caller of a request, or throws ARM's 401 (unknown token, expired JWT). */
export function authenticate(
  header: string | undefined,
  byToken: Map<string, CallerIdentity>,
): CallerIdentity {
  if (!header) {
    throw new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      {
        "WWW-Authenticate": WWW_MISSING,
      },
    );
  }
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m?.[1]) {
    throw new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      { "WWW-Authenticate": WWW_INVALID },
    );
  }
  const id = byToken.get(m[1]);
  const expiry = id ? undefined : jwtExpiry(m[1]);
  if (expiry !== undefined && expiry < Date.now()) {
    throw new ArmError(
      401,
      "ExpiredAuthenticationToken",
      `The access token expiry UTC time '${armTime(expiry)}' is earlier than current UTC time '${armTime(Date.now())}'.`,
      { "WWW-Authenticate": WWW_EXPIRED },
    );
  }
  if (!id) {
    throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.", {
      "WWW-Authenticate": WWW_INVALID,
    });
  }
  return id;
}

export function wrongTenant(callerTenant: string, subTenant: string): ArmError {
  return new ArmError(
    401,
    "InvalidAuthenticationTokenTenant",
    `The access token is from the wrong issuer 'https://sts.windows.net/${callerTenant}/'. It must match the tenant 'https://sts.windows.net/${subTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    {
      "WWW-Authenticate": `Bearer authorization_uri="https://login.windows.net/${subTenant}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
    },
  );
}
