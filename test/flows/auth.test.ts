/** Authentication and authorisation failures from the real (emulated) ARM, as users meet them. */
import { beforeAll, describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

/** The default world plus an intern: same tenant as the provider, no role at all. */
function worldWithIntern() {
  const world = defaultWorld();
  const provider = world.identities[0];
  if (!provider) throw new Error("no provider identity");
  world.identities.push({
    ...provider,
    name: "intern",
    displayName: "Contoso intern",
    objectId: "6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8a9b",
    clientId: "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c",
    roleAssignments: [],
  });
  return world;
}

const t = useSandbox({ world: worldWithIntern() });

beforeAll(async () => {
  const { sb, core } = t;
  await createService(core, "web", INTERNAL);
  const r = await runCli(["expose", "web", "--pls-name", "pls-web"], { env: sandboxEnv(sb) });
  expect(r.code).toBe(0);
});

describe("Azure auth errors", () => {
  it("exits 4 naming the missing permission and scope", async () => {
    const r = await runCli(["status", "web"], { env: sandboxEnv(t.sb, "intern") });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /not allowed to perform 'Microsoft\.Network\/privateLinkServices\/read' on \/subscriptions\/1b2c3d4e-/,
    );
    expect(r.stderr).toMatch(
      /Ask an owner to grant a role that includes 'Microsoft\.Network\/privateLinkServices\/read'/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 4 explaining a token of another tenant", async () => {
    const env = { ...sandboxEnv(t.sb, "partner"), KUBECONFIG: t.sb.kube.kubeconfigPath };
    const r = await runCli(["status", "web"], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/InvalidAuthenticationTokenTenant/);
    expect(r.stderr).toMatch(/--tenant/);
  });

  it("exits 4 on a token ARM does not know, and never prints it", async () => {
    const token = "eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.bogus-signature";
    const r = await runCli(["status", "web", "--verbose"], {
      env: { ...sandboxEnv(t.sb), PLSCTL_ACCESS_TOKEN: token },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /Azure rejected the token in PLSCTL_ACCESS_TOKEN: .*\((InvalidAuthenticationToken|AuthenticationFailed)/,
    );
    expect(r.stderr + r.stdout).not.toContain(token);
    expect(r.stderr + r.stdout).not.toContain("bogus-signature");
  });

  it("never prints the sandbox token, even with --verbose", async () => {
    const env = sandboxEnv(t.sb);
    const r = await runCli(["status", "web", "--verbose", "-o", "json"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr + r.stdout).not.toContain(env.PLSCTL_ACCESS_TOKEN as string);
  });

  it("refuses a plain-http ARM endpoint with exit 2", async () => {
    const r = await runCli(["status", "web"], {
      env: { ...sandboxEnv(t.sb), PLSCTL_ARM_ENDPOINT: t.sb.arm.url.replace("https", "http") },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must use https/);
  });

  it("explains an untrusted certificate (no PLSCTL_CA_FILE) with exit 1", async () => {
    const { PLSCTL_CA_FILE: _ca, ...env } = sandboxEnv(t.sb);
    const r = await runCli(["status", "web"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TLS certificate|certificate/);
    expect(r.stderr).toMatch(/PLSCTL_CA_FILE/);
  });

  it("exits 1 with the cause in words when ARM is unreachable", async () => {
    const r = await runCli(["status", "web"], {
      env: { ...sandboxEnv(t.sb), PLSCTL_ARM_ENDPOINT: "https://127.0.0.1:9" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/connection was refused/);
  });
});
