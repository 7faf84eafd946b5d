/**
 * `plsctl connect`: the partner's private endpoint to a provider's Private Link Service (by alias or
 * id) or to an Azure PaaS resource (by id and group id). Everything is checked before the first
 * write: the flags, the subnet and its region, an endpoint of that name already there (reused when
 * it points at the same target, refused otherwise), the DNS record, and whether Azure will accept
 * the connection (visibility, auto-approval). Then the endpoint (long-running), DNS, and with
 * `--wait-approved` the provider's decision.
 */
import {
  createEndpoint,
  type EndpointView,
  isAliasVisible,
  lookupSubnet,
  NOT_VISIBLE_CODE,
  readEndpoint,
} from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import {
  approveCommand,
  type ConnectTarget,
  checkDnsFlags,
  checkRequestMessage,
  endpointName,
  fqdnOf,
  parseConnectTarget,
  subnetIdOf,
} from "../../domain/connect.js";
import { decideExisting } from "../../domain/connect-replace.js";
import { checkZoneFlags, DNS_RECORD_TAG, recordIdOf, zoneIdOfRef } from "../../domain/dns-zones.js";
import { ExitCode, PlsctlError, timeoutError, usageError } from "../../domain/errors.js";
import { requireResourceGroup } from "../../domain/names.js";
import { parseResourceId } from "../../domain/resource-id.js";
import type { ConnectResult } from "../../domain/results.js";
import { done, notYet, pollUntil } from "../support/poll.js";
import { checkRecord, type DnsPlan, writeRecord, writeZoneGroupFor } from "./dns.js";
import { automaticRefused, chooseMode } from "./mode.js";
import { carriedRecord, deleteReplaced, notReplaced, type ReplacedEndpoint } from "./replace.js";
import { type Deadline, settled, waitApproved } from "./wait.js";
import { chooseZone, ensureTagged, ensureZone } from "./zone.js";

export interface ConnectOptions {
  pls: string;
  groupId?: string | undefined;
  resourceGroup: string;
  vnet?: string | undefined;
  subnet?: string | undefined;
  subnetId?: string | undefined;
  name?: string | undefined;
  location?: string | undefined;
  requestMessage?: string | undefined;
  waitApproved: boolean;
  timeoutMs: number;
  dnsZone?: string | undefined;
  dnsName?: string | undefined;
  overwriteDns?: boolean | undefined;
  /** A private DNS zone's resource id (a hub's central zone) to write into. */
  dnsZoneId?: string | undefined;
  /** No DNS at all (a PaaS target gets no zone group). */
  noDns?: boolean | undefined;
  /** Replace an endpoint of that name whose connection is Disconnected or Rejected (connect-replace.ts). */
  replace?: boolean | undefined;
}

/**
 * How long a new PLS's alias may stay unresolvable before plsctl reports it (Azure/azure-rest-api-specs#20289:
 * a PLS just created is not found by its alias for a while); `--timeout` caps it.
 */
export const ALIAS_RETRY_MS = 120_000;
const ALIAS_BACKOFF_MS = [5000, 10_000, 20_000, 30_000];

/**
 * `--timeout` ended the alias retries before ALIAS_RETRY_MS: the alias may simply be too new to
 * resolve yet, so this is a timeout (exit 5, re-run), not "not visible".
 */
function aliasStillUnknown(alias: string, sub: string, waitedMs: number): PlsctlError {
  return timeoutError(
    `Private Link Service alias ${alias} was still not visible to subscription ${sub} after ${Math.round(waitedMs / 1000)} s (--timeout). Nothing was created.`,
    `A new Private Link Service's alias can take a few minutes to resolve in Azure: re-run this command, with a --timeout of ${ALIAS_RETRY_MS / 60_000}m or more. If it is still not visible then, ask the provider to make it visible to your subscription: plsctl expose <service> --visibility ${sub}`,
  );
}

function notVisible(target: ConnectTarget, sub: string, retriedMs: number): PlsctlError {
  const what = target.kind === "alias" ? `Private Link Service alias ${target.ref}` : target.ref;
  const retried =
    retriedMs > 0
      ? ` (retried for ${Math.round(retriedMs / 1000)} s, longer than a new alias takes to resolve)`
      : "";
  return new PlsctlError(
    `${what} is not visible to subscription ${sub}, or does not exist: Azure does not say which${retried}. Nothing was created.`,
    {
      exitCode: ExitCode.NotFound,
      code: "PlsNotVisible",
      hint:
        target.kind === "paas"
          ? "Check the resource id and that its owner allows private endpoints from your subscription."
          : `Check the ${target.kind === "alias" ? "alias" : "id"} the provider sent, and ask them to make the Private Link Service visible to your subscription: plsctl expose <service> --visibility ${sub} (add --auto-approve ${sub} to skip manual approval). Then re-run this command.`,
    },
  );
}

const isCode = (err: unknown, code: string) => err instanceof PlsctlError && err.code === code;

/**
 * Azure refused the group id (the sandbox's `PrivateEndpointGroupIdNotValid`; the Network RP's own
 * code is not public, so a 400 that talks about the group id counts too).
 */
const isGroupRefused = (err: unknown): boolean =>
  isCode(err, "PrivateEndpointGroupIdNotValid") ||
  (err instanceof PlsctlError &&
    err.exitCode === ExitCode.Failed &&
    /\(400 /.test(err.message) &&
    /group ?id/i.test(err.message));

function groupRefused(target: Extract<ConnectTarget, { kind: "paas" }>, err: unknown): PlsctlError {
  const why = err instanceof Error ? err.message.replace(/^Could not [^:]*: /, "") : String(err);
  return new PlsctlError(
    `Azure refused --group-id ${target.groupId} for ${target.name}: ${why} Nothing was created.`,
    {
      exitCode: ExitCode.Usage,
      code: "GroupIdNotValid",
      cause: err,
      hint: `Use a group id ${target.name} offers (its owner lists them: az network private-link-resource list --id ${target.ref}), then re-run.`,
    },
  );
}

/**
 * Creates the endpoint. An alias is first checked for visibility; while Azure says it is not
 * visible (or refuses the PUT for that reason) plsctl retries along a backoff, on the injected
 * clock, up to ALIAS_RETRY_MS (capped by --timeout). `beforePut` runs once, right before the first
 * PUT (--replace deletes the old endpoint there: for an alias, only once Azure shows it).
 */
async function create(
  ctx: Context,
  azure: Azure,
  target: ConnectTarget,
  e: Parameters<typeof createEndpoint>[1],
  deadline: Deadline,
  beforePut: () => Promise<void>,
): Promise<EndpointView> {
  const attempt = () => createEndpoint(azure, e);
  if (target.kind !== "alias") {
    await beforePut();
    ctx.progress({ kind: "creating-endpoint", name: e.name, manual: e.manual });
    try {
      return await attempt();
    } catch (err) {
      if (isCode(err, NOT_VISIBLE_CODE)) throw notVisible(target, e.subscriptionId, 0);
      if (target.kind === "paas" && isGroupRefused(err)) throw groupRefused(target, err);
      // An automatic connection needs the approval right on the target (and the target's tenant);
      // without it ARM refuses the PUT and nothing is created: ask for a manual one instead.
      const why = e.manual ? undefined : automaticRefused(err, target);
      if (!why) throw err;
      ctx.progress({
        kind: "connect-mode",
        manual: true,
        why: why === "other-tenant" ? "other-tenant-refused" : why,
      });
      return createEndpoint(azure, { ...e, manual: true });
    }
  }
  const started = ctx.clock.now();
  const budget = Math.max(0, Math.min(ALIAS_RETRY_MS, deadline.at - started));
  // Says when the next look comes (the backoff, cut at the deadline); nothing when none will.
  const notYetVisible = (n: number) => {
    const left = started + budget - ctx.clock.now();
    const retryInMs = Math.min(ALIAS_BACKOFF_MS[Math.min(n, ALIAS_BACKOFF_MS.length - 1)] ?? 0, left);
    if (retryInMs > 0)
      ctx.progress({
        kind: "alias-not-visible-yet",
        alias: target.ref,
        retryInMs,
        ...(n === 0 ? { first: { budgetMs: budget } } : {}),
      });
    return notYet;
  };
  return pollUntil({
    clock: ctx.clock,
    signal: ctx.signal,
    backoff: ALIAS_BACKOFF_MS,
    timeoutMs: budget,
    onTimeout: () => {
      const waited = ctx.clock.now() - started;
      return deadline.timeoutMs < ALIAS_RETRY_MS
        ? aliasStillUnknown(target.ref, e.subscriptionId, waited)
        : notVisible(target, e.subscriptionId, waited);
    },
    check: async (n) => {
      if (!(await isAliasVisible(azure, e.subscriptionId, e.location, target.ref))) return notYetVisible(n);
      await beforePut();
      ctx.progress({ kind: "creating-endpoint", name: e.name, manual: e.manual });
      try {
        return done(await attempt());
      } catch (err) {
        if (!isCode(err, NOT_VISIBLE_CODE)) throw err;
        return notYetVisible(n);
      }
    },
  });
}

export async function runConnect(ctx: Context, o: ConnectOptions): Promise<ConnectResult> {
  const deadline: Deadline = { at: ctx.clock.now() + o.timeoutMs, timeoutMs: o.timeoutMs };
  // Everything the flags alone decide, before any request.
  const target = parseConnectTarget(o.pls, o.groupId, ctx.globals.cloud);
  checkRequestMessage(o.requestMessage);
  const dnsFlags = (f: ConnectOptions) => {
    const byId = checkZoneFlags(f, target);
    const wanted = checkDnsFlags(
      { ...f, dnsZone: f.dnsZone ?? (target.kind === "paas" ? undefined : byId?.zone) },
      target,
    );
    return { byId, wanted };
  };
  let { byId: zoneById, wanted: dnsWanted } = dnsFlags(o);
  const name = endpointName(o.name, target);
  requireResourceGroup(o.resourceGroup, "--resource-group");
  const { subnetId, subscriptionId: sub } = subnetIdOf(o, {
    subscriptionId:
      o.subnetId !== undefined
        ? ctx.globals.subscription
        : (ctx.globals.subscription ?? ctx.env.subscriptionId),
    resourceGroup: o.resourceGroup,
  });
  const azure = await ctx.azure();

  const sid = parseResourceId(subnetId);
  const [vnetName = "", , subnetName = ""] = sid?.path.slice(1) ?? [];
  const look = await lookupSubnet(azure, subnetId);
  if (!look.vnet) {
    throw new PlsctlError(
      `Virtual network ${vnetName} does not exist in resource group ${sid?.resourceGroup} of subscription ${sid?.subscriptionId}.`,
      {
        exitCode: ExitCode.NotFound,
        code: "VnetNotFound",
        hint: `Check --vnet/--subnet-id and the subscription (az network vnet list --subscription ${sid?.subscriptionId} -o table).`,
      },
    );
  }
  const vnet = look.vnet;
  if (!look.subnetId) {
    throw new PlsctlError(
      `Subnet ${subnetName} does not exist in virtual network ${vnet.name} (${vnet.location}).`,
      {
        exitCode: ExitCode.NotFound,
        code: "SubnetNotFound",
        hint: `Its subnets: ${vnet.subnetNames.join(", ") || "none"}. Pass one with --subnet, or create one first.`,
      },
    );
  }
  const location = vnet.location;
  if (o.location !== undefined && o.location.replace(/\s/g, "").toLowerCase() !== location.toLowerCase()) {
    throw usageError(
      `--location ${o.location}: a private endpoint is created in its virtual network's region, and ${vnet.name} is in ${location}.`,
      `Leave --location out (it defaults to ${location}), or use a subnet of a VNet in ${o.location}.`,
    );
  }

  const at = { subscriptionId: sub, resourceGroup: o.resourceGroup, name };
  const found = await readEndpoint(azure, at);
  const decision = decideExisting(found, {
    target: target.ref,
    subnetId: look.subnetId,
    replace: Boolean(o.replace),
  });
  // The endpoint to delete before the new one (--replace), or the one this run reuses.
  const replacing = decision === "replace" ? found : undefined;
  const existing = decision === "reuse" ? found : undefined;
  const endpointId =
    found?.id ??
    `/subscriptions/${sub}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${name}`;
  // --replace without DNS flags keeps the name plsctl wrote for the endpoint: as if they were given.
  const carried =
    o.replace && target.kind !== "paas" && (await carriedRecord(azure, o, at, endpointId, found));
  if (carried) ({ byId: zoneById, wanted: dnsWanted } = dnsFlags({ ...o, ...carried }));
  const dnsZone = dnsWanted?.zone ?? (target.kind === "paas" && !o.noDns ? target.zone : undefined);
  const vnetRef = { id: vnet.id, name: vnet.name };
  const choice = dnsZone
    ? await chooseZone(
        azure,
        dnsZone,
        zoneById,
        { subscriptionId: sub, resourceGroup: o.resourceGroup },
        vnetRef,
      )
    : undefined;
  const plan: DnsPlan | undefined = choice
    ? { zone: choice.zone, vnet: vnetRef, endpointId, central: choice.central }
    : undefined;
  if (plan && dnsWanted) {
    await checkRecord(azure, plan, dnsWanted.label, found?.privateIp ?? null, Boolean(o.overwriteDns));
  }
  // The zone and its link before the endpoint: a link Azure refuses stops the run with nothing made.
  let changed = choice && plan ? await ensureZone(ctx, azure, choice.zone, vnetRef, choice.central) : false;
  // Everything checked: the old endpoint goes (its IP with it) right before the new one's PUT.
  let replaced: ReplacedEndpoint | null = null;
  const dropOld = async () => {
    if (!replacing || replaced) return;
    replaced = await deleteReplaced(ctx, azure, replacing);
    changed = true;
  };

  let ep: EndpointView;
  // An endpoint whose last PUT ended Failed is not reused: Azure retries a Failed resource by
  // PUTting it again (learn.microsoft.com/azure/networking/troubleshoot-failed-state), so the
  // re-run of an interrupted or failed connect finishes it instead of reporting it as done.
  // Where the A record goes when that is outside this resource group, for disconnect.
  const recordTags =
    choice?.central && dnsWanted ? { [DNS_RECORD_TAG]: recordIdOf(choice.zone, dnsWanted.label) } : undefined;
  const current = existing && (await settled(ctx, azure, at, existing, o.timeoutMs));
  if (current && current.provisioningState.toLowerCase() !== "failed") {
    ep = current;
    ctx.progress({ kind: "endpoint-reused", name, state: ep.state });
    if (recordTags && (await ensureTagged(azure, ep, recordTags))) changed = true;
  } else {
    const mode = await chooseMode(azure, target, sub, location);
    ctx.progress(mode);
    const spec = {
      ...at,
      location,
      subnetId: look.subnetId,
      target: target.ref,
      groupIds: target.kind === "paas" ? [target.groupId] : [],
      manual: mode.manual,
      requestMessage: o.requestMessage,
      tags: recordTags,
    };
    try {
      ep = await create(ctx, azure, target, spec, deadline, dropOld);
    } catch (err) {
      throw replaced ? notReplaced(err, name) : err;
    }
    changed = true;
    ctx.progress({ kind: "endpoint-created", name, state: ep.state, privateIp: ep.privateIp });
  }

  let fqdn: string | null = null;
  if (plan && dnsWanted) {
    if (ep.privateIp) {
      changed = (await writeRecord(ctx, azure, plan, dnsWanted.label, ep.privateIp)) || changed;
      fqdn = fqdnOf(plan.zone.zone, dnsWanted.label);
    } else {
      ctx.report.warn(
        `Private endpoint ${name} has no private IP yet; no DNS record was written.`,
        "Re-run the same command.",
      );
    }
  } else if (plan && target.kind === "paas") {
    changed = (await writeZoneGroupFor(ctx, azure, plan, ep)) || changed;
    fqdn = target.fqdn;
  }

  // The owner of a PaaS target approves with plsctl too (approve --pls <its resource id>).
  const approveLine = approveCommand(target.ref, name, sub);
  if (o.waitApproved && ep.state !== "Approved") {
    ep = await waitApproved(ctx, azure, ep, deadline, approveLine);
  } else if (ep.state === "Rejected" || ep.state === "Disconnected") {
    ctx.report.warn(
      `The provider ${ep.state === "Rejected" ? "rejected" : "removed"} this connection${ep.state === "Disconnected" ? " (its Private Link Service was deleted or recreated, or the connection removed)" : ""}: ${ep.description || "(no description)"}.`,
      ep.state === "Rejected"
        ? "Talk to the provider; once they agree, re-run this command with --replace (a new endpoint under the same name, so a new request; its DNS name is kept)."
        : "Ask the provider for the new alias, then re-run this command with --pls <new alias> --replace (a new endpoint under the same name; its DNS name is kept).",
    );
  }

  return {
    endpoint: {
      id: ep.id,
      name: ep.name,
      resourceGroup: ep.resourceGroup,
      subscriptionId: ep.subscriptionId,
      location: ep.location,
      subnetId: ep.subnetId,
    },
    target: ep.target,
    targetKind: target.kind,
    groupId: target.kind === "paas" ? target.groupId : null,
    manual: ep.manual,
    state: ep.state,
    description: ep.description,
    privateIp: ep.privateIp,
    fqdn,
    dns: plan
      ? {
          zone: plan.zone.zone,
          zoneId: zoneIdOfRef(plan.zone),
          central: choice?.central ?? false,
          record: dnsWanted ? dnsWanted.label : null,
          zoneGroup: target.kind === "paas",
        }
      : null,
    approveCommand: ep.state === "Pending" ? approveLine : null,
    replaced,
    changed,
  };
}
