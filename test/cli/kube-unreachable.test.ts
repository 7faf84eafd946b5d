/**
 * A kubeconfig whose server answers nothing useful, with real loopback servers: a closed port, a
 * server that resets the connection, and TLS servers whose certificate the kubeconfig's
 * certificate-authority-data does not vouch for (other CA, other host name).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTls, type SandboxTls } from "../../src/sandbox/tls.js";
import { runCli } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "plsctl-kube-unreachable-"));
let serverTls: SandboxTls;
let otherCa: SandboxTls;
const servers: Server[] = [];

beforeAll(() => {
  serverTls = ensureTls(join(dir, "server"));
  otherCa = ensureTls(join(dir, "other"));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

async function listen(server: Server, host = "127.0.0.1"): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

function kubeconfig(server: string, caPem?: string): string {
  const file = join(dir, `kubeconfig-${servers.length}-${Math.random().toString(36).slice(2)}`);
  const cluster = {
    server,
    ...(caPem ? { "certificate-authority-data": Buffer.from(caPem).toString("base64") } : {}),
  };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "c",
      clusters: [{ name: "c", cluster }],
      users: [{ name: "u", user: { token: "kube-token-for-tests" } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    }),
  );
  return file;
}

async function status(server: string, caPem?: string) {
  const r = await runCli(["status", "web"], { env: { KUBECONFIG: kubeconfig(server, caPem) } });
  expect(r.code).toBe(1);
  const [error = "", hint = "", ...rest] = r.stderr.trimEnd().split("\n");
  expect(rest, r.stderr).toEqual([]);
  expect(error).not.toMatch(/fetch failed|Unexpected error/);
  return { error, hint };
}

describe("the kubeconfig's server does not answer usefully", () => {
  it("names the server and says the connection was refused", async () => {
    const port = await listen(createServer());
    await new Promise((r) => servers.pop()?.close(r)); // now nothing listens there
    const { error, hint } = await status(`https://127.0.0.1:${port}`);
    expect(error).toContain(`Kubernetes API at https://127.0.0.1:${port}: the connection was refused`);
    expect(hint).toMatch(/server in the kubeconfig.*cluster is running.*kubectl cluster-info/);
  });

  it("says the connection was reset", async () => {
    const port = await listen(createServer((socket) => socket.resetAndDestroy()));
    const { error, hint } = await status(`https://127.0.0.1:${port}`);
    expect(error).toMatch(/the connection was reset|closed the connection/);
    expect(hint).toMatch(/kubectl cluster-info/);
  });

  it.each([
    [
      "a certificate from another CA",
      "127.0.0.1",
      () => otherCa.caCertPem,
      /not signed by the trusted CA|issuer/,
    ],
    [
      "a certificate for another host name",
      "127.0.0.2",
      () => serverTls.caCertPem,
      /does not match its host name/,
    ],
    [
      "no certificate authority in the kubeconfig",
      "127.0.0.1",
      () => undefined,
      /could not be verified|untrusted|issuer/,
    ],
  ])(
    "points a TLS failure (%s) at the kubeconfig's certificate-authority, not PLSCTL_CA_FILE",
    async (_what, host, ca, why) => {
      const https = createHttpsServer({ cert: serverTls.certPem, key: serverTls.keyPem }, (_req, res) =>
        res.end("{}"),
      );
      const port = await listen(https, host);
      const { error, hint } = await status(`https://${host}:${port}`, ca());
      expect(error).toContain(`Kubernetes API at https://${host}:${port} is not trusted by the kubeconfig`);
      expect(error).toMatch(why);
      expect(hint).toMatch(/certificate-authority-data in the kubeconfig/);
      expect(hint).not.toContain("PLSCTL_CA_FILE");
    },
  );
});
