/**
 * `plsctl migrate <service> --to-context <ctx>`: blue/green of a Service's Private Link exposure
 * to another cluster. The target gets the same Private Link settings through `expose` (its checks
 * before any write), the partners of the source (its inventory and its live connections) put on
 * the new PLS's visibility and auto-approval, and the cut-over per partner. `--finish` unexposes the
 * source once every recorded partner is on the new PLS (`--force` to go anyway). Each step
 * re-runs: expose and unexpose are idempotent, the lists only grow to what is missing.
 */
import type { Context } from "../context.js";
import { summarizeConnection } from "../domain/connections.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import { observeConnections, observeExposure } from "../domain/inventory.js";
import { cutOver, flagsFromAnnotations, type MigrateResult } from "../domain/migrate.js";
import type { PlsView } from "../domain/pls.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import type { Kube } from "../kube/index.js";
import { findService, getService } from "../kube/services.js";
import { runExpose } from "./expose/index.js";
import { readInventory } from "./support/inventory.js";
import { locatePlsGroup, lookupServicePls } from "./support/locate.js";
import { runUnexpose } from "./unexpose.js";

export interface MigrateOptions {
  service: string;
  toContext: string;
  finish: boolean;
  force: boolean;
  timeoutMs: number;
}

/** The target context and cluster: refused (exit 2/3) before anything is written on either side. */
async function target(ctx: Context, src: Kube, o: MigrateOptions, svc: ServiceView) {
  if (o.toContext === src.contextName)
    throw usageError(
      `--to-context ${o.toContext} is the context plsctl already works in.`,
      "Name the kubeconfig context of the other cluster (kubectl config get-contexts); the source is --context or the current one.",
    );
  const tctx = ctx.onKubeContext(o.toContext);
  const dst = await tctx.kube();
  if (dst.server === src.server)
    throw usageError(
      `Contexts ${src.contextName} and ${o.toContext} reach the same cluster (${src.server}).`,
      "migrate moves an exposure to another cluster: name a context of that cluster with --to-context.",
    );
  const there = await findService(dst, svc.namespace, svc.name).catch((err: unknown) => {
    if (!(err instanceof PlsctlError) || err.exitCode === ExitCode.Auth) throw err;
    throw new PlsctlError(`Context ${o.toContext} reaches no cluster: ${err.message}`, {
      exitCode: ExitCode.Usage,
      code: "TargetUnreachable",
      hint: `Check it with: kubectl --context ${o.toContext} cluster-info`,
    });
  });
  if (!there)
    throw new PlsctlError(`Service ${serviceRef(svc)} does not exist in context ${o.toContext}.`, {
      exitCode: ExitCode.NotFound,
      code: "ServiceNotFound",
      hint: `Deploy it there first (kubectl --context ${o.toContext} apply -f <your manifests>), then re-run migrate.`,
    });
  return { tctx, dst, there };
}

async function servicePls(ctx: Context, kube: Kube, svc: ServiceView): Promise<PlsView | undefined> {
  const { azure, location } = await locatePlsGroup(ctx, kube, svc, {});
  return (await lookupServicePls(azure, location, svc)).pls;
}

const conns = (p: PlsView | undefined) => (p?.connections ?? []).map(summarizeConnection);

export async function runMigrate(ctx: Context, o: MigrateOptions): Promise<MigrateResult> {
  const src = await ctx.kube();
  const svc = await getService(src, src.namespace, o.service);
  const { tctx, dst, there } = await target(ctx, src, o, svc);
  const old = await servicePls(ctx, src, svc);
  const read = await readInventory(src, svc);
  if ("invalid" in read) throw read.invalid;
  const now = new Date(ctx.clock.now()).toISOString();
  const seed = old
    ? observeConnections(
        observeExposure(read.inventory, { id: old.id, alias: old.alias ?? null }, src.contextName, now),
        { id: old.id, alias: old.alias ?? null, autoApproval: old.autoApproval },
        conns(old),
        now,
      )
    : read.inventory;
  const base = {
    service: { namespace: svc.namespace, name: svc.name },
    from: { context: src.contextName, plsId: old?.id ?? null, alias: old?.alias ?? null },
  };
  if (o.finish) return finish(ctx, tctx, dst, there, o, { ...base, old, seed });
  if (!old)
    throw new PlsctlError(
      `Service ${serviceRef(svc)} has no Private Link Service in context ${src.contextName}.`,
      {
        exitCode: ExitCode.NotFound,
        code: "PlsNotFound",
        hint: `Nothing to migrate from there; expose it on the target directly: plsctl expose ${svc.name} -n ${svc.namespace} --context ${o.toContext}`,
      },
    );
  const exposed = await runExpose(tctx, {
    service: svc.name,
    flags: flagsFromAnnotations(svc.annotations),
    wait: true,
    timeoutMs: o.timeoutMs,
    record: true,
    recreatePls: false,
    restorePartners: true,
    inventorySeed: seed,
  });
  const neu = await servicePls(tctx, dst, there);
  const partners = cutOver(seed, old.id, conns(old), conns(neu));
  // A partner already connected to the new PLS (another endpoint, say) needs no message.
  const moved = new Set(partners.filter((p) => p.on === "both" || p.on === "new").map((p) => p.subscription));
  return {
    ...base,
    to: { context: o.toContext, plsId: exposed.id, alias: exposed.alias },
    partners,
    restored: exposed.aliasChanged?.restored ?? [],
    messages: (exposed.aliasChanged?.messages ?? []).filter((m) => !moved.has(m.subscription ?? "")),
    finished: false,
  };
}

async function finish(
  ctx: Context,
  tctx: Context,
  dst: Kube,
  there: ServiceView,
  o: MigrateOptions,
  r: Omit<MigrateResult, "to" | "partners" | "restored" | "messages" | "finished"> & {
    old: PlsView | undefined;
    seed: Parameters<typeof cutOver>[0];
  },
): Promise<MigrateResult> {
  const neu = await servicePls(tctx, dst, there);
  if (!neu)
    throw usageError(
      `Service ${serviceRef(there)} has no Private Link Service in context ${o.toContext} yet: nothing to finish.`,
      `Migrate first: plsctl migrate ${there.name} -n ${there.namespace} --to-context ${o.toContext}`,
    );
  const partners = cutOver(r.seed, r.old?.id, conns(r.old), conns(neu));
  const { old, seed: _, ...base } = r;
  const to = { context: o.toContext, plsId: neu.id, alias: neu.alias ?? null };
  const done = { ...base, to, partners, restored: [], messages: [] };
  if (!old) return { ...done, finished: true };
  const behind = partners.filter((p) => p.on === "old" || p.on === "none");
  if (behind.length && !o.force)
    throw new PlsctlError(
      `Not finishing: ${behind.length} partner(s) are not on the new Private Link Service yet: ${behind.map((p) => `${p.subscription} (${p.endpoints.join(", ") || "no endpoint"}, ${p.on === "old" ? "old only" : "on neither"})`).join("; ")}. Nothing was changed.`,
      {
        exitCode: ExitCode.Usage,
        code: "PartnersNotMoved",
        hint: `Send them the lines plsctl migrate printed, and re-run when they are on ${neu.alias ?? neu.name}; or --force to remove the old exposure anyway (they lose access).`,
      },
    );
  await runUnexpose(ctx, { service: there.name, force: true });
  // The old PLS is gone: where each partner is connected now.
  return { ...done, partners: cutOver(r.seed, old.id, [], conns(neu)), finished: true };
}
