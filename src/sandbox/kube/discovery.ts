/**
 * Discovery and OpenAPI: /version; /api and /apis as aggregated discovery (APIGroupDiscoveryList,
 * apidiscovery.k8s.io v2 or v2beta1) when the client's Accept asks for it, as kubectl ≥ 1.26 does,
 * and as the legacy APIVersions / APIGroupList otherwise; /api/v1 and /apis/<group>[/<version>];
 * /openapi/v2 (an empty document: protobuf for kubectl, JSON otherwise) and /openapi/v3 with one
 * document per group version whose PATCH operations declare `fieldValidation`, `dryRun` and
 * `fieldManager`, so kubectl leaves validation to the server.
 */
import { createHash } from "node:crypto";
import { apiVersionOf, RESOURCES, type ResourceDef } from "./resources.js";

type Doc = Record<string, unknown>;

export function versionInfo(kubernetesVersion: string): Doc {
  const [major = "1", minor = "31"] = kubernetesVersion.split(".");
  return {
    major,
    minor,
    gitVersion: `v${kubernetesVersion}`,
    gitCommit: "af64d838aacd9173317b39cf273741816bd82377",
    gitTreeState: "clean",
    buildDate: "2025-01-15T14:31:55Z",
    goVersion: "go1.22.10",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function groups(served: readonly ResourceDef[]): Map<string, ResourceDef[]> {
  const m = new Map<string, ResourceDef[]>();
  for (const r of served) {
    const gv = apiVersionOf(r);
    m.set(gv, [...(m.get(gv) ?? []), r]);
  }
  return m;
}

export function apiVersions(serverAddress: string): Doc {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(group: string, version: string): Doc {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(served: readonly ResourceDef[] = RESOURCES): Doc {
  const names = [...new Set(served.filter((r) => r.group).map((r) => `${r.group}|${r.version}`))];
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: names.map((n) => {
      const [g = "", v = ""] = n.split("|");
      return groupDoc(g, v);
    }),
  };
}

export function apiGroup(group: string, served: readonly ResourceDef[] = RESOURCES): Doc | undefined {
  const r = served.find((x) => x.group === group && group !== "");
  return r ? { kind: "APIGroup", apiVersion: "v1", ...groupDoc(group, r.version) } : undefined;
}

function storageVersionHash(r: ResourceDef): string {
  return createHash("sha256")
    .update(`${apiVersionOf(r)}/${r.kind}`)
    .digest("base64")
    .slice(0, 11);
}

export function resourceList(
  groupVersion: string,
  served: readonly ResourceDef[] = RESOURCES,
): Doc | undefined {
  const rs = groups(served).get(groupVersion);
  if (!rs) return undefined;
  const resources: Doc[] = [];
  for (const r of rs) {
    const entry: Doc = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      storageVersionHash: storageVersionHash(r),
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories) entry.categories = r.categories;
    resources.push(entry);
    if (r.kind === "Pod") {
      resources.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
    }
    if (r.status) {
      resources.push({
        name: `${r.plural}/status`,
        singularName: "",
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

/** An empty OpenAPI v2 document: the protobuf encoding of an empty message is zero bytes. */
export function openApiV2Json(kubernetesVersion: string): Doc {
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: `v${kubernetesVersion}` },
    paths: {},
    definitions: {},
  };
}

function gvPath(gv: string): string {
  return gv.includes("/") ? `apis/${gv}` : `api/${gv}`;
}

export function openApiV3Root(served: readonly ResourceDef[] = RESOURCES): Doc {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groups(served).keys()) {
    const p = gvPath(gv);
    const hash = createHash("sha512")
      .update(JSON.stringify(openApiV3Doc(p, "x", served)))
      .digest("hex")
      .toUpperCase()
      .slice(0, 128);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

const q = (name: string, description: string) => ({
  name,
  in: "query",
  description,
  schema: { type: "string", uniqueItems: true },
});
const PATCH_PARAMS = [
  q("dryRun", "When present, indicates that modifications should not be persisted."),
  q(
    "fieldManager",
    "fieldManager is a name associated with the actor or entity that is making these changes.",
  ),
  q(
    "fieldValidation",
    "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
  ),
];

/** The OpenAPI v3 document of one group version (`api/v1`, `apis/networking.k8s.io/v1`), or undefined. */
export function openApiV3Doc(
  path: string,
  kubernetesVersion: string,
  served: readonly ResourceDef[] = RESOURCES,
): Doc | undefined {
  const gv = path.startsWith("api/") ? path.slice(4) : path.startsWith("apis/") ? path.slice(5) : "";
  const rs = groups(served).get(gv);
  if (!rs) return undefined;
  const paths: Record<string, Doc> = {};
  for (const r of rs) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const base = `/${gvPath(gv)}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}/{name}`;
    const op = (action: string) => ({
      description: `${action} the specified ${r.kind}`,
      operationId: `${action}${r.kind}`,
      responses: { "200": { description: "OK" } },
      "x-kubernetes-action": action,
      "x-kubernetes-group-version-kind": gvk,
    });
    paths[base] = {
      get: op("get"),
      put: { ...op("put"), parameters: PATCH_PARAMS },
      patch: { ...op("patch"), parameters: PATCH_PARAMS },
      delete: op("delete"),
      parameters: [
        { name: "name", in: "path", required: true, schema: { type: "string", uniqueItems: true } },
        ...PATCH_PARAMS,
      ],
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: `v${kubernetesVersion}` },
    paths,
    components: { schemas: {} },
  };
}

/** The aggregated-discovery version a client asks for in Accept (`v2` preferred), or undefined. */
export function aggregatedVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  for (const t of (accept ?? "").split(",")) {
    const params = Object.fromEntries(
      t
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.g === "apidiscovery.k8s.io" && params.as === "APIGroupDiscoveryList") {
      if (params.v === "v2" || params.v === "v2beta1") return params.v;
    }
  }
  return undefined;
}

export function aggregatedContentType(v: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

/** Aggregated discovery (APIGroupDiscoveryList) of the core group (`/api`) or of the named groups (`/apis`). */
export function aggregatedDiscovery(
  core: boolean,
  v: "v2" | "v2beta1",
  served: readonly ResourceDef[] = RESOURCES,
): Doc {
  const byGroup = new Map<string, ResourceDef[]>();
  for (const r of served) {
    if ((r.group === "") !== core) continue;
    byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  }
  const items = [...byGroup.entries()].map(([group, rs]) => {
    const resources = rs.map((r) => {
      const kind = { group: r.group, version: r.version, kind: r.kind };
      const entry: Doc = {
        resource: r.plural,
        responseKind: kind,
        scope: r.namespaced ? "Namespaced" : "Cluster",
        singularResource: r.singular,
        verbs: r.verbs,
      };
      if (r.shortNames.length) entry.shortNames = r.shortNames;
      if (r.categories) entry.categories = r.categories;
      const subs: Doc[] = [];
      if (r.kind === "Pod")
        subs.push({
          subresource: "log",
          responseKind: { group: "", version: "v1", kind: "Pod" },
          verbs: ["get"],
        });
      if (r.status)
        subs.push({ subresource: "status", responseKind: kind, verbs: ["get", "patch", "update"] });
      if (subs.length) entry.subresources = subs;
      return entry;
    });
    const metadata: Doc = group ? { name: group, creationTimestamp: null } : { creationTimestamp: null };
    return { metadata, versions: [{ version: rs[0]?.version ?? "v1", resources, freshness: "Current" }] };
  });
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}
