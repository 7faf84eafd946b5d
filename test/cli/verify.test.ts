/**
 * `plsctl verify` without PLSCTL_SANDBOX_PROXY dials directly — tested only against servers of this
 * test on 127.0.0.1 (never a private address): reached with the HTTP answer, refused, an HTTP
 * server that never answers, a name resolved by the system resolver (localhost). And its bad
 * input: exit 2, one message with a hint, no stack, nothing dialled.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, type Server as NetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { recordConnects } from "../sandbox/helpers/partner-net.js";

let http: Server;
let silent: NetServer;
let httpPort = 0;
let silentPort = 0;
let closedPort = 0;
const held = new Set<import("node:net").Socket>();

const listen = (s: Server | NetServer): Promise<number> =>
  new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      resolve(typeof a === "object" && a ? a.port : 0);
    }),
  );

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    res.setHeader("Server", "test-app");
    res.setHeader("X-Unrelated", "dropped");
    res.end(`hello from ${req.url} ${"x".repeat(500)}`);
  });
  httpPort = await listen(http);
  silent = createServer((sock) => {
    // accepts, never answers
    held.add(sock);
    sock.resume(); // reads, so it sees the client close
    sock.on("error", () => {});
    sock.on("close", () => held.delete(sock));
  });
  silentPort = await listen(silent);
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise<void>((resolve) => gone.close(() => resolve()));
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  // verify closes its side when it gives up on the answer (else this hook times out)
  await Promise.all([...held].map((sock) => new Promise((resolve) => sock.once("close", resolve))));
  await new Promise((resolve) => silent.close(resolve));
});

const verify = (args: string[]) => runCli(["verify", ...args]);

describe("plsctl verify, direct (loopback only)", () => {
  it("reached: TCP and GET, a few headers, the first 200 characters of the body", async () => {
    const r = await verify([
      "--address",
      "127.0.0.1",
      "--port",
      String(httpPort),
      "--http",
      "/hi",
      "-o",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      reached: true,
      via: "direct",
      target: { host: "127.0.0.1", port: httpPort, address: "127.0.0.1" },
      endpoint: null,
      dns: null,
      cause: null,
      http: { status: 200, sourceIp: null, headers: { server: "test-app" } },
    });
    expect(out.http.headers["x-unrelated"]).toBeUndefined();
    expect(out.http.body).toMatch(/^hello from \/hi x+$/);
    expect(out.http.body).toHaveLength(200);
    expect(out.steps.map((s: { step: string }) => s.step)).toEqual(["connect", "http"]);
  });

  it("a name goes through the system resolver: localhost", async () => {
    const r = await verify(["--address", "localhost", "--port", String(httpPort), "-o", "json"]);
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dns.name).toBe("localhost");
    expect(out.dns.addresses.length).toBeGreaterThan(0);
    expect(out.dns.matchesEndpoint).toBeNull();
    expect(out.steps[0]).toMatchObject({ step: "resolve", ok: true, ms: expect.any(Number) });
  });

  it("refused: exit 1, named, in words", async () => {
    const r = await verify(["--address", "127.0.0.1", "--port", String(closedPort)]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe(
      `Verifying 127.0.0.1:${closedPort} directly from this machine (no PLSCTL_SANDBOX_PROXY)`,
    );
    expect(r.stdout).toMatch(/FAIL connect .*connection refused/);
    expect(r.stdout).toMatch(/Not reached: The connection to 127\.0\.0\.1:\d+ was refused/);
    expect(r.stdout).toMatch(/Check --port against the Service's ports/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an HTTP server that never answers: http-failed after --timeout", async () => {
    const r = await verify([
      "--address",
      "127.0.0.1",
      "--port",
      String(silentPort),
      "--http",
      "/",
      "--timeout",
      "300ms",
      "-o",
      "json",
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.steps.map((s: { step: string; ok: boolean }) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["http", false],
    ]);
    expect(out.cause).toMatchObject({
      kind: "http-failed",
      message: expect.stringMatching(/no answer in 300 ms/),
    });
  });
});

describe("plsctl verify: bad input (exit 2, nothing dialled)", () => {
  const rows: Array<[string[], RegExp]> = [
    [[], /Nothing to verify/],
    [["--endpoint", "pe-x"], /--endpoint pe-x needs its resource group/],
    [["--address", "127.0.0.1", "--port", "0"], /--port "0" is not a TCP port/],
    [["--address", "127.0.0.1", "--port", "http"], /--port "http" is not a TCP port/],
    [["--address", "127.0.0.1", "--http", "index.html"], /--http "index.html" is not a request path/],
    [["--address", "127.0.0.1", "--timeout", "10"], /--timeout "10" has no unit/],
  ];
  it.each(rows)("%j → %s", async (args, message) => {
    const connects = recordConnects();
    let r: Awaited<ReturnType<typeof verify>>;
    try {
      r = await verify(args);
    } finally {
      connects.stop();
    }
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(connects.calls).toEqual([]);
  });

  it("a sandbox proxy off loopback: exit 2 with the fix", async () => {
    const r = await runCli(["verify", "--address", "10.0.0.4"], {
      env: { PLSCTL_SANDBOX_PROXY: "http://proxy.example.com:3128" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/proxy\.example\.com is not on this machine/);
    expect(r.stderr).toMatch(/plsctl sandbox env --as partner/);
  });
});
