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

/** How the printed lines run plsctl (`plsctl`, `npx plsctl`) and name the sandbox's state directory. */
export interface DemoPrinted {
  cli: string;
  /** ` --state-dir <dir>` for `demo --state-dir`, else empty. */
  stateFlag: string;
}

const PLAIN: DemoPrinted = { cli: "plsctl", stateFlag: "" };

/** What `demo --world <file>` changes in the walkthrough: the world, and where the PLS goes. */
export interface DemoWorld {
  /** The world file (`sandbox up --world`). */
  file?: string | undefined;
  /** `--pls-resource-group` for a cluster whose node resource group is locked. */
  plsResourceGroup?: string | undefined;
}

const env = (p: DemoPrinted, as?: string) =>
  `eval "$(${p.cli} sandbox env${as ? ` --as ${as}` : ""}${p.stateFlag})"`;

export const exposeLine = (partnerSubscription: string, cli = "plsctl", plsResourceGroup?: string): string =>
  `${cli} expose ${DEMO.service} --pls-name ${DEMO.plsName} --visibility ${shellArg(partnerSubscription)}${plsResourceGroup ? ` --pls-resource-group ${shellArg(plsResourceGroup)}` : ""}`;

export function connectLine(alias: string, p: DemoPartner, cli = "plsctl"): string {
  return [
    `${cli} connect --pls ${shellArg(alias)}`,
    `--resource-group ${shellArg(p.resourceGroup)} --vnet ${shellArg(p.vnet)} --subnet ${shellArg(p.subnet)}`,
    `--name ${DEMO.endpoint} --request-message ${shellArg(DEMO.requestMessage)}`,
    `--dns-zone ${DEMO.dnsZone} --dns-name ${DEMO.dnsName}`,
  ].join(" ");
}

export const approveLine = (partnerSubscription: string, cli = "plsctl"): string =>
  `${cli} approve ${DEMO.service} --from-subscription ${shellArg(partnerSubscription)}`;

export const verifyLine = (p: DemoPartner, host: string, cli = "plsctl"): string =>
  `${cli} verify --endpoint ${DEMO.endpoint} --resource-group ${shellArg(p.resourceGroup)} --address ${shellArg(host)} --http /`;

export const curlLine = (host: string): string =>
  `curl -i --proxytunnel --proxy "$PLSCTL_SANDBOX_PROXY" ${shellArg(`http://${host}/`)}`;

/** The walkthrough's steps with the values of this run (the alias, the partner's subscription). */
export function demoSteps(
  alias: string,
  p: DemoPartner,
  host: string,
  printed: DemoPrinted = PLAIN,
  w: DemoWorld = {},
): DemoStep[] {
  const { cli } = printed;
  const connect = connectLine(alias, p, cli);
  const world = w.file ? ` --world ${shellArg(w.file)}` : "";
  return [
    {
      id: "sandbox",
      actor: "you",
      commands: [`${cli} sandbox up${world}${printed.stateFlag}`, env(printed)],
    },
    { id: "deploy", actor: "cluster operator", commands: [`kubectl apply -f ${DEMO.manifest}`] },
    {
      id: "expose",
      actor: "cluster operator",
      commands: [exposeLine(p.subscriptionId, cli, w.plsResourceGroup)],
    },
    { id: "connect", actor: "partner", commands: [env(printed, "partner"), connect] },
    {
      id: "approve",
      actor: "provider CI",
      commands: [env(printed, "ci"), approveLine(p.subscriptionId, cli)],
    },
    { id: "connected", actor: "partner", commands: [env(printed, "partner"), connect] },
    { id: "verify", actor: "partner", commands: [verifyLine(p, host, cli), curlLine(host)] },
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
export function withProxyProtocol(steps: DemoStep[], linkId: string | null, cli = "plsctl"): DemoStep[] {
  return steps.map((s) => {
    if (s.id === "expose") return { ...s, commands: s.commands.map((c) => `${c} --proxy-protocol`) };
    if (s.id !== "verify") return s;
    const lookup = `${cli} connections ${DEMO.service} --link-id ${linkId ?? "<link id>"}   # the provider, with the link id its app logged`;
    return { ...s, commands: [...s.commands, lookup] };
  });
}
