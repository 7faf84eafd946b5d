/** Pure rules behind expose's new refusals: recreating changes, name in use, the two new controller rules. */
import { describe, expect, it } from "vitest";
import { ANN } from "../../src/domain/annotations.js";
import { explainControllerFailure } from "../../src/domain/controller-errors.js";
import { ExitCode, type PlsctlError } from "../../src/domain/errors.js";
import type { PlsView } from "../../src/domain/pls.js";
import { lookalikePls, plsOnFrontend } from "../../src/domain/pls.js";
import { checkBackendPoolType, checkNameInUse, checkNoIpv6Frontend } from "../../src/domain/pls-guards.js";
import { recreateRefusal, recreatingChanges } from "../../src/domain/teardown.js";

const pls = (name: string, frontend: string, owner?: string): PlsView =>
  ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/${name}`,
    name,
    frontendIds: [frontend],
    tags: owner ? { "k8s-azure-owner-service": owner, "k8s-azure-cluster-name": "kubernetes" } : {},
    connections: [],
  }) as unknown as PlsView;

const catchError = (f: () => void): PlsctlError => {
  try {
    f();
  } catch (e) {
    return e as PlsctlError;
  }
  throw new Error("did not throw");
};

describe("ownership", () => {
  it("only the frontend proves a PLS is the Service's; tags and names make look-alikes", () => {
    const mine = pls("pls-a", "/x/loadBalancers/kubernetes-internal/frontendIPConfigurations/aMINE");
    const other = pls(
      "pls-web",
      "/y/loadBalancers/kubernetes-internal/frontendIPConfigurations/aOTHER",
      "default/web",
    );
    const all = [other, mine];
    expect(plsOnFrontend(all, ["/X/loadBalancers/kubernetes-internal/frontendIPConfigurations/amine"])).toBe(
      mine,
    );
    expect(
      plsOnFrontend([other], ["/x/loadBalancers/kubernetes-internal/frontendIPConfigurations/aMINE"]),
    ).toBeUndefined();
    expect(lookalikePls(all, { owner: "default/web", name: "pls-a" }, mine)).toEqual([other]);
  });
});

describe("recreatingChanges", () => {
  it("lists a changed internal subnet or IP annotation, not the PLS options", () => {
    const before = { [ANN.internalSubnet]: "aks-subnet" };
    expect(
      recreatingChanges(before, { [ANN.internalSubnet]: "pls-nat-subnet", [ANN.plsVisibility]: "*" }),
    ).toEqual(['azure-load-balancer-internal-subnet "aks-subnet" → "pls-nat-subnet"']);
    expect(recreatingChanges(before, { [ANN.internalSubnet]: " aks-subnet " })).toEqual([]);
    expect(
      recreatingChanges({}, { "service.beta.kubernetes.io/azure-load-balancer-ipv4": "10.0.0.9" }),
    ).toEqual(['azure-load-balancer-ipv4 (unset) → "10.0.0.9"']);
    expect(recreatingChanges({}, { [ANN.plsName]: "x" })).toEqual([]);
  });

  it("the refusal names the alias and each live partner, exit 2", () => {
    const err = recreateRefusal(
      { name: "pls-a", alias: "pls-a.guid.westeurope.azure.privatelinkservice" },
      ["x"],
      [
        { name: "pe-1.abc", requesterSubscription: "sub-1", status: "Approved" },
        { name: "pe-2.abc", requesterSubscription: "sub-2", status: "Rejected" },
      ] as never,
    );
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toContain("pls-a.guid.westeurope.azure.privatelinkservice would change");
    expect(err.message).toContain("pe-1.abc (subscription sub-1, Approved)");
    expect(err.message).not.toContain("pe-2.abc");
    expect(err.hint).toMatch(/--recreate-pls/);
  });
});

describe("new controller rules", () => {
  it("a name taken on another frontend is refused; a free one is not", () => {
    const other = pls("pls-web", "/y/frontendIPConfigurations/f", "default/web");
    expect(() =>
      checkNameInUse("pls-free", "rg", [other], { service: "web", namespace: "default" }),
    ).not.toThrow();
    const err = catchError(() =>
      checkNameInUse("PLS-WEB", "rg", [other], { service: "web", namespace: "default" }),
    );
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.hint).toMatch(/--pls-name <free name>/);
  });

  it("IP-based backend pools and IPv6 frontends are refused", () => {
    expect(() => checkBackendPoolType({ name: "c", resourceGroup: "rg" })).not.toThrow();
    expect(() =>
      checkBackendPoolType({ name: "c", resourceGroup: "rg", backendPoolType: "NodeIPConfiguration" }),
    ).not.toThrow();
    expect(
      catchError(() => checkBackendPoolType({ name: "c", resourceGroup: "rg", backendPoolType: "NodeIP" }))
        .hint,
    ).toBe(
      "Switch the cluster to NIC-based pools, then expose again: az aks update -g rg -n c --load-balancer-backend-pool-type nodeIPConfiguration",
    );
    expect(() => checkNoIpv6Frontend("kubernetes-internal", [])).not.toThrow();
    expect(catchError(() => checkNoIpv6Frontend("kubernetes-internal", ["aX-IPv6"])).message).toMatch(
      /IPv6 frontend aX-IPv6/,
    );
  });

  it("their controller failures are explained", () => {
    expect(
      explainControllerFailure("ERROR CODE: PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer\n"),
    ).toMatch(/IP-based backend pools/);
    expect(
      explainControllerFailure(
        "load balancer(kubernetes-internal) has IPv6 frontend(/x/a-IPv6): in dual-stack",
      ),
    ).toMatch(/single-stack IPv4/);
    expect(
      explainControllerFailure(
        "private link service name (pls-web) is already used by private link service(/x/pls-web) on another LB frontend(/y)",
      ),
    ).toMatch(/The name pls-web is taken/);
  });
});
