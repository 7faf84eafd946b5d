/**
 * `connect`, the apply step: writes what the plan (plan.ts) says, in order — the zone and its link
 * (before the endpoint: a link Azure refuses stops the run with nothing made), the old endpoint's
 * delete (--replace) right before the new one's PUT, the endpoint (or the one reused), its DNS,
 * and with `--wait-approved` the provider's decision. Every wait gets what is left of the one
 * deadline of the command.
 */
import type { EndpointView } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import { approveCommand, fqdnOf } from "../../domain/connect.js";
import { connectResult, endedConnectionWarning, endpointSpec } from "../../domain/connect-plan.js";
import type { Deadline } from "../../domain/deadline.js";
import type { ConnectResult } from "../../domain/results.js";
import { create } from "./create.js";
import { writeRecord, writeZoneGroupFor } from "./dns.js";
import { chooseMode } from "./mode.js";
import type { ConnectPlan } from "./plan.js";
import { deleteReplaced, notReplaced, type ReplacedEndpoint } from "./replace.js";
import { settled, waitApproved } from "./wait.js";
import { ensureTagged, ensureZone } from "./zone.js";

/** What the apply step did so far. */
interface Done {
  changed: boolean;
  replaced: ReplacedEndpoint | null;
}

/** One run of the apply step: the plan, the deadline, and what it did so far. */
interface Run {
  ctx: Context;
  azure: Azure;
  p: ConnectPlan;
  deadline: Deadline;
  d: Done;
}

export async function applyConnect(
  ctx: Context,
  azure: Azure,
  p: ConnectPlan,
  opts: { deadline: Deadline; waitApproved: boolean },
): Promise<ConnectResult> {
  const { deadline } = opts;
  const d: Done = { changed: false, replaced: null };
  if (p.zone && p.dnsPlan) d.changed = await ensureZone(ctx, azure, p.zone.zone, p.vnet, p.zone.central);
  let ep = await endpointFor({ ctx, azure, p, deadline, d });
  const fqdn = await writeDns(ctx, azure, p, ep, d);
  // The owner of a PaaS target approves with plsctl too (approve --pls <its resource id>).
  const approveLine = approveCommand(p.target.ref, p.name, p.subscriptionId);
  if (opts.waitApproved && ep.state !== "Approved") {
    ep = await waitApproved(ctx, azure, ep, deadline, approveLine);
  } else {
    const ended = endedConnectionWarning(ep);
    if (ended) ctx.report.warn(ended.message, ended.hint);
  }
  const dns = p.zone && { ...p.zone, record: p.dns.wanted ? p.dns.wanted.label : null };
  return connectResult(ep, p.target, { fqdn, dns, approveLine, replaced: d.replaced, changed: d.changed });
}

/**
 * The endpoint this run ends with: the one there (once provisioned), or a new one. An endpoint
 * whose last PUT ended Failed is not reused: Azure retries a Failed resource by PUTting it again
 * (learn.microsoft.com/azure/networking/troubleshoot-failed-state), so the re-run of an interrupted
 * or failed connect finishes it instead of reporting it as done.
 */
async function endpointFor(run: Run): Promise<EndpointView> {
  const { ctx, azure, p, deadline, d } = run;
  const current = p.existing && (await settled(ctx, azure, p.at, p.existing, deadline));
  if (current && current.provisioningState.toLowerCase() !== "failed") {
    ctx.progress({ kind: "endpoint-reused", name: p.name, state: current.state });
    if (p.recordTags && (await ensureTagged(azure, current, p.recordTags))) d.changed = true;
    return current;
  }
  const ep = await createNew(run);
  d.changed = true;
  ctx.progress({ kind: "endpoint-created", name: p.name, state: ep.state, privateIp: ep.privateIp });
  return ep;
}

async function createNew({ ctx, azure, p, deadline, d }: Run): Promise<EndpointView> {
  const mode = await chooseMode(azure, p.target, p.subscriptionId, p.location);
  ctx.progress(mode);
  const spec = endpointSpec(
    p.at,
    {
      location: p.location,
      subnetId: p.subnetId,
      target: p.target,
      requestMessage: p.flags.requestMessage,
      tags: p.recordTags,
    },
    mode.manual,
  );
  // Everything checked: the old endpoint goes (its IP with it) right before the new one's PUT.
  const dropOld = async () => {
    if (!p.replacing || d.replaced) return;
    d.replaced = await deleteReplaced(ctx, azure, p.replacing);
    d.changed = true;
  };
  try {
    return await create({ ctx, azure, target: p.target, e: spec, beforePut: dropOld }, deadline);
  } catch (err) {
    throw d.replaced ? notReplaced(err, p.name) : err;
  }
}

/** The A record (a PLS target) or the zone group (a PaaS target); returns the name written, if any. */
async function writeDns(
  ctx: Context,
  azure: Azure,
  p: ConnectPlan,
  ep: EndpointView,
  d: Done,
): Promise<string | null> {
  const { dnsPlan } = p;
  const wanted = p.dns.wanted;
  if (dnsPlan && wanted) {
    if (!ep.privateIp) {
      ctx.report.warn(
        `Private endpoint ${p.name} has no private IP yet; no DNS record was written.`,
        "Re-run the same command.",
      );
      return null;
    }
    d.changed = (await writeRecord(ctx, azure, dnsPlan, wanted.label, ep.privateIp)) || d.changed;
    return fqdnOf(dnsPlan.zone.zone, wanted.label);
  }
  if (dnsPlan && p.target.kind === "paas") {
    d.changed = (await writeZoneGroupFor(ctx, azure, dnsPlan, ep)) || d.changed;
    return p.target.fqdn;
  }
  return null;
}
