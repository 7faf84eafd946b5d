import { writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/domain/errors.js";
import { readEnv } from "../../src/env.js";
import { resolveKubeTarget } from "../../src/kube/config.js";
import { kubeError } from "../../src/kube/errors.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("plsctl-kubeconfig-");
const kubeconfig = (file: string, contexts: Array<{ name: string; namespace?: string }>, current: string) => {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: `https://${file}.example:443` } }],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: contexts.map((c) => ({
        name: c.name,
        context: { cluster: "c", user: "u", ...(c.namespace ? { namespace: c.namespace } : {}) },
      })),
      "current-context": current,
    }),
  );
  return path;
};

describe("which cluster and namespace, as kubectl decides", () => {
  const a = kubeconfig("a", [{ name: "dev", namespace: "shop" }, { name: "prod" }], "dev");
  const b = kubeconfig("b", [{ name: "other" }], "other");

  it("uses the current context and its namespace", () => {
    const t = resolveKubeTarget(readEnv({ KUBECONFIG: a }), {});
    expect(t).toMatchObject({ contextName: "dev", namespace: "shop", server: "https://a.example:443" });
  });
  it("lets --context, -n and --kubeconfig override", () => {
    expect(resolveKubeTarget(readEnv({ KUBECONFIG: a }), { context: "prod" })).toMatchObject({
      namespace: "default",
    });
    expect(resolveKubeTarget(readEnv({ KUBECONFIG: a }), { namespace: "x" }).namespace).toBe("x");
    expect(resolveKubeTarget(readEnv({ KUBECONFIG: a }), { kubeconfig: b }).contextName).toBe("other");
  });
  it("merges a KUBECONFIG list, the first file winning", () => {
    const t = resolveKubeTarget(readEnv({ KUBECONFIG: [a, b].join(delimiter) }), { context: "other" });
    expect(t.contextName).toBe("other");
    expect(resolveKubeTarget(readEnv({ KUBECONFIG: [a, b].join(delimiter) }), {}).contextName).toBe("dev");
  });
  it("explains what is missing", () => {
    expect(() => resolveKubeTarget(readEnv({ HOME: dir }), {})).toThrow(/No Kubernetes cluster configured/);
    expect(() => resolveKubeTarget(readEnv({ KUBECONFIG: a }), { context: "nope" })).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/Context "nope" is not in/),
        hint: "Known contexts: dev, prod.",
      }),
    );
    expect(() => resolveKubeTarget(readEnv({}), { kubeconfig: join(dir, "missing") })).toThrow(
      /does not exist/,
    );
  });
});

describe("kubeError", () => {
  const apiError = (code: number, message: string) =>
    Object.assign(new Error("HTTP"), { code, body: JSON.stringify({ kind: "Status", message }) });
  it.each([
    [401, ExitCode.Auth, /rejected the credentials/],
    [403, ExitCode.Auth, /services "web" is forbidden/],
    [404, ExitCode.NotFound, /not found/],
    [409, ExitCode.Failed, /\(409\)/],
  ])("maps %i", (status, exitCode, pattern) => {
    const message =
      status === 403
        ? 'services "web" is forbidden: User "x" cannot patch'
        : status === 404
          ? 'services "web" not found'
          : "conflict";
    const e = kubeError(apiError(status, message), "annotate Service default/web");
    expect(e.exitCode).toBe(exitCode);
    expect(e.message).toMatch(pattern);
  });
  it("puts network failures in words", () => {
    const e = kubeError(
      Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
      "read Service",
      "https://127.0.0.1:6443",
    );
    expect(e.message).toMatch(/Kubernetes API at https:\/\/127\.0\.0\.1:6443: the connection was refused/);
  });
});
