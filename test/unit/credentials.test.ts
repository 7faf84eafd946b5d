import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { armConnection, validateArmEndpoint } from "../../src/azure/credentials.js";
import { CLOUDS } from "../../src/domain/cloud.js";
import { ExitCode } from "../../src/domain/errors.js";
import { readEnv } from "../../src/env.js";
import { tempDir } from "../helpers/temp.js";

describe("ARM endpoint and credentials", () => {
  it("refuses a non-https endpoint with a usage error", () => {
    expect(() => validateArmEndpoint("http://127.0.0.1:8443")).toThrow(/must use https/);
    expect(() => validateArmEndpoint("not a url")).toThrow(/not a URL/);
    expect(validateArmEndpoint("https://127.0.0.1:8443/")).toBe("https://127.0.0.1:8443");
  });

  it("uses PLSCTL_ACCESS_TOKEN as is, for the cloud's ARM scope", async () => {
    const conn = await armConnection(
      readEnv({ PLSCTL_ACCESS_TOKEN: "tok-123456789" }),
      CLOUDS.AzureUSGovernment,
    );
    expect(conn.endpoint).toBe("https://management.usgovcloudapi.net");
    expect(conn.scope).toBe("https://management.core.usgovcloudapi.net/.default");
    expect((await conn.credential.getToken(conn.scope))?.token).toBe("tok-123456789");
  });

  it("falls back to DefaultAzureCredential (imported on demand) without PLSCTL_ACCESS_TOKEN", async () => {
    const conn = await armConnection(readEnv({}), CLOUDS.AzureCloud, "00000000-0000-0000-0000-000000000001");
    expect(conn.credential.constructor.name).toBe("DefaultAzureCredential");
  });

  it("reads PLSCTL_CA_FILE and rejects a file without a certificate", async () => {
    const dir = tempDir("plsctl-ca-");
    writeFileSync(join(dir, "bad.pem"), "hello");
    const env = readEnv({ PLSCTL_ACCESS_TOKEN: "tok-123456789", PLSCTL_CA_FILE: join(dir, "bad.pem") });
    await expect(armConnection(env, CLOUDS.AzureCloud)).rejects.toMatchObject({ exitCode: ExitCode.Usage });
    await expect(
      armConnection({ ...env, caFile: join(dir, "missing.pem") }, CLOUDS.AzureCloud),
    ).rejects.toMatchObject({ exitCode: ExitCode.Usage });
  });
});
