/**
 * `plsctl demo`, the rules without I/O: the walkthrough's steps (who acts, the exact command lines a
 * user types against `plsctl sandbox up` + `sandbox env --as …`), its `-o json` document, and what
 * is read from the sample app's answer.
 */
import type { DecideResult } from "./decide.js";
import type { ConnectResult, ExposeResult } from "./results.js";
import { shellArg } from "./shell.js";

export type DemoActor = "you" | "cluster operator" | "provider CI" | "partner";

export type DemoStepId = "sandbox" | "deploy" | "expose" | "connect" | "approve" | "connected" | "verify";

export interface DemoStep {
  id: DemoStepId;
  actor: DemoActor;
  /** The command lines, runnable as printed (after `plsctl sandbox up` in another terminal). */
  commands: string[];
}

/** The HTTP request from the partner's VNet through the private endpoint to the sample app. */
export interface DemoVerify {
  url: string;
  /** The partner network's proxy, with the partner's VNet as user part (no secret in it). */
  proxy: string;
  /** Whether `plsctl verify` reached the app (its `reached`). */
  reached: boolean;
  /** The HTTP status of `GET /`, or null when no answer came. */
  status: number | null;
  /** Why it was not reached (verify's cause), else null. */
  cause: string | null;
  /** The `X-Sandbox-Source-Ip` header: the source address the pod saw. */
  sourceIp: string | null;
  /** `nat-ip`: one of the PLS's NAT IPs; `node-ip`: the node that forwarded it (externalTrafficPolicy Cluster). */
  sourceKind: "nat-ip" | "node-ip" | "other";
  pod: string | null;
  node: string | null;
  /** The page's `<title>`. */
  title: string | null;
  /** With `demo --proxy-protocol`: the partner, named from the link id the app read. */
  proxyProtocol?: DemoProxyProtocol;
}

/**
 * What the app learnt from the PROXY protocol v2 header (Azure's LINKID TLV), and the connection
 * the provider's CI finds behind that number (`plsctl connections --link-id`).
 */
export interface DemoProxyProtocol {
  /** The link id the app read; null when no header came. */
  linkIdentifier: string | null;
  /** The connection with that link id: its endpoint's name and the partner's subscription. */
  privateEndpointName: string | null;
  requesterSubscription: string | null;
}

/** The `-o json` document of `plsctl demo` (fields are added, never renamed). */
export interface DemoResult {
  /** `--state-dir`, or null for the temporary directory (removed when the demo ends). */
  stateDir: string | null;
  deployed: Array<{ kind: string; name: string; created: boolean }>;
  expose: ExposeResult;
  /** The partner's first `connect`: the endpoint, Pending. */
  connect: ConnectResult;
  approve: DecideResult;
  /** The partner's same `connect` again, after the approval: Approved, with its IP and DNS name. */
  connected: ConnectResult;
  verify: DemoVerify;
  steps: DemoStep[];
}

/** The partner's names in the walkthrough (its VNet and subnet come from the sandbox's world). */
export interface DemoPartner {
  subscriptionId: string;
  resourceGroup: string;
  vnet: string;
  subnet: string;
}

export const DEMO = {
  manifest: "examples/sample-app.yaml",
  service: "sample-app",
  plsName: "pls-app",
  endpoint: "pe-fabrikam",
  requestMessage: "fabrikam ticket 42",
  dnsZone: "fabrikam.internal",
  dnsName: "app",
} as const;

const env = (as?: string) => `eval "$(plsctl sandbox env${as ? ` --as ${as}` : ""})"`;

export const exposeLine = (partnerSubscription: string): string =>
  `plsctl expose ${DEMO.service} --pls-name ${DEMO.plsName} --visibility ${shellArg(partnerSubscription)}`;

export function connectLine(alias: string, p: DemoPartner): string {
  return [
    `plsctl connect --pls ${shellArg(alias)}`,
    `--resource-group ${shellArg(p.resourceGroup)} --vnet ${shellArg(p.vnet)} --subnet ${shellArg(p.subnet)}`,
    `--name ${DEMO.endpoint} --request-message ${shellArg(DEMO.requestMessage)}`,
    `--dns-zone ${DEMO.dnsZone} --dns-name ${DEMO.dnsName}`,
  ].join(" ");
}

export const approveLine = (partnerSubscription: string): string =>
  `plsctl approve ${DEMO.service} --from-subscription ${shellArg(partnerSubscription)}`;

export const verifyLine = (p: DemoPartner, host: string): string =>
  `plsctl verify --endpoint ${DEMO.endpoint} --resource-group ${shellArg(p.resourceGroup)} --address ${shellArg(host)} --http /`;

export const curlLine = (host: string): string =>
  `curl -i --proxytunnel --proxy "$PLSCTL_SANDBOX_PROXY" ${shellArg(`http://${host}/`)}`;

/** The walkthrough's steps with the values of this run (the alias, the partner's subscription). */
export function demoSteps(alias: string, p: DemoPartner, host: string): DemoStep[] {
  const connect = connectLine(alias, p);
  return [
    { id: "sandbox", actor: "you", commands: ["plsctl sandbox up", env()] },
    { id: "deploy", actor: "cluster operator", commands: [`kubectl apply -f ${DEMO.manifest}`] },
    { id: "expose", actor: "cluster operator", commands: [exposeLine(p.subscriptionId)] },
    { id: "connect", actor: "partner", commands: [env("partner"), connect] },
    { id: "approve", actor: "provider CI", commands: [env("ci"), approveLine(p.subscriptionId)] },
    { id: "connected", actor: "partner", commands: [env("partner"), connect] },
    { id: "verify", actor: "partner", commands: [verifyLine(p, host), curlLine(host)] },
  ];
}

/** The text of the page's `<title>`, else of its first `<h1>`. */
export function pageTitle(html: string): string | null {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html) ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(html);
  const text = m?.[1]?.replace(/\s+/g, " ").trim();
  if (!text) return null;
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export function sourceKind(ip: string | null, natIps: string[], nodeIps: string[]): DemoVerify["sourceKind"] {
  if (ip && natIps.includes(ip)) return "nat-ip";
  if (ip && nodeIps.includes(ip)) return "node-ip";
  return "other";
}

/**
 * The walkthrough with proxy protocol on (`demo --proxy-protocol`): expose turns it on, and after
 * the partner's request the provider names the partner from the link id its app logged.
 */
export function withProxyProtocol(steps: DemoStep[], linkId: string | null): DemoStep[] {
  return steps.map((s) => {
    if (s.id === "expose") return { ...s, commands: s.commands.map((c) => `${c} --proxy-protocol`) };
    if (s.id !== "verify") return s;
    const lookup = `plsctl connections ${DEMO.service} --link-id ${linkId ?? "<link id>"}   # the provider, with the link id its app logged`;
    return { ...s, commands: [...s.commands, lookup] };
  });
}
