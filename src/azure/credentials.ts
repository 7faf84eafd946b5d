/**
 * How plsctl authenticates to ARM. PLSCTL_ACCESS_TOKEN wins (a bearer token used as is: CI
 * pipelines that already hold one, and the sandbox); otherwise DefaultAzureCredential, which reuses
 * `az login`, service-principal and workload-identity variables, and managed identity.
 * @azure/identity (with MSAL) is imported only in that second case: it costs ~20 MB and ~0.1 s.
 */
import { readFile } from "node:fs/promises";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { armScope, type CloudSettings } from "../domain/cloud.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import type { PlsctlEnv } from "../env.js";

export interface ArmConnection {
  credential: TokenCredential;
  endpoint: string;
  scope: string;
  /** Extra CA to trust for this endpoint only (PLSCTL_CA_FILE). */
  ca: string | undefined;
}

function staticToken(token: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
  };
}

export function validateArmEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(
      `PLSCTL_ARM_ENDPOINT is not a URL: ${JSON.stringify(raw)}.`,
      "Set it to https://host[:port], or unset it to use Azure.",
    );
  }
  if (url.protocol !== "https:") {
    throw usageError(
      `PLSCTL_ARM_ENDPOINT must use https, got ${url.protocol}//${url.host}: bearer tokens are never sent over plain http.`,
      "Use the https endpoint that `plsctl sandbox env` prints, with PLSCTL_CA_FILE for its certificate.",
    );
  }
  return url.origin;
}

async function readCa(path: string): Promise<string> {
  try {
    const pem = await readFile(path, "utf8");
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate in it");
    return pem;
  } catch (err) {
    throw new PlsctlError(`Cannot use PLSCTL_CA_FILE=${path}: ${(err as Error).message}.`, {
      exitCode: ExitCode.Usage,
      code: "InvalidCaFile",
      hint: "Point it at a PEM CA certificate (the sandbox's is <state dir>/ca.crt), or unset it.",
    });
  }
}

async function defaultCredential(cloud: CloudSettings, tenant: string | undefined): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential({
    authorityHost: cloud.authorityHost,
    ...(tenant ? { tenantId: tenant } : {}),
    additionallyAllowedTenants: ["*"],
  });
}

export async function armConnection(
  env: PlsctlEnv,
  cloud: CloudSettings,
  tenant?: string,
): Promise<ArmConnection> {
  const endpoint = env.armEndpoint ? validateArmEndpoint(env.armEndpoint) : cloud.armEndpoint;
  const ca = env.caFile ? await readCa(env.caFile) : undefined;
  const credential = env.accessToken ? staticToken(env.accessToken) : await defaultCredential(cloud, tenant);
  return { credential, endpoint, scope: armScope(cloud), ca };
}

/** Who the credential is, from its access token's claims (the token itself is never kept or shown). */
export interface CredentialPrincipal {
  /** `oid`: the principal's object id. */
  objectId: string | undefined;
  /** `tid` */
  tenantId: string | undefined;
  /** `appid`/`azp`: the application (client) id of a service principal or managed identity. */
  appId: string | undefined;
  /** `upn`, `unique_name` or `name`. */
  name: string | undefined;
}

export async function credentialPrincipal(
  conn: ArmConnection,
  signal: AbortSignal,
): Promise<CredentialPrincipal> {
  const token = await conn.credential.getToken(conn.scope, { abortSignal: signal });
  if (!token) throw new Error("the credential returned no access token");
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(token.token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    // an opaque token: nothing to tell
  }
  const s = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string) : undefined);
  return {
    objectId: s("oid"),
    tenantId: s("tid"),
    appId: s("appid") ?? s("azp"),
    name: s("upn") ?? s("unique_name") ?? s("name"),
  };
}
