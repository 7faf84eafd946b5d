/**
 * `npm run soak`: for N minutes, random expose / unexpose / connect / approve / reject / disconnect
 * across 20 Services and 50 partners, through the built plsctl (spawned, as each sandbox identity),
 * a few at a time, with ~10 % of ARM requests faulted and random SIGINT/SIGTERM; every failed or
 * interrupted command is re-run until it succeeds. Then the sandbox's state is compared with the
 * model (model.ts). Exit 1 on any mismatch or any command that never succeeded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareState } from "./compare.js";
import { faultRules, firedByKind } from "./faults.js";
import { Model, type Op } from "./model.js";
import { commandOf, locksOf, nextOp } from "./ops.js";
import { parseOptions, type SoakOptions, UsageError } from "./options.js";
import { emptyReport, renderReport, type SoakReport } from "./report.js";
import { makeRng, type Rng } from "./rng.js";
import { type Interrupt, runPlsctl } from "./runner.js";
import {
  armState,
  createServices,
  type Env,
  getFaults,
  identityEnv,
  putFaults,
  type SoakSandbox,
  serviceAnnotations,
  startSoakSandbox,
  stopSoakSandbox,
} from "./sandbox.js";
import { partners, services, soakWorld } from "./world.js";

/** Share of operations whose first run gets a SIGINT or SIGTERM at a random moment. */
const INTERRUPT_SHARE = 0.15;
/** Runs of one command before the soak calls it stuck. */
const MAX_RUNS = 15;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Soak {
  opts: SoakOptions;
  rng: Rng;
  model: Model;
  envs: Map<string, Env>;
  busy: Set<string>;
  report: SoakReport;
  log: (line: string) => void;
}

async function loadEnvs(sb: SoakSandbox, identities: string[]): Promise<Map<string, Env>> {
  const envs = new Map<string, Env>();
  const queue = [...identities];
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id; id = queue.shift()) envs.set(id, await identityEnv(sb, id));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return envs;
}

/** Runs one op to success (re-running it after a failure or an interrupt), then advances the model. */
async function execute(s: Soak, op: Op): Promise<void> {
  const { report } = s;
  report.operations[op.kind]++;
  const cmd = commandOf(op, s.model);
  const env = s.envs.get(cmd.identity);
  if (!env) throw new Error(`no environment for ${cmd.identity}`);
  const interrupt: Interrupt | undefined = s.rng.chance(INTERRUPT_SHARE)
    ? { signal: s.rng.chance(0.5) ? "SIGINT" : "SIGTERM", afterMs: s.rng.int(100, 4000) }
    : undefined;
  for (let run = 1; ; run++) {
    const res = await runPlsctl(cmd.args, env, run === 1 ? interrupt : undefined);
    report.runs++;
    if (res.interrupted && interrupt) report.interrupts[interrupt.signal]++;
    if (res.code === 0) {
      const alias = op.kind === "expose" ? (JSON.parse(res.stdout) as { alias?: string }).alias : undefined;
      s.model.apply(op, alias);
      return;
    }
    const code = res.hung ? "hung" : (res.code ?? `killed by ${res.signal}`).toString();
    report.failedRuns[code] = (report.failedRuns[code] ?? 0) + 1;
    if (!res.interrupted) s.log(`exit ${code}: plsctl ${cmd.args.join(" ")}\n  ${lastLines(res.stderr)}`);
    if (run >= MAX_RUNS) {
      report.stuck.push(`plsctl ${cmd.args.join(" ")} (as ${cmd.identity}): exit ${code} ${run} times`);
      return;
    }
    report.reruns++;
    await sleep(Math.min(500 * run, 5000));
  }
}

const lastLines = (text: string): string => text.trim().split("\n").slice(-3).join("\n  ");

async function worker(s: Soak, deadline: () => number): Promise<void> {
  while (Date.now() < deadline()) {
    const op = nextOp(s.rng, s.model, s.busy);
    if (!op) {
      await sleep(200);
      continue;
    }
    const locks = locksOf(op);
    for (const l of locks) s.busy.add(l);
    try {
      await execute(s, op);
    } finally {
      for (const l of locks) s.busy.delete(l);
    }
  }
}

export default async function soak(argv: string[]): Promise<number> {
  let opts: SoakOptions;
  try {
    opts = parseOptions(argv, process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message.trim());
    return 2;
  }
  const started = Date.now();
  const log = (line: string): void => {
    const t = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
    process.stderr.write(`[soak ${t}s] ${line}\n`);
  };
  log(`seed ${opts.seed}, ${opts.minutes} min, ${opts.parallel} at a time`);
  const dir = mkdtempSync(join(tmpdir(), "plsctl-soak-"));
  const sb = await startSoakSandbox(join(dir, "sandbox"), soakWorld());
  const report = emptyReport(opts.seed, opts.minutes, opts.parallel);
  let end = 0;
  const stopEarly = (): void => {
    log("stopping: the operations under way finish, then the state is compared");
    end = Date.now();
  };
  process.once("SIGINT", stopEarly);
  try {
    await createServices(sb, services());
    const identities = ["provider", "ci", ...partners().map((p) => p.identity)];
    const envs = await loadEnvs(sb, identities);
    await putFaults(sb, faultRules(identities));
    log(
      `sandbox up in ${sb.stateDir}: ${services().length} Services, ${partners().length} partners; soaking`,
    );
    const s: Soak = {
      opts,
      rng: makeRng(opts.seed),
      model: new Model(services()),
      envs,
      busy: new Set(),
      report,
      log,
    };
    end = Date.now() + opts.minutes * 60_000;
    const progress = setInterval(() => {
      const ops = Object.values(report.operations).reduce((a, b) => a + b, 0);
      log(`${ops} operations, ${report.runs} runs, ${report.reruns} re-runs, ${report.stuck.length} stuck`);
    }, 60_000);
    await Promise.all(Array.from({ length: opts.parallel }, () => worker(s, () => end)));
    clearInterval(progress);
    report.faults = firedByKind(await getFaults(sb));
    await putFaults(sb, []);
    report.mismatches = compareState(s.model, await armState(sb), await serviceAnnotations(sb));
  } finally {
    process.removeListener("SIGINT", stopEarly);
    await stopSoakSandbox(sb);
  }
  report.durationSeconds = Math.round((Date.now() - started) / 1000);
  const failed = report.mismatches.length > 0 || report.stuck.length > 0;
  if (failed) log(`the sandbox's state directory stays for inspection: ${sb.stateDir}`);
  else rmSync(dir, { recursive: true, force: true });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return failed ? 1 : 0;
}
