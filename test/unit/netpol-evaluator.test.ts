/**
 * The NetworkPolicy evaluator the sandbox's partner network applies (src/sandbox/network/netpol.ts),
 * case by case against Kubernetes semantics: isolation by selection, ipBlock with except, ports by
 * number, name and endPort range, protocol defaulting, other namespaces ignored.
 */
import { describe, expect, it } from "vitest";
import { admits, inCidr, type PodLike, type PolicyLike, selects } from "../../src/sandbox/network/netpol.js";

const pod: PodLike = {
  namespace: "default",
  labels: { app: "pls-app", tier: "web" },
  ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
};

const NAT_IP = "10.224.0.9";
const NODE_IP = "10.224.0.5";
const PARTNER_IP = "10.0.0.4";

/** The seed article's policy: ingress by the partner's own CIDR (what Private Link never delivers). */
const seedPolicy: PolicyLike = {
  metadata: { name: "example-ipblock", namespace: "default" },
  spec: {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/24" } }] }],
  },
};

/** What `plsctl netpol` writes: the NAT IP as /32, the target port by number. */
const plsctlPolicy: PolicyLike = {
  metadata: { name: "pls-app-private-link", namespace: "default" },
  spec: {
    podSelector: { matchLabels: { app: "pls-app" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ ipBlock: { cidr: `${NAT_IP}/32` } }], ports: [{ protocol: "TCP", port: 8080 }] }],
  },
};

const policy = (name: string, spec: PolicyLike["spec"], namespace = "default"): PolicyLike => ({
  metadata: { name, namespace },
  spec,
});

const onlyFrom = (from: NonNullable<NonNullable<PolicyLike["spec"]>["ingress"]>[number]) =>
  policy("p", { podSelector: {}, ingress: [from] });

type Case = [string, PolicyLike[], string, number, string | undefined, { allowed: boolean; policy?: string }];

const cases: Case[] = [
  ["no policy: not isolated, everything admitted", [], NAT_IP, 8080, "TCP", { allowed: true }],
  [
    "the seed's partner-CIDR policy blocks the NAT IP source",
    [seedPolicy],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "example-ipblock" },
  ],
  [
    "the seed's policy admits the partner's own address (which never arrives through Private Link)",
    [seedPolicy],
    PARTNER_IP,
    8080,
    "TCP",
    { allowed: true, policy: "example-ipblock" },
  ],
  [
    "plsctl's policy admits the NAT IP",
    [plsctlPolicy],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true, policy: "pls-app-private-link" },
  ],
  [
    "plsctl's policy denies a node IP (externalTrafficPolicy: Cluster)",
    [plsctlPolicy],
    NODE_IP,
    8080,
    "TCP",
    { allowed: false, policy: "pls-app-private-link" },
  ],
  ["plsctl's policy denies another port", [plsctlPolicy], NAT_IP, 9090, "TCP", { allowed: false }],
  ["plsctl's policy denies UDP on that port", [plsctlPolicy], NAT_IP, 8080, "UDP", { allowed: false }],
  [
    "the union of policies: either one admitting is enough",
    [seedPolicy, plsctlPolicy],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true, policy: "pls-app-private-link" },
  ],
  [
    "a policy in another namespace is ignored",
    [policy("other", { podSelector: {}, ingress: [] }, "shop")],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true },
  ],
  [
    "a policy selecting other pods does not isolate this one",
    [policy("db", { podSelector: { matchLabels: { app: "db" } }, ingress: [] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true },
  ],
  [
    "an Egress-only policy does not isolate for ingress",
    [policy("egress", { podSelector: {}, policyTypes: ["Egress"] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true },
  ],
  [
    "no policyTypes and no ingress section: isolates for ingress, admits nothing",
    [policy("deny", { podSelector: {} })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "deny" },
  ],
  [
    "an empty from admits every source",
    [onlyFrom({ ports: [{ port: 8080 }] })],
    NODE_IP,
    8080,
    "TCP",
    { allowed: true, policy: "p" },
  ],
  [
    "except carves an address out of the block",
    [onlyFrom({ from: [{ ipBlock: { cidr: "10.224.0.0/16", except: ["10.224.0.8/29"] } }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "p" },
  ],
  [
    "except leaves the rest of the block admitted",
    [onlyFrom({ from: [{ ipBlock: { cidr: "10.224.0.0/16", except: ["10.224.0.8/29"] } }] })],
    NODE_IP,
    8080,
    "TCP",
    { allowed: true, policy: "p" },
  ],
  [
    "podSelector and namespaceSelector peers never match an address outside the cluster",
    [onlyFrom({ from: [{ podSelector: {} }, { namespaceSelector: {} }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "p" },
  ],
  [
    "a named port resolves through the pod's container ports",
    [onlyFrom({ ports: [{ port: "http" }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true, policy: "p" },
  ],
  [
    "a named port the pod does not have matches nothing",
    [onlyFrom({ ports: [{ port: "metrics" }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "p" },
  ],
  [
    "endPort opens a range (inclusive)",
    [onlyFrom({ ports: [{ port: 8000, endPort: 8080 }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: true, policy: "p" },
  ],
  [
    "endPort: outside the range",
    [onlyFrom({ ports: [{ port: 8000, endPort: 8079 }] })],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "p" },
  ],
  [
    "a port entry without port opens every port of its protocol",
    [onlyFrom({ ports: [{ protocol: "UDP" }] })],
    NAT_IP,
    53,
    "UDP",
    { allowed: true, policy: "p" },
  ],
  [
    "protocol defaults to TCP, for the rule and for the packet",
    [onlyFrom({ ports: [{ port: 8080 }] })],
    NAT_IP,
    8080,
    undefined,
    { allowed: true, policy: "p" },
  ],
  [
    "matchExpressions select (In, NotIn, Exists, DoesNotExist)",
    [
      policy("expr", {
        podSelector: {
          matchExpressions: [
            { key: "app", operator: "In", values: ["pls-app", "x"] },
            { key: "tier", operator: "NotIn", values: ["db"] },
            { key: "tier", operator: "Exists" },
            { key: "canary", operator: "DoesNotExist" },
          ],
        },
        ingress: [],
      }),
    ],
    NAT_IP,
    8080,
    "TCP",
    { allowed: false, policy: "expr" },
  ],
];

describe("admits", () => {
  it.each(cases)("%s", (_name, policies, ip, port, protocol, want) => {
    const got =
      protocol === undefined
        ? admits(policies, pod, { ip }, port)
        : admits(policies, pod, { ip }, port, protocol);
    expect(got.allowed).toBe(want.allowed);
    if (want.policy !== undefined) expect(got.policy).toBe(want.policy);
  });
});

describe("selectors and blocks", () => {
  it("a failing matchExpression keeps the pod unselected", () => {
    expect(
      selects({ matchExpressions: [{ key: "app", operator: "NotIn", values: ["pls-app"] }] }, pod.labels),
    ).toBe(false);
    expect(selects({ matchExpressions: [{ key: "app", operator: "Bogus" }] }, pod.labels)).toBe(false);
    expect(selects(undefined, pod.labels)).toBe(false);
  });

  it("matches IPv4 blocks only, /0 and /32 included", () => {
    expect(inCidr("10.224.0.9", "0.0.0.0/0")).toBe(true);
    expect(inCidr("10.224.0.9", "10.224.0.9/32")).toBe(true);
    expect(inCidr("10.224.0.10", "10.224.0.9/32")).toBe(false);
    expect(inCidr("10.224.0.9", "2001:db8::/32")).toBe(false);
    expect(inCidr("10.224.0.9", "10.224.0.0/33")).toBe(false);
  });
});
