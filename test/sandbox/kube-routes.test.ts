/**
 * The Kubernetes API emulator's route table on its own: a method and a path resolve to the action
 * that serves them (the verb it is counted under), to 405 when the path does not take the method,
 * or to nothing (404, unrouted) when the path names nothing served.
 */
import { describe, expect, it } from "vitest";
import { resourcesFor } from "../../src/sandbox/kube/resources.js";
import { COUNTED_AS, parseTarget, restAction, servesSubresource } from "../../src/sandbox/kube/target.js";

const served = resourcesFor(undefined);

/** What the table answers for `method path`: an action, "405", or "404". */
function resolve(method: string, pathAndQuery: string): string {
  const url = new URL(pathAndQuery, "https://127.0.0.1");
  const t = parseTarget(url.pathname.split("/").filter(Boolean), served);
  if (!t || !servesSubresource(t)) return "404";
  return restAction(t, method, url.searchParams) ?? "405";
}

describe("the Kubernetes route table", () => {
  it.each([
    ["GET", "/api/v1/namespaces/default/services", "list"],
    ["GET", "/api/v1/services", "list"],
    ["GET", "/api/v1/namespaces/default/services?watch=true", "watch"],
    ["GET", "/api/v1/watch/namespaces/default/services", "watch"],
    ["POST", "/api/v1/namespaces/default/services", "create"],
    ["POST", "/api/v1/namespaces", "create"],
    ["DELETE", "/api/v1/namespaces/default/configmaps", "deletecollection"],
    ["GET", "/api/v1/namespaces/default/services/web", "get"],
    ["PUT", "/api/v1/namespaces/default/services/web/status", "update"],
    ["PATCH", "/api/v1/namespaces/default/services/web", "patch"],
    ["DELETE", "/api/v1/namespaces/default/pods/web-0", "delete"],
    ["GET", "/api/v1/namespaces/default/pods/web-0/log", "log"],
    ["GET", "/api/v1/nodes/aks-nodepool1-0", "get"],
    ["GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "list"],
    ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "accessReview"],
  ])("%s %s → %s", (method, path, action) => {
    expect(resolve(method, path)).toBe(action);
  });

  it.each([
    ["POST", "/api/v1/services"], // a namespaced kind across namespaces
    ["POST", "/api/v1/watch/namespaces/default/services"],
    ["GET", "/api/v1/watch/namespaces/default/services/web"],
    ["POST", "/api/v1/namespaces/default/services/web"],
    ["PUT", "/api/v1/namespaces/default/pods/web-0/log"],
    ["DELETE", "/api/v1/namespaces/default/services/web/status"],
    ["GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"],
  ])("%s %s → 405", (method, path) => {
    expect(resolve(method, path)).toBe("405");
  });

  it.each([
    ["GET", "/api/v1/namespaces/default/services/web/proxy"],
    ["GET", "/api/v1/namespaces/default/configmaps/x/status"],
    ["GET", "/api/v1/namespaces/default/services/web/log"],
    ["GET", "/apis/apps/v1/namespaces/default/statefulsets"],
    ["GET", "/api/v1/namespaces/default/nodes"], // a cluster-scoped kind in a namespace
    ["GET", "/healthz/extra"],
  ])("%s %s → 404", (method, path) => {
    expect(resolve(method, path)).toBe("404");
  });

  it("counts a Pod's log as a get and an access review as a create", () => {
    expect(COUNTED_AS.log).toBe("get");
    expect(COUNTED_AS.accessReview).toBe("create");
  });
});
