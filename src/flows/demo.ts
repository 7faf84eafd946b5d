/**
 * `plsctl demo`: the whole walkthrough on a throwaway in-process sandbox, each step by the real
 * flow acting as the sandbox identity a user would be — the cluster operator deploys the sample app
 * and exposes it, the partner connects (Pending), the provider's CI approves, the partner sees the
 * endpoint Approved with its private IP and DNS name, and an HTTP request from the partner's VNet
 * (the sandbox's partner network) reaches the app. Every value shown comes from the run.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.js";
import {
  DEMO,
  type DemoPartner,
  type DemoPrinted,
  type DemoProxyProtocol,
  type DemoResult,
  type DemoStep,
  type DemoStepId,
  type DemoVerify,
  type DemoWorld,
  demoSteps,
  pageTitle,
  sourceKind,
  withProxyProtocol,
} from "../domain/demo.js";
import { PlsctlError, usageError } from "../domain/errors.js";
import type { ConnectResult } from "../domain/results.js";
import { shellArg } from "../domain/shell.js";
import { createMissing } from "../kube/apply.js";
import type { Sandbox } from "../sandbox/index.js";
import { type ConnectOptions, runConnect } from "./connect/index.js";
import { runConnections } from "./connections.js";
import { runApprove } from "./decide.js";
import { runExpose } from "./expose/index.js";
import { identityEnv, loadWorld } from "./sandbox/index.js";
import { runVerify } from "./verify.js";

export interface DemoOptions {
  stateDir?: string | undefined;
  realistic: boolean;
  /** `--world <file>`: the world to run the walkthrough on (default: the default world). */
  world?: string | undefined;
  /** Expose with proxy protocol on, and name the partner from the link id the app reads. */
  proxyProtocol?: boolean;
}

export type { DemoResult } from "../domain/demo.js";

const TIMEOUT_MS = 10 * 60_000;

/** The package's own files (examples/), wherever the bundle was installed. */
function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      return readFileSync(join(dir, relative), "utf8");
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error(`cannot find ${relative} next to plsctl`);
}

function identity(sb: Sandbox, name: string) {
  const id = sb.runtime.identities.find((i) => i.name === name);
  if (!id) throw new Error(`the sandbox world has no ${name} identity`);
  return id;
}

/** The context of one sandbox identity, as after `eval "$(plsctl sandbox env --as <name>)"`. */
function actingAs(ctx: Context, sb: Sandbox, name: string): { ctx: Context; env: Record<string, string> } {
  const { env } = identityEnv(sb.runtime, identity(sb, name));
  const raw: Record<string, string | undefined> = { ...ctx.env.raw, ...env };
  if (!env.KUBECONFIG) delete raw.KUBECONFIG;
  const as = ctx.actingAs({
    env: raw,
    globals: {
      ...ctx.globals,
      kubeconfig: undefined,
      context: undefined,
      namespace: "default",
      subscription: undefined,
      tenant: undefined,
    },
  });
  return { ctx: as, env };
}

/** The partner's resource group, VNet and subnet: its one VNet in the sandbox's world. */
function partnerPlace(sb: Sandbox): DemoPartner {
  const p = identity(sb, "partner");
  const vnet =
    sb.world.virtualNetworks.find((v) => v.subscriptionId === p.subscriptionId && v.name === p.vnet) ??
    sb.world.virtualNetworks.find((v) => v.subscriptionId === p.subscriptionId);
  const subnet = vnet?.subnets[0];
  if (!vnet || !subnet) throw new Error("the sandbox world has no VNet for the partner");
  return {
    subscriptionId: p.subscriptionId,
    resourceGroup: vnet.resourceGroup,
    vnet: vnet.name,
    subnet: subnet.name,
  };
}

/**
 * Where the demo's PLS goes: the node resource group, unless the cluster's is locked (node resource
 * group lockdown: nobody but the cluster could approve there), then the world's `plsResourceGroup`.
 */
function plsGroupOf(sb: Sandbox): string | undefined {
  const cluster = sb.world.managedClusters[0];
  if (cluster?.nodeResourceGroupRestrictionLevel !== "ReadOnly") return undefined;
  if (!cluster.plsResourceGroup) {
    throw usageError(
      `The world's cluster ${cluster.name} has a locked node resource group (nodeResourceGroupRestrictionLevel: ReadOnly), so the demo's PLS must go elsewhere, and the world names no place for it.`,
      "Add plsResourceGroup: <a resource group where the cluster identity may write Private Link Services> to the cluster in the world file (examples/landing-zone.yaml does).",
    );
  }
  return cluster.plsResourceGroup;
}

/**
 * The demo's expose asks for DEMO.plsName; a PLS of that name already in the group it goes to (one
 * the world file lists, on another cluster's frontend) would stop the walkthrough there: the AKS
 * controller rejects a Service whose azure-pls-name is in use on another frontend
 * (kubernetes-sigs/cloud-provider-azure pull 10943, pkg/provider/azure_privatelinkservice.go), and
 * expose refuses it first. Said before anything is deployed, naming the world file's entry.
 */
function refuseNameInUse(sb: Sandbox, group: string | undefined): void {
  const cluster = sb.world.managedClusters[0];
  if (!cluster) return;
  const rg = (group ?? cluster.nodeResourceGroup).toLowerCase();
  const taken = (sb.world.privateLinkServices ?? []).find(
    (p) =>
      p.subscriptionId.toLowerCase() === cluster.subscriptionId.toLowerCase() &&
      p.resourceGroup.toLowerCase() === rg &&
      p.name.toLowerCase() === DEMO.plsName,
  );
  if (!taken) return;
  throw usageError(
    `The world already has a Private Link Service named ${DEMO.plsName} in resource group ${taken.resourceGroup}, on another load balancer (${taken.loadBalancer.resourceGroup}/${taken.loadBalancer.name}): the demo's expose asks for that name, and the AKS controller rejects a Service whose PLS name is in use on another frontend, so the walkthrough would stop there.`,
    `Rename that entry of privateLinkServices in the world file (examples/landing-zone.yaml's is pls-sample-app) or move it to another resource group; plsctl never adopts or changes it.`,
  );
}

export async function runDemo(ctx: Context, o: DemoOptions): Promise<DemoResult> {
  const { startSandbox } = await import("../sandbox/index.js");
  const dir = o.stateDir ?? mkdtempSync(join(tmpdir(), "plsctl-demo-"));
  try {
    const world = await loadWorld(o.world);
    ctx.progress({ kind: "sandbox-starting", realistic: o.realistic });
    const sb = await startSandbox({
      ...(world ? { world } : {}),
      stateDir: dir,
      lroDelayMs: o.realistic ? 3000 : 0,
      provisioningDelayMs: o.realistic ? 30_000 : 0,
      log: (line) => ctx.report.debug(line),
    });
    try {
      return await walkthrough(ctx, sb, o);
    } finally {
      await sb.close();
    }
  } finally {
    if (!o.stateDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The walkthrough on a running sandbox (runDemo starts and closes one around it). */
export async function walkthrough(ctx: Context, sb: Sandbox, o: DemoOptions): Promise<DemoResult> {
  const partner = partnerPlace(sb);
  const name = `${DEMO.dnsName}.${DEMO.dnsZone}`;
  const w: DemoWorld = { file: o.world, plsResourceGroup: plsGroupOf(sb) };
  refuseNameInUse(sb, w.plsResourceGroup);
  // The alias is known after expose; the lines before it do not name it.
  const printed: DemoPrinted = {
    cli: ctx.env.cli,
    stateFlag: o.stateDir === undefined ? "" : ` --state-dir ${shellArg(o.stateDir)}`,
  };
  let steps = demoSteps("<alias>", partner, name, printed, w);
  const announce = (id: DemoStepId) => {
    const step = steps.find((s) => s.id === id) as DemoStep;
    for (const command of step.commands) ctx.progress({ kind: "demo-step", actor: step.actor, command });
  };

  const provider = actingAs(ctx, sb, "provider").ctx;
  announce("deploy");
  ctx.progress({ kind: "deploying-sample-app", file: DEMO.manifest });
  const deployed = await createMissing(await provider.kube(), packageFile(DEMO.manifest), DEMO.manifest);
  announce("expose");
  const { expose, alias } = await exposeSample(provider, partner, w, o);
  steps = demoSteps(alias, partner, name, printed, w);

  const asPartner = actingAs(ctx, sb, "partner");
  const connectOpts = connectOptions(alias, partner);
  announce("connect");
  const connect = await runConnect(asPartner.ctx, connectOpts);
  announce("approve");
  const approve = await approveAsCi(actingAs(ctx, sb, "ci").ctx, partner);
  announce("connected");
  const connected = await runConnect(asPartner.ctx, connectOpts);
  announce("verify");
  const { verify, host, linkId } = await verifyFromPartner(
    asPartner,
    connected,
    nodeIpsOf(sb),
    expose.natIps,
  );
  if (o.proxyProtocol) verify.proxyProtocol = await partnerByLinkId(actingAs(ctx, sb, "ci").ctx, linkId);
  const shown = demoSteps(alias, partner, host, printed, w);
  return {
    stateDir: o.stateDir ?? null,
    deployed,
    expose,
    connect,
    approve,
    connected,
    verify,
    steps: o.proxyProtocol ? withProxyProtocol(shown, linkId, ctx.env.cli) : shown,
  };
}

/** The provider exposes the sample app to the partner's subscription, and waits for its alias. */
async function exposeSample(provider: Context, partner: DemoPartner, w: DemoWorld, o: DemoOptions) {
  const expose = await runExpose(provider, {
    service: DEMO.service,
    flags: {
      plsName: DEMO.plsName,
      visibility: [partner.subscriptionId],
      ...(w.plsResourceGroup ? { plsResourceGroup: w.plsResourceGroup } : {}),
      ...(o.proxyProtocol ? { proxyProtocol: true } : {}),
    },
    wait: true,
    timeoutMs: TIMEOUT_MS,
    record: true,
    recreatePls: false,
  });
  if (!expose.alias) throw new Error("expose returned no alias");
  return { expose, alias: expose.alias };
}

/** The partner's connect, the same both times (Pending, then Approved). */
function connectOptions(alias: string, partner: DemoPartner): ConnectOptions {
  return {
    pls: alias,
    resourceGroup: partner.resourceGroup,
    vnet: partner.vnet,
    subnet: partner.subnet,
    name: DEMO.endpoint,
    requestMessage: DEMO.requestMessage,
    dnsZone: DEMO.dnsZone,
    dnsName: DEMO.dnsName,
    waitApproved: false,
    timeoutMs: TIMEOUT_MS,
  };
}

/** The provider's CI approves the partner's request; a failure stops the walkthrough. */
async function approveAsCi(ci: Context, partner: DemoPartner) {
  const approve = await runApprove(ci, {
    service: DEMO.service,
    selection: { names: [], allPending: false, fromSubscriptions: [partner.subscriptionId.toLowerCase()] },
  });
  if (approve.exitCode !== 0) {
    const failed = approve.results.find((d) => d.outcome === "failed" || d.outcome === "refused");
    throw new PlsctlError(
      `The provider's CI could not approve the connection: ${failed?.reason ?? "unknown"}.`,
    );
  }
  return approve;
}

const nodeIpsOf = (sb: Sandbox): string[] =>
  sb.world.managedClusters.flatMap((c) => c.nodes.map((n) => n.internalIp));

/** An HTTP request from the partner's VNet to the endpoint, and what answered it. */
async function verifyFromPartner(
  asPartner: { ctx: Context; env: Record<string, string> },
  connected: ConnectResult,
  nodeIps: string[],
  natIps: string[],
): Promise<{ verify: DemoVerify; host: string; linkId: string | null }> {
  const proxy = asPartner.env.PLSCTL_SANDBOX_PROXY;
  if (!proxy) throw new Error("the sandbox has no partner network proxy");
  const host = connected.fqdn ?? connected.privateIp;
  if (!host)
    throw new PlsctlError(
      `Private endpoint ${DEMO.endpoint} has no private IP: nothing to send a request to.`,
    );
  const checked = await runVerify(asPartner.ctx, {
    endpoint: DEMO.endpoint,
    resourceGroup: connected.endpoint.resourceGroup,
    address: host,
    port: 80,
    http: "/",
    timeoutMs: 10_000,
  });
  const headers = checked.http?.headers ?? {};
  const sourceIp = checked.http?.sourceIp ?? null;
  const verify: DemoVerify = {
    url: `http://${host}/`,
    proxy,
    reached: checked.reached,
    status: checked.http?.status ?? null,
    cause: checked.cause?.message ?? null,
    sourceIp,
    sourceKind: sourceKind(sourceIp, natIps, nodeIps),
    pod: headers["x-sandbox-pod"] ?? null,
    node: headers["x-sandbox-node"] ?? null,
    title: pageTitle(checked.http?.body ?? ""),
  };
  return { verify, host, linkId: checked.http?.linkIdentifier ?? null };
}

/** The provider's side of proxy protocol: the connection behind the link id its app read. */
async function partnerByLinkId(ci: Context, linkId: string | null): Promise<DemoProxyProtocol> {
  const none = { linkIdentifier: linkId, privateEndpointName: null, requesterSubscription: null };
  if (linkId === null) return none;
  const found = await runConnections(ci, { service: DEMO.service, linkId });
  const c = found.connections[0];
  return c
    ? {
        linkIdentifier: linkId,
        privateEndpointName: c.privateEndpointName,
        requesterSubscription: c.requesterSubscription,
      }
    : none;
}
