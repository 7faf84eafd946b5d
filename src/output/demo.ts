/**
 * `plsctl demo` in table mode: the walkthrough as a tutorial — for each step who acts, the exact
 * command lines (runnable as printed against `plsctl sandbox up`), then that step's key output.
 */
import type { DemoProxyProtocol, DemoResult, DemoStep, DemoStepId } from "../domain/demo.js";
import type { ConnectResult } from "../domain/results.js";
import type { Colors } from "./colors.js";
import { pathNote } from "./sandbox.js";

const TITLES: Record<DemoStepId, string> = {
  sandbox: "Start the sandbox (in its own terminal), and become the cluster operator",
  deploy: "The cluster operator deploys the sample app: a Pod and an internal LoadBalancer Service",
  expose: "The cluster operator puts a Private Link Service in front of it, visible to the partner",
  connect: "The partner asks for a connection: a private endpoint in its own VNet, with a DNS name",
  approve: "The provider's CI approves the connections from the partner's subscription",
  connected: "The partner runs the same connect again: approved now (nothing is written twice)",
  verify: "The partner's VM reaches the app through the private endpoint",
};

const indent = (lines: string[]) => lines.map((l) => `   ${l}`);

function fields(rows: Array<[string, string | null | undefined]>): string[] {
  const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`);
}

function endpointLines(r: ConnectResult, c: Colors): string[] {
  const state = r.state === "Approved" ? c.green(r.state) : c.yellow(r.state);
  return fields([
    [
      "Private endpoint",
      `${r.endpoint.name} in ${r.endpoint.resourceGroup} (${r.changed ? "written" : "unchanged"})`,
    ],
    ["Connection", `${state}${r.description ? ` — ${r.description}` : ""}`],
    ["Private IP", r.privateIp],
    ["DNS name", r.fqdn && r.privateIp ? `${r.fqdn} → ${r.privateIp}` : r.fqdn],
    ["Provider approves with", r.approveCommand],
  ]);
}

function outputOf(id: DemoStepId, r: DemoResult, c: Colors): string[] {
  switch (id) {
    case "sandbox":
      return [c.dim("(plsctl demo started its own sandbox, in this process)")];
    case "deploy":
      return r.deployed.map(
        (d) => `${d.kind.toLowerCase()}/${d.name} ${d.created ? "created" : "unchanged"}`,
      );
    case "expose":
      return [
        ...fields([
          ["Private Link Service", `${r.expose.name} (${r.expose.provisioningState})`],
          ["Alias", r.expose.alias ? c.bold(r.expose.alias) : null],
          ["Load balancer IP", r.expose.loadBalancerIp],
          ["NAT IPs", r.expose.natIps.join(", ")],
          ["Visibility", r.expose.visibility.join(", ")],
        ]),
        c.dim("The alias is what the operator sends the partner."),
      ];
    case "connect":
      return endpointLines(r.connect, c);
    case "approve":
      return r.approve.results.length === 0
        ? ["No connection to approve."]
        : r.approve.results.map(
            (d) =>
              `${d.name}: ${d.from} → ${d.to ?? d.from} (${d.outcome}${d.requester ? `, from ${d.requester}` : ""})`,
          );
    case "connected":
      return endpointLines(r.connected, c);
    case "verify": {
      const v = r.verify;
      const source =
        v.sourceKind === "nat-ip"
          ? "one of the Private Link Service's NAT IPs"
          : v.sourceKind === "node-ip"
            ? "the IP of the node that forwarded it (externalTrafficPolicy: Cluster)"
            : "neither a NAT IP nor a node IP";
      return [
        v.reached && v.status !== null
          ? c.green(`HTTP ${v.status}: reached`)
          : c.red(`Not reached: ${v.cause ?? `HTTP ${v.status}`}`),
        `X-Sandbox-Source-Ip: ${v.sourceIp ?? "(none)"}   ${c.dim(`← the source the pod saw: ${source}`)}`,
        ...(v.pod ? [`X-Sandbox-Pod: ${v.pod}${v.node ? ` (node ${v.node})` : ""}`] : []),
        `<title>${v.title ?? ""}</title>`,
        ...(v.proxyProtocol ? proxyProtocolLines(v.proxyProtocol, c) : []),
      ];
    }
  }
}

/** `demo --proxy-protocol`: the link id the app read, and the partner the provider finds behind it. */
function proxyProtocolLines(p: DemoProxyProtocol, c: Colors): string[] {
  if (p.linkIdentifier === null) return [c.red("The app got no PROXY protocol link id.")];
  const who = p.privateEndpointName
    ? `${p.privateEndpointName}${p.requesterSubscription ? ` (subscription ${p.requesterSubscription})` : ""}`
    : "no connection of the Private Link Service";
  return [
    `X-Sandbox-Link-Id: ${p.linkIdentifier}   ${c.dim("← the link id in the PROXY protocol v2 header the app read")}`,
    `Link id ${p.linkIdentifier} is partner endpoint ${who}.`,
  ];
}

function renderStep(n: number, s: DemoStep, r: DemoResult, c: Colors): string {
  return [
    c.bold(`${n}. ${TITLES[s.id]}`) + c.dim(`  [${s.actor}]`),
    ...indent(s.commands.map((cmd) => `$ ${cmd}`)),
    ...indent(outputOf(s.id, r, c)),
    "",
  ].join("\n");
}

export function renderDemo(r: DemoResult, c: Colors, cli = "plsctl"): string {
  const where = r.stateDir ? `on a sandbox kept in ${r.stateDir}` : "on a throwaway sandbox";
  const head = [
    `The walkthrough, run ${where}: every id, IP and answer below comes from this run.`,
    "To do it by hand, run these commands in the same order (partner values are the sandbox's).",
    ...pathNote(cli),
    "",
  ];
  const tail = r.stateDir
    ? [
        `The sandbox's state is kept in ${r.stateDir}: start it with the first line above; the lines after it find what the demo made and change nothing.`,
      ]
    : ["The sandbox and its temporary directory are gone; nothing outside this machine was touched."];
  return [...head, ...r.steps.map((s, i) => renderStep(i + 1, s, r, c)), ...tail, ""].join("\n");
}
