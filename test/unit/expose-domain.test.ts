import { describe, expect, it } from "vitest";
import { ANN, diffAnnotations, splitList } from "../../src/domain/annotations.js";
import {
  controllerCause,
  controllerFailure,
  explainControllerFailure,
} from "../../src/domain/controller-errors.js";
import { ExitCode } from "../../src/domain/errors.js";
import { exposeAnnotations, parseExposeFlags } from "../../src/domain/expose.js";
import { plsNameProblem } from "../../src/domain/names.js";
import {
  defaultPlsName,
  frontendName,
  isPlsAlias,
  parseProviderId,
  parseResourceId,
} from "../../src/domain/resource-id.js";
import {
  checkExistingPls,
  checkRename,
  checkResourceGroupChange,
  checkServiceForExpose,
  type ServiceView,
} from "../../src/domain/service.js";

const SUB = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const SUB2 = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";

describe("parseExposeFlags", () => {
  it("accepts every flag and builds the annotations", () => {
    const spec = parseExposeFlags({
      plsName: "pls-app",
      plsResourceGroup: "rg-pls",
      natSubnet: "pls-nat-subnet",
      natIp: ["10.225.0.10", "10.225.0.11", "10.225.0.10"],
      fqdn: ["api.contoso.com."],
      proxyProtocol: true,
      visibility: [SUB, SUB2.toUpperCase()],
      autoApprove: [SUB],
      internalSubnet: "aks-subnet",
      makeInternal: true,
    });
    expect(exposeAnnotations(spec)).toEqual({
      [ANN.plsCreate]: "true",
      [ANN.internal]: "true",
      [ANN.internalSubnet]: "aks-subnet",
      [ANN.plsName]: "pls-app",
      [ANN.plsResourceGroup]: "rg-pls",
      [ANN.plsNatSubnet]: "pls-nat-subnet",
      [ANN.plsNatIpCount]: "2",
      [ANN.plsNatIps]: "10.225.0.10 10.225.0.11",
      [ANN.plsFqdns]: "api.contoso.com",
      [ANN.plsProxyProtocol]: "true",
      [ANN.plsVisibility]: `${SUB} ${SUB2}`,
      [ANN.plsAutoApproval]: SUB,
    });
  });

  it("collapses a visibility list containing * to *", () => {
    expect(parseExposeFlags({ visibility: [SUB, "*"] }).visibility).toEqual(["*"]);
  });

  it.each([
    [{ natIpCount: "0" }, /out of range: a Private Link Service has 1 to 8/],
    [{ natIpCount: "9" }, /out of range/],
    [{ natIpCount: "two" }, /not a whole number/],
    [{ natIpCount: "1", natIp: ["10.0.0.5", "10.0.0.6"] }, /smaller than the 2 static --nat-ip/],
    [{ natIp: ["fd00::5"] }, /IPv6 address; Private Link Service NAT IPs are IPv4 only/],
    [{ natIp: ["10.0.0.300"] }, /not an IPv4 address/],
    [{ visibility: ["contoso"] }, /--visibility "contoso" is not a subscription id/],
    [{ autoApprove: ["*"] }, /--auto-approve "\*" is not a subscription id/],
    [{ plsName: "-bad" }, /must start with a letter or digit/],
    [{ plsName: "bad." }, /must end with a letter, digit or underscore/],
    [{ plsName: "a".repeat(81) }, /81 characters \(at most 80\)/],
    [{ plsName: "has space" }, /only letters, digits/],
    [{ fqdn: ["not a name"] }, /not a fully qualified domain name/],
    [{ plsResourceGroup: "rg." }, /not a valid resource group name/],
    [{ natSubnet: "/subscriptions/x/subnets/y" }, /not a subnet name/],
  ])("rejects %j with a usage error", (flags, message) => {
    expect(() => parseExposeFlags(flags)).toThrow(message);
    try {
      parseExposeFlags(flags);
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(ExitCode.Usage);
    }
  });

  it("follows Azure's PLS name rules", () => {
    expect(plsNameProblem("pls_app.v1-2_")).toBeUndefined();
    expect(plsNameProblem("a")).toBeUndefined();
    expect(plsNameProblem("a".repeat(80))).toBeUndefined();
  });
});

describe("annotations", () => {
  it("diffs only what would change", () => {
    const current = { [ANN.plsCreate]: "true", [ANN.plsName]: "x", other: "y" };
    expect(diffAnnotations(current, { [ANN.plsCreate]: "true", [ANN.plsName]: "x" })).toEqual({});
    expect(diffAnnotations(current, { [ANN.plsName]: "z", [ANN.plsFqdns]: null, other: null })).toEqual({
      [ANN.plsName]: "z",
      other: null,
    });
  });
  it("splits lists like the controller", () => {
    expect(splitList(" a  b ")).toEqual(["a", "b"]);
    expect(splitList(undefined)).toEqual([]);
  });
});

describe("ids and names", () => {
  it("names frontends and default PLS names like cloud-provider-azure", () => {
    const uid = "594a43c3-f833-4899-8714-866bd330823f";
    expect(frontendName(uid)).toBe("a594a43c3f83348998714866bd330823");
    expect(defaultPlsName(uid)).toBe("pls-a594a43c3f83348998714866bd330823");
    expect(frontendName(uid, "apps")).toBe("a594a43c3f83348998714866bd330823-apps");
    const long = frontendName(uid, `${"s".repeat(41)}-x`);
    expect(long).toHaveLength(75);
    expect(long.endsWith("_")).toBe(true);
  });
  it("parses provider ids, resource ids and aliases", () => {
    expect(
      parseProviderId(
        `azure:///subscriptions/${SUB2}/resourceGroups/mc_rg-aks_aks-demo_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/vmss/virtualMachines/0`,
      ),
    ).toEqual({ subscriptionId: SUB2, resourceGroup: "mc_rg-aks_aks-demo_westeurope" });
    expect(
      parseResourceId(
        `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p/privateEndpointConnections/c`,
      ),
    ).toMatchObject({
      resourceGroup: "rg",
      path: ["privateLinkServices", "p", "privateEndpointConnections", "c"],
      name: "c",
    });
    expect(parseResourceId("/nope")).toBeUndefined();
    expect(isPlsAlias("pls-app.0c2e.westeurope.azure.privatelinkservice")).toBe(true);
    expect(isPlsAlias("/subscriptions/x")).toBe(false);
  });
});

const svc = (over: Partial<ServiceView> = {}): ServiceView => ({
  namespace: "default",
  name: "web",
  uid: "u1",
  type: "LoadBalancer",
  annotations: { [ANN.internal]: "true" },
  ingressIps: ["10.224.0.7"],
  ipFamilies: ["IPv4"],
  externalTrafficPolicy: "Cluster",
  loadBalancerIp: undefined,
  resourceVersion: "1",
  ...over,
});

describe("checkServiceForExpose", () => {
  const spec = (flags = {}) => parseExposeFlags(flags);
  it("refuses a non-LoadBalancer Service", () => {
    expect(() => checkServiceForExpose(svc({ type: "ClusterIP" }), spec(), [])).toThrow(/type ClusterIP/);
  });
  it("explains the case-sensitive internal annotation", () => {
    expect(() => checkServiceForExpose(svc({ annotations: { [ANN.internal]: "True" } }), spec(), [])).toThrow(
      /reads only the exact lower-case "true"/,
    );
    const notices = checkServiceForExpose(
      svc({ annotations: {}, ingressIps: ["20.1.2.3"] }),
      spec({ makeInternal: true }),
      [],
    );
    expect(notices[0]?.message).toMatch(/replaces the external frontend .*20\.1\.2\.3/);
  });
  it("refuses IPv6-only Services", () => {
    expect(() => checkServiceForExpose(svc({ ipFamilies: ["IPv6"] }), spec(), [])).toThrow(/IPv4 only/);
  });
  it("refuses PLS options on a frontend another Service configures, allows plain sharing", () => {
    const owner = svc({
      uid: "u2",
      name: "api",
      annotations: { [ANN.internal]: "true", [ANN.plsCreate]: "true" },
    });
    expect(() => checkServiceForExpose(svc(), spec({ plsName: "x" }), [owner])).toThrow(
      /shares its load balancer frontend with default\/api/,
    );
    expect(checkServiceForExpose(svc(), spec(), [owner])).toEqual([]);
  });
  it("warns about proxy protocol with externalTrafficPolicy Local and auto-approval outside visibility", () => {
    const notices = checkServiceForExpose(
      svc({ externalTrafficPolicy: "Local" }),
      spec({ proxyProtocol: true, visibility: [SUB2], autoApprove: [SUB] }),
      [],
    );
    expect(notices.map((n) => n.message).join("\n")).toMatch(/PROXY headers[\s\S]*subset of visibility/);
    expect(notices[1]?.hint).toBe(`Add --visibility ${SUB} (or --visibility '*').`);
  });
  it("refuses to take over a PLS this cluster did not create, or another Service's", () => {
    const pls = (tags: Record<string, string>) => ({ name: "p", id: "/x/p", tags });
    expect(() => checkExistingPls(pls({}), svc(), spec())).toThrow(
      /did not create \(no k8s-azure-cluster-name tag\)/,
    );
    const theirs = pls({ "k8s-azure-cluster-name": "kubernetes", "k8s-azure-owner-service": "default/api" });
    expect(() => checkExistingPls(theirs, svc(), spec({ fqdn: ["a.b.c"] }))).toThrow(
      /belongs to Service default\/api/,
    );
    expect(() => checkExistingPls(theirs, svc(), spec())).not.toThrow();
    const mine = pls({ "k8s-azure-cluster-name": "kubernetes", "k8s-azure-owner-service": "DEFAULT/WEB" });
    expect(() => checkExistingPls(mine, svc(), spec({ plsName: "p" }))).not.toThrow();
  });
  it("refuses to move a PLS to another resource group", () => {
    const id = "/subscriptions/s/resourceGroups/MC_x/providers/Microsoft.Network/privateLinkServices/p";
    expect(() => checkResourceGroupChange(svc(), "rg-pls", id)).toThrow(
      /in resource group MC_x; AKS cannot move it to rg-pls/,
    );
    expect(() => checkResourceGroupChange(svc(), "mc_x", id)).not.toThrow();
    expect(() => checkResourceGroupChange(svc(), "rg-pls", undefined)).not.toThrow();
    const annotated = svc({ annotations: { [ANN.internal]: "true", [ANN.plsResourceGroup]: "rg-a" } });
    expect(() => checkResourceGroupChange(annotated, "rg-b", undefined)).toThrow(/cannot move it to rg-b/);
  });
  it("refuses a rename", () => {
    expect(() => checkRename("pls-old", "pls-new", "default/web")).toThrow(/cannot rename it to "pls-new"/);
    expect(() => checkRename("pls-old", "PLS-OLD", "default/web")).not.toThrow();
    expect(() => checkRename(undefined, "pls-new", "default/web")).not.toThrow();
  });
});

describe("controller failures", () => {
  const prefix = "Error syncing load balancer: failed to ensure load balancer: ";
  it.each([
    [
      "checkAndUpdatePLSIPConfigs: failed to get private link service subnet(nope) for service(default/web)",
      /NAT subnet "nope" does not exist/,
    ],
    [
      "getPrivateLinkServiceName(default/web) failed: cannot change existing private link service name (a) to (b)",
      /set azure-pls-name back to "a"/,
    ],
    [
      "reconcilePrivateLinkService for service(default/web): service requiring private link service must be internal or disable floating ip",
      /exactly "true"/,
    ],
    [
      "checkAndUpdatePLSIPConfigs: ipConfigCount(1) must be no smaller than number of static IPs specified(2)",
      /2 static NAT IPs need --nat-ip-count 2/,
    ],
  ])("explains %s", (message, hint) => {
    const err = controllerFailure("default/web", prefix + message);
    expect(err.exitCode).toBe(ExitCode.Failed);
    expect(err.message).toContain(message.split("\n")[0]);
    expect(err.hint).toMatch(hint);
  });
  it("summarises multi-line ARM errors with their code", () => {
    const msg = `${prefix}create or update PLS: PUT https://management.azure.com/x\n----\nRESPONSE 400: 400 Bad Request\nERROR CODE: InvalidResourceName\n----`;
    expect(controllerCause(msg)).toBe("create or update PLS (InvalidResourceName)");
    expect(explainControllerFailure(msg)).toMatch(/check --pls-name/);
  });
});
