/**
 * The controller's ARM client against a tiny scripted HTTPS server on 127.0.0.1: LRO polling through
 * Azure-AsyncOperation and Location, failed operations rendered as azcore errors, paging, 404s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmClient, createArmClient } from "../../src/sandbox/controller/arm-client.js";
import { ArmResponseError } from "../../src/sandbox/controller/messages.js";
import { ensureTls } from "../../src/sandbox/tls.js";

type Handler = (
  method: string,
  url: URL,
  body: string,
) => { status: number; body?: unknown; headers?: Record<string, string> };

let server: Server;
let base = "";
let dir = "";
let client: ArmClient;
const seen: string[] = [];
let handler: Handler = () => ({ status: 500 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-armclient-"));
  const tls = ensureTls(dir);
  server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      seen.push(`${req.method} ${url.pathname}${url.search} ${req.headers.authorization}`);
      const r = handler(req.method ?? "GET", url, Buffer.concat(chunks).toString());
      res.writeHead(r.status, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(r.body === undefined ? "" : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createArmClient({ url: base, token: "tok", caCertPem: tls.caCertPem, pollIntervalMs: 1 });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("ARM client", () => {
  it("PUT with Azure-AsyncOperation polls to Succeeded, then GETs the resource; sends api-version and the token", async () => {
    seen.length = 0;
    let polls = 0;
    handler = (method, url) => {
      if (method === "PUT")
        return {
          status: 201,
          body: {},
          headers: { "Azure-AsyncOperation": `${base}/op/1?api-version=2026-01-01` },
        };
      if (url.pathname === "/op/1")
        return { status: 200, body: { status: ++polls < 3 ? "InProgress" : "Succeeded" } };
      return { status: 200, body: { name: "x", properties: { provisioningState: "Succeeded" } } };
    };
    const r = await client.put<{ name: string }>("/subscriptions/s/x", { a: 1 });
    expect(r.name).toBe("x");
    expect(polls).toBe(3);
    expect(seen[0]).toBe("PUT /subscriptions/s/x?api-version=2026-01-01 Bearer tok");
    expect(seen.at(-1)).toBe("GET /subscriptions/s/x?api-version=2026-01-01 Bearer tok");
  });

  it("a Failed operation becomes azcore's error text for the status poll", async () => {
    handler = (method) => {
      if (method === "PUT")
        return { status: 201, body: {}, headers: { "Azure-AsyncOperation": `${base}/op/2` } };
      return {
        status: 200,
        body: {
          status: "Failed",
          error: { code: "PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer", message: "no" },
        },
      };
    };
    const err = await client.put("/subscriptions/s/y", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArmResponseError);
    expect((err as Error).message).toBe(
      [
        `GET ${base}/op/2`,
        "-".repeat(80),
        "RESPONSE 200: 200 OK",
        "ERROR CODE: PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer",
        "-".repeat(80),
        JSON.stringify(
          {
            status: "Failed",
            error: { code: "PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer", message: "no" },
          },
          null,
          2,
        ),
        "-".repeat(80),
        "",
      ].join("\n"),
    );
  });

  it("DELETE with only Location polls until it stops answering 202", async () => {
    let polls = 0;
    handler = (method, url) => {
      if (method === "DELETE") return { status: 202, headers: { Location: `${base}/result/1` } };
      if (url.pathname === "/result/1") return { status: ++polls < 2 ? 202 : 204 };
      return { status: 500 };
    };
    await client.delete("/subscriptions/s/z");
    expect(polls).toBe(2);
  });

  it("GET: 404 is undefined, other errors throw; lists follow nextLink", async () => {
    handler = (_m, url) => {
      if (url.pathname === "/missing")
        return { status: 404, body: { error: { code: "ResourceNotFound", message: "nope" } } };
      if (url.pathname === "/denied")
        return { status: 403, body: { error: { code: "AuthorizationFailed", message: "no" } } };
      if (url.pathname === "/list" && !url.searchParams.has("page"))
        return {
          status: 200,
          body: { value: [1, 2], nextLink: `${base}/list?page=2&api-version=2026-01-01` },
        };
      return { status: 200, body: { value: [3] } };
    };
    expect(await client.get("/missing")).toBeUndefined();
    await expect(client.getStrict("/missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
    await expect(client.get("/denied")).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
    });
    expect(await client.list<number>("/list")).toEqual([1, 2, 3]);
  });

  it("retries 500s a few times before giving up", async () => {
    let calls = 0;
    handler = () => {
      calls++;
      return { status: calls < 3 ? 500 : 200, body: { ok: calls } };
    };
    expect(await client.get<{ ok: number }>("/flaky")).toEqual({ ok: 3 });
  });
});
