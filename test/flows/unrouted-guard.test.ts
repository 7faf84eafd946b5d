/**
 * The guard every flow suite gets from useSandbox(): a request the sandbox has no route for fails
 * the test. Checked here on the helper itself, with deliberately wrong URLs.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertNothingUnrouted, markUnrouted, unroutedSince } from "../helpers/unrouted.js";
import { startTestSandbox, type TestSandbox } from "../sandbox/helpers/sandbox.js";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox({ controller: false });
});
afterAll(async () => sb?.close());

function get(base: string, ca: string, token: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}
const armGet = (path: string) => get(sb.arm.url, sb.arm.caCertPem, sb.arm.tokens.provider ?? "", path);
const kubeGet = (path: string) => get(sb.kube.url, sb.kube.caCertPem, sb.kube.token, path);

describe("the unrouted-request guard", () => {
  it("passes when every request was routed, whatever its status", async () => {
    const mark = markUnrouted(sb);
    expect(await armGet("/subscriptions?api-version=2022-12-01")).toBe(200);
    expect(await kubeGet("/api/v1/namespaces/default/services/missing")).toBe(404);
    expect(unroutedSince(sb, mark)).toEqual([]);
    expect(() => assertNothingUnrouted(sb, mark)).not.toThrow();
  });

  it("fails naming a wrong ARM URL", async () => {
    const mark = markUnrouted(sb);
    await armGet("/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b/nonsense/path?api-version=2026-01-01");
    expect(() => assertNothingUnrouted(sb, mark)).toThrow(
      /no route for:\n {2}ARM: GET \/subscriptions\/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b\/nonsense\/path/,
    );
  });

  it("fails on a wrong Kubernetes URL", async () => {
    const mark = markUnrouted(sb);
    expect(await kubeGet("/apis/not.a.group/v1/widgets")).toBe(404);
    expect(unroutedSince(sb, mark)).toEqual(["Kubernetes API: 1 request(s) (PLSCTL_TEST_LOG=1 shows them)"]);
    expect(() => assertNothingUnrouted(sb, mark)).toThrow(/Kubernetes API: 1 request/);
  });

  it("counts only what came after the mark", async () => {
    const mark = markUnrouted(sb);
    expect(unroutedSince(sb, mark)).toEqual([]);
  });
});
