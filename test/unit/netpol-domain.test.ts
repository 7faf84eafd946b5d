/** The policy plsctl netpol builds, how it compares to what a cluster holds, and its input rules. */
import { describe, expect, it } from "vitest";
import { PlsctlError } from "../../src/domain/errors.js";
import {
  buildCiliumPolicy,
  buildNetworkPolicy,
  type PolicyInput,
  parseAllowCidr,
  requirePolicyName,
  targetPortsOf,
} from "../../src/domain/netpol.js";
import { networkPolicyDrift, type PolicyState, samePolicy } from "../../src/domain/netpol-compare.js";

const input: PolicyInput = {
  namespace: "default",
  service: "web",
  name: "web-private-link",
  selector: { app: "web" },
  ports: [
    { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
    { name: "alt", port: 8080, targetPort: 8080, protocol: "TCP" },
    { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
  ],
  natIps: ["10.224.0.9", "10.224.0.10"],
  allowCidrs: ["10.240.0.0/16"],
  plsId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls-web",
};

/** As the cluster hands it back: defaults filled, lists in another order. */
function asStored(o: ReturnType<typeof buildNetworkPolicy>): PolicyState {
  const spec = structuredClone(o.spec) as { ingress: Array<{ from: unknown[]; ports: unknown[] }> };
  const rule = spec.ingress[0];
  if (rule) {
    rule.from.reverse();
    rule.ports.reverse();
  }
  return {
    kind: o.kind,
    labels: { ...o.metadata.labels, extra: "x" },
    annotations: o.metadata.annotations,
    spec,
  };
}

describe("building", () => {
  it("targets each distinct target port once, named ones by name", () => {
    expect(targetPortsOf(input.ports)).toEqual([
      { port: 8080, protocol: "TCP" },
      { port: "metrics", protocol: "TCP" },
    ]);
  });

  it("writes Cilium ports as strings and the sources as fromCIDR", () => {
    const c = buildCiliumPolicy(input);
    expect(c.spec).toEqual({
      endpointSelector: { matchLabels: { app: "web" } },
      ingress: [
        {
          fromCIDR: ["10.224.0.9/32", "10.224.0.10/32", "10.240.0.0/16"],
          toPorts: [
            {
              ports: [
                { port: "8080", protocol: "TCP" },
                { port: "metrics", protocol: "TCP" },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe("comparing", () => {
  it("finds a stored policy with reordered lists and foreign labels the same", () => {
    const wanted = buildNetworkPolicy(input);
    expect(samePolicy(asStored(wanted), wanted)).toBe(true);
  });

  it("sees a NAT IP more, a changed port or a dropped allow-cidr", () => {
    const stored = asStored(buildNetworkPolicy(input));
    expect(
      samePolicy(stored, buildNetworkPolicy({ ...input, natIps: [...input.natIps, "10.224.0.11"] })),
    ).toBe(false);
    expect(samePolicy(stored, buildNetworkPolicy({ ...input, ports: input.ports.slice(2) }))).toBe(false);
    expect(samePolicy(stored, buildNetworkPolicy({ ...input, allowCidrs: [] }))).toBe(false);
    expect(samePolicy(stored, buildCiliumPolicy(input))).toBe(false);
  });

  it("drift names the missing and stale NAT IPs and ports, not the allowed CIDRs", () => {
    const stored = asStored(buildNetworkPolicy(input));
    expect(
      networkPolicyDrift(stored, { natIps: input.natIps, ports: input.ports, selector: input.selector }),
    ).toEqual([]);
    expect(
      networkPolicyDrift(stored, {
        natIps: ["10.224.0.10", "10.224.0.11"],
        ports: [{ name: "h", port: 80, targetPort: 8081, protocol: "TCP" }],
        selector: { app: "web2" },
      }),
    ).toEqual([
      "does not admit NAT IP(s) 10.224.0.11/32",
      "still admits 10.224.0.9/32, no longer a NAT IP of the PLS",
      "does not open target port(s) 8081/TCP",
      "opens port(s) metrics/TCP, 8080/TCP the Service no longer targets",
      "selects other pods than the Service does",
    ]);
  });
});

describe("input rules", () => {
  it.each([
    ["10.240.0.0/16", "10.240.0.0/16"],
    [" 10.0.1.7 ", "10.0.1.7/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
  ])("accepts --allow-cidr %j", (value, want) => {
    expect(parseAllowCidr(value)).toBe(want);
  });

  it.each([
    ["10.0.1.7/24", /host bits set[\s\S]*10\.0\.1\.0\/24/],
    ["10.0.0.0/33", /not an IPv4 CIDR/],
    ["10.0.0/24", /not an IPv4 CIDR/],
    ["fd00::/8", /IPv6/],
    ["", /not an IPv4 CIDR/],
  ])("refuses --allow-cidr %j with exit 2", (value, why) => {
    const err = (() => {
      try {
        parseAllowCidr(value);
      } catch (e) {
        return e as PlsctlError;
      }
    })();
    expect(err).toBeInstanceOf(PlsctlError);
    expect(err?.exitCode).toBe(2);
    expect(`${err?.message} ${err?.hint}`).toMatch(why);
  });

  it("takes DNS-1123 names only", () => {
    expect(requirePolicyName("web-private-link")).toBe("web-private-link");
    expect(() => requirePolicyName("Web_Policy")).toThrow(/not a valid Kubernetes object name/);
    expect(() => requirePolicyName("a".repeat(254))).toThrow(PlsctlError);
  });
});
