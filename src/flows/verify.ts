/**
 * `plsctl verify`: can the partner reach the Service behind a private endpoint? Reads the endpoint
 * (its IP and connection state), resolves the name, opens a TCP connection, optionally sends one
 * HTTP GET — each step timed — and names the likely cause when it does not get through.
 *
 * With PLSCTL_SANDBOX_PROXY every connection goes through the sandbox's partner network (HTTP
 * CONNECT to a loopback proxy, which resolves names in the partner's VNet and reports the address);
 * without it, verify resolves and dials from this machine, as on a VM in the partner's VNet.
 */
import { readEndpoint } from "../azure/endpoints.js";
import type { Context } from "../context.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import {
  BODY_PREVIEW,
  dnsMismatchCause,
  httpFailedCause,
  KEPT_HEADERS,
  notApprovedCause,
  notResolvedCause,
  refusedCause,
  timeoutCause,
  unreachableCause,
  type VerifyCause,
  type VerifyEndpoint,
  type VerifyResult,
  type VerifyStep,
} from "../domain/verify.js";
import { dial, httpGet, resolveAddresses } from "../net/probe.js";
import { isLoopbackHost, openTunnel, parseProxyUrl, TunnelRefused } from "../net/tunnel.js";

export interface VerifyOptions {
  endpoint?: string | undefined;
  resourceGroup?: string | undefined;
  address?: string | undefined;
  port: number;
  /** Send `GET <path>` once connected. */
  http?: string | undefined;
  timeoutMs: number;
}

type Opened =
  | { socket: import("node:net").Socket; resolved?: string[] }
  | { cause: VerifyCause; resolved?: string[] };

const isIpv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
const SANDBOX_FAILURES: Record<string, "refused" | "timeout" | "unreachable" | "not-approved" | "dns"> = {
  "port-refused": "refused",
  "no-ready-pod": "refused",
  dropped: "timeout",
  "not-approved": "not-approved",
  "unknown-address": "dns",
  ambiguous: "unreachable",
  "not-a-service": "unreachable",
  "bad-vnet": "unreachable",
};

async function readTarget(ctx: Context, o: VerifyOptions, step: (s: VerifyStep) => void) {
  if (!o.endpoint) return undefined;
  const sub = ctx.globals.subscription ?? ctx.env.subscriptionId;
  if (!sub)
    throw usageError(
      "No subscription for the private endpoint.",
      "Pass --subscription <your subscription id> (or set AZURE_SUBSCRIPTION_ID).",
    );
  const rg = o.resourceGroup ?? "";
  const t0 = ctx.clock.now();
  const ep = await readEndpoint(await ctx.azure(), {
    subscriptionId: sub,
    resourceGroup: rg,
    name: o.endpoint,
  });
  if (!ep)
    throw new PlsctlError(`Private endpoint ${o.endpoint} was not found in resource group ${rg}.`, {
      exitCode: ExitCode.NotFound,
      code: "NotFound",
      hint: "Check --endpoint and --resource-group (and --subscription), or verify by --address <ip>.",
    });
  const view: VerifyEndpoint = {
    id: ep.id,
    name: ep.name,
    resourceGroup: ep.resourceGroup,
    state: ep.state,
    description: ep.description,
    privateIp: ep.privateIp,
  };
  step({
    step: "endpoint",
    ok: ep.state === "Approved" && ep.privateIp !== null,
    ms: ctx.clock.now() - t0,
    detail: `${ep.name}: ${ep.state}, IP ${ep.privateIp ?? "none"}`,
  });
  return { view, target: ep.target, subscription: sub };
}

/** Through the sandbox's proxy: CONNECT host:port; the proxy resolves names and says why it refuses. */
async function viaProxy(ctx: Context, proxy: string, host: string, o: VerifyOptions): Promise<Opened> {
  try {
    const t = await openTunnel(proxy, host, o.port, { signal: ctx.signal, timeoutMs: o.timeoutMs });
    return { socket: t.socket, ...(t.resolved ? { resolved: t.resolved } : {}) };
  } catch (err) {
    if (!(err instanceof TunnelRefused)) {
      if (err instanceof PlsctlError && err.exitCode === ExitCode.Timeout)
        return { cause: timeoutCause(`${host}:${o.port}`, `no answer in ${o.timeoutMs} ms`) };
      throw err;
    }
    const at = `${host}:${o.port}`;
    const resolved = err.resolved ? { resolved: err.resolved } : {};
    const kind = SANDBOX_FAILURES[err.kind ?? ""] ?? (err.status === 504 ? "timeout" : "unreachable");
    if (kind === "refused") return { cause: refusedCause(at, err.reason), ...resolved };
    if (kind === "timeout") return { cause: timeoutCause(at, err.reason), ...resolved };
    if (kind === "not-approved")
      return {
        cause: {
          kind: "not-approved",
          message: err.reason,
          hint: "Ask the provider to approve the connection; verify --endpoint <name> -g <rg> shows its state.",
        },
        ...resolved,
      };
    if (kind === "dns" && !isIpv4(host) && !err.resolved?.length)
      return { cause: notResolvedCause(host, "proxy"), resolved: [] };
    return { cause: unreachableCause(at, err.reason), ...resolved };
  }
}

/**
 * ARM on loopback is the plsctl sandbox: its private IPs and DNS names exist only in its partner
 * network, so dialing them from this machine would reach nothing (or someone else's host). Said
 * first, before any read or dial, with the environment that sets the proxy; a loopback --address
 * (a local test server) still goes direct.
 */
function refuseSandboxWithoutProxy(ctx: Context, o: VerifyOptions): void {
  const arm = ctx.env.armEndpoint;
  let host: string;
  try {
    host = arm ? new URL(arm).hostname : "";
  } catch {
    return;
  }
  if (!host || !isLoopbackHost(host) || (o.address && isLoopbackHost(o.address))) return;
  throw usageError(
    `PLSCTL_ARM_ENDPOINT is the plsctl sandbox (${arm}), but PLSCTL_SANDBOX_PROXY is not set: the endpoint's address exists only in the sandbox's partner network, so verify would dial it directly from this machine and find nothing. Nothing was dialled.`,
    `Act as the partner, which sets the proxy: eval "$(${ctx.env.cli} sandbox env --as partner)", then run verify again.`,
  );
}

/** The link id the app saw in the PROXY protocol header, when it answered one (sandbox pods do). */
function linkIdentifierOf(headers: Record<string, string>): { linkIdentifier?: string } {
  const id = headers["x-sandbox-link-id"];
  return id && /^\d+$/.test(id) ? { linkIdentifier: id } : {};
}

/** The flags, and the proxy to go through (refused when not loopback); nothing read yet. */
function checkFlags(ctx: Context, o: VerifyOptions): string | undefined {
  if (!o.endpoint && !o.address)
    throw usageError("Nothing to verify.", "Pass --endpoint <name> -g <rg>, or --address <ip | name>.");
  if (o.endpoint && !o.resourceGroup)
    throw usageError(`--endpoint ${o.endpoint} needs its resource group.`, "Pass -g, --resource-group <rg>.");
  const proxy = ctx.env.sandboxProxy;
  if (proxy)
    parseProxyUrl(proxy); // a non-loopback proxy is refused (exit 2) before anything is read
  else refuseSandboxWithoutProxy(ctx, o);
  return proxy;
}

type NoteDns = (addresses: string[], ms: number | null, by: string) => void;

/** Records what a name resolved to (and whether that is the endpoint's IP) as the `resolve` step. */
function dnsNoter(
  result: VerifyResult,
  step: (s: VerifyStep) => void,
  host: string,
  endpointIp: string | null,
): NoteDns {
  return (addresses, ms, by) => {
    const matches = endpointIp ? addresses.includes(endpointIp) : null;
    result.dns = { name: host, addresses, matchesEndpoint: matches };
    result.target.address = addresses[0] ?? null;
    step({
      step: "resolve",
      ok: addresses.length > 0 && matches !== false,
      ms,
      detail:
        addresses.length === 0
          ? `${host} does not resolve${by}`
          : `${host} resolves to ${addresses.join(", ")}${by}${matches === false ? `, the endpoint's IP is ${endpointIp}` : ""}`,
    });
    if (endpointIp && addresses.length > 0 && matches === false)
      result.cause = dnsMismatchCause(host, addresses, endpointIp);
  };
}

/**
 * From this machine: resolve a name, then dial. Undefined when the name did not resolve (the
 * cause is set on `result`; there is no connect step).
 */
async function openDirect(
  ctx: Context,
  host: string,
  o: VerifyOptions,
  result: VerifyResult,
  noteDns: NoteDns,
  t0: number,
): Promise<Opened | undefined> {
  let address = host;
  if (!isIpv4(host)) {
    const r = await resolveAddresses(host);
    if ("error" in r) {
      result.cause = unreachableCause(host, `name resolution failed: ${r.error}`);
      return undefined;
    }
    noteDns(r, ctx.clock.now() - t0, "");
    if (r.length === 0) {
      result.cause = notResolvedCause(host, "direct");
      return undefined;
    }
    address = r[0] ?? host;
  }
  const d = await dial(address, o.port, { timeoutMs: o.timeoutMs, signal: ctx.signal });
  const at = `${address}:${o.port}`;
  if (!("kind" in d)) return { socket: d };
  return {
    cause:
      d.kind === "refused"
        ? refusedCause(at, d.reason)
        : d.kind === "timeout"
          ? timeoutCause(at, d.reason)
          : unreachableCause(at, d.reason),
  };
}

/** One GET on the open connection: the `http` step and what answered. */
async function httpStep(
  ctx: Context,
  socket: import("node:net").Socket,
  o: VerifyOptions & { http: string },
  host: string,
  result: VerifyResult,
  step: (s: VerifyStep) => void,
): Promise<VerifyResult> {
  const tConnect = ctx.clock.now();
  const answer = await httpGet(socket, host, o.http, {
    timeoutMs: o.timeoutMs,
    maxBody: BODY_PREVIEW,
    signal: ctx.signal,
  });
  const ms = ctx.clock.now() - tConnect;
  if ("error" in answer) {
    step({ step: "http", ok: false, ms, detail: answer.error });
    result.cause ??= httpFailedCause(`${host}:${o.port}`, answer.error);
    return result;
  }
  const headers = Object.fromEntries(
    Object.entries(answer.headers).filter(([k]) => KEPT_HEADERS.includes(k) || k.startsWith("x-sandbox-")),
  );
  result.http = {
    status: answer.status,
    headers,
    sourceIp: answer.headers["x-sandbox-source-ip"] ?? null,
    ...linkIdentifierOf(answer.headers),
    body: answer.body,
  };
  step({ step: "http", ok: true, ms, detail: `GET ${o.http} → ${answer.status}` });
  result.reached = result.cause === null;
  return result;
}

export async function runVerify(ctx: Context, o: VerifyOptions): Promise<VerifyResult> {
  const proxy = checkFlags(ctx, o);
  const via = proxy ? "proxy" : "direct";
  const steps: VerifyStep[] = [];
  const step = (s: VerifyStep) => void steps.push(s);
  const ep = await readTarget(ctx, o, step);
  const host = o.address ?? ep?.view.privateIp ?? "";
  const result: VerifyResult = {
    reached: false,
    via,
    target: { host, port: o.port, address: isIpv4(host) ? host : null },
    endpoint: ep?.view ?? null,
    dns: null,
    steps,
    http: null,
    cause: null,
  };
  if (ep && !ep.view.privateIp)
    throw new PlsctlError(`Private endpoint ${ep.view.name} has no private IP yet.`, {
      hint: "Wait for it to finish provisioning, or verify by --address <ip>.",
    });
  if (ep && ep.view.state !== "Approved") {
    result.cause = notApprovedCause(ep.view, ep.target, ep.subscription);
    return result;
  }
  const noteDns = dnsNoter(result, step, host, ep?.view.privateIp ?? null);
  const t0 = ctx.clock.now();
  let opened: Opened | undefined;
  if (proxy) {
    opened = await viaProxy(ctx, proxy, host, o);
    if (!isIpv4(host)) noteDns(opened.resolved ?? [], null, " (by the sandbox proxy, in your VNet)");
  } else {
    opened = await openDirect(ctx, host, o, result, noteDns, t0);
    if (!opened) return result;
  }
  const tConnect = ctx.clock.now();
  if ("cause" in opened) {
    step({ step: "connect", ok: false, ms: tConnect - t0, detail: opened.cause.message });
    result.cause ??= opened.cause;
    return result;
  }
  step({
    step: "connect",
    ok: true,
    ms: tConnect - t0,
    detail: `TCP connection to ${result.target.address ?? host}:${o.port} open${proxy ? " (through the sandbox proxy)" : ""}`,
  });
  if (o.http === undefined) {
    opened.socket.destroy();
    result.reached = result.cause === null;
    return result;
  }
  return httpStep(ctx, opened.socket, { ...o, http: o.http }, host, result, step);
}
