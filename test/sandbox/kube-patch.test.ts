/** Parse-level tests of the emulator's patch formats and selectors (no server). */
import { describe, expect, it } from "vitest";
import { KubeApiError } from "../../src/sandbox/kube/errors.js";
import { jsonPatch, mergePatch, strategicMergePatch } from "../../src/sandbox/kube/patch.js";
import { findResource } from "../../src/sandbox/kube/resources.js";
import { matchLabels, parseFieldSelector, parseLabelSelector } from "../../src/sandbox/kube/selectors.js";

const svc = {
  metadata: { name: "s", labels: { a: "1", b: "2" }, finalizers: ["x"] },
  spec: {
    ports: [
      { name: "http", port: 80, targetPort: 80 },
      { name: "https", port: 443, targetPort: 443 },
    ],
    selector: { app: "web" },
  },
};

describe("JSON merge patch", () => {
  it("merges maps, deletes with null and replaces lists", () => {
    const out = mergePatch(svc, {
      metadata: { labels: { a: null, c: "3" } },
      spec: { ports: [{ port: 8080 }] },
    });
    expect(out).toEqual({
      metadata: { name: "s", labels: { b: "2", c: "3" }, finalizers: ["x"] },
      spec: { ports: [{ port: 8080 }], selector: { app: "web" } },
    });
  });
});

describe("JSON patch", () => {
  it("applies add, remove, replace, move, copy and test", () => {
    const out = jsonPatch(svc, [
      { op: "test", path: "/metadata/name", value: "s" },
      { op: "add", path: "/metadata/labels/c", value: "3" },
      { op: "remove", path: "/metadata/labels/a" },
      { op: "replace", path: "/spec/ports/0/port", value: 81 },
      { op: "add", path: "/metadata/finalizers/-", value: "y" },
      { op: "copy", from: "/spec/selector", path: "/metadata/annotations" },
      { op: "move", from: "/metadata/labels/b", path: "/metadata/labels/d" },
    ]) as typeof svc & { metadata: { annotations: unknown } };
    expect(out.metadata.labels).toEqual({ c: "3", d: "2" });
    expect(out.metadata.finalizers).toEqual(["x", "y"]);
    expect(out.metadata.annotations).toEqual({ app: "web" });
    expect(out.spec.ports[0]?.port).toBe(81);
    expect(svc.spec.ports[0]?.port).toBe(80);
  });

  it("fails with 422 on a failed test or a missing path", () => {
    const fail = (ops: unknown) => {
      try {
        jsonPatch(svc, ops);
      } catch (e) {
        return e as KubeApiError;
      }
      throw new Error("expected failure");
    };
    expect(fail([{ op: "test", path: "/metadata/name", value: "t" }]).code).toBe(422);
    expect(fail([{ op: "remove", path: "/metadata/nope" }]).code).toBe(422);
    expect(fail({ op: "add" })).toBeInstanceOf(KubeApiError);
  });
});

describe("strategic merge patch", () => {
  it("merges service ports by port and merges finalizers as a set", () => {
    const out = strategicMergePatch(svc, {
      metadata: { finalizers: ["x", "z"] },
      spec: {
        ports: [
          { port: 443, targetPort: 8443 },
          { name: "metrics", port: 9090 },
        ],
      },
    }) as typeof svc;
    expect(out.spec.ports).toEqual([
      { name: "http", port: 80, targetPort: 80 },
      { name: "https", port: 443, targetPort: 8443 },
      { name: "metrics", port: 9090 },
    ]);
    expect(out.metadata.finalizers).toEqual(["x", "z"]);
  });

  it("honours $patch delete/replace, $setElementOrder, $retainKeys and $deleteFromPrimitiveList", () => {
    const out = strategicMergePatch(svc, {
      metadata: { labels: { $patch: "replace", only: "me" }, "$deleteFromPrimitiveList/finalizers": ["x"] },
      spec: {
        "$setElementOrder/ports": [{ port: 443 }, { port: 80 }],
        ports: [{ port: 80, $patch: "delete" }],
        selector: { $retainKeys: ["app"], extra: "dropped?" },
      },
    }) as typeof svc;
    expect(out.metadata.labels).toEqual({ only: "me" });
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.ports.map((p) => p.port)).toEqual([443]);
    expect(out.spec.selector).toEqual({ app: "web" });
    const ordered = strategicMergePatch(svc, {
      spec: { "$setElementOrder/ports": [{ port: 443 }, { port: 80 }] },
    }) as typeof svc;
    expect(ordered.spec.ports.map((p) => p.port)).toEqual([443, 80]);
  });

  it("replaces lists without a merge key", () => {
    const np = {
      spec: { policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }] },
    };
    const out = strategicMergePatch(np, { spec: { ingress: [{ from: [{ podSelector: {} }] }] } });
    expect(out).toEqual({ spec: { policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] } });
  });
});

describe("selectors", () => {
  it("parses label selectors with every operator", () => {
    const reqs = parseLabelSelector("app=web,tier in (a, b),env notin (prod),!legacy,team,zone!=z1,x==y");
    expect(reqs.map((r) => r.op)).toEqual(["=", "in", "notin", "!exists", "exists", "!=", "="]);
    expect(matchLabels(reqs, { app: "web", tier: "a", team: "t", x: "y" })).toBe(true);
    expect(matchLabels(reqs, { app: "web", tier: "a", team: "t", x: "y", legacy: "1" })).toBe(false);
    expect(matchLabels(parseLabelSelector(""), undefined)).toBe(true);
  });

  it("rejects malformed label selectors with 400", () => {
    expect(() => parseLabelSelector("app=we b")).toThrow(KubeApiError);
    expect(() => parseLabelSelector("a b c")).toThrow(/unable to parse requirement/);
  });

  it("knows the per-kind field selectors", () => {
    const events = findResource("", "v1", "events");
    const pods = findResource("", "v1", "pods");
    if (!events || !pods) throw new Error("resources missing");
    expect(parseFieldSelector("involvedObject.name=x,type!=Normal", events)).toEqual([
      { field: "involvedObject.name", op: "=", value: "x" },
      { field: "type", op: "!=", value: "Normal" },
    ]);
    expect(parseFieldSelector("spec.nodeName=n1,status.phase==Running", pods)).toHaveLength(2);
    expect(() => parseFieldSelector("involvedObject.name=x", pods)).toThrow(
      "field label not supported: involvedObject.name",
    );
  });
});
