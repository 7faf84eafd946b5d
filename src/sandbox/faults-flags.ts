/**
 * `plsctl sandbox faults add`'s flags turned into one rule of the sandbox's fault wire format
 * (faults-spec.ts). Pure: every mistake is a FaultFlagError that names the flag and says what to
 * do; the caller turns it into its own usage error. Durations are parsed by the caller's parser
 * (the CLI's, so that `--latency 2s` reads as every other duration flag does).
 */
import {
  ARM_FAULT_KINDS,
  FAULT_APIS,
  type FaultApi,
  type FaultRuleJson,
  type FaultSpec,
  KUBE_FAULT_KINDS,
  KUBE_STATUS_SHORTHANDS,
  KUBE_VERBS,
} from "./faults-spec.js";

export interface FaultFlags {
  api?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
  operation?: string | undefined;
  identity?: string | undefined;
  path?: string | undefined;
  method?: string | undefined;
  verb?: string | undefined;
  times?: string | undefined;
  probability?: string | undefined;
  retryAfter?: string | undefined;
  latency?: string | undefined;
  afterEvents?: string | undefined;
  message?: string | undefined;
}

/** A flag mistake: what is wrong (message) and what to do (hint). */
export class FaultFlagError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "FaultFlagError";
  }
}

/** Milliseconds of a duration flag; throws the caller's own error when it is not one. */
export type ParseDuration = (raw: string, flag: string, allowZero?: boolean) => number;

/** What `--kind` takes with `--api kube`: the wire kinds and the status shorthands. */
export const KUBE_KIND_FLAGS = [...KUBE_FAULT_KINDS, ...KUBE_STATUS_SHORTHANDS] as const;

const fail = (message: string, hint: string) => new FaultFlagError(message, hint);
const choices = (xs: readonly string[]) => xs.join(", ");

function oneOf<T extends string>(raw: string, allowed: readonly T[], flag: string, example = allowed[0]): T {
  const hit = allowed.find((x) => x.toLowerCase() === raw.trim().toLowerCase());
  if (!hit)
    throw fail(
      `${flag} ${JSON.stringify(raw)} is not one of ${choices(allowed)}.`,
      `e.g. ${flag} ${example}.`,
    );
  return hit;
}

function wholeNumber(raw: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw fail(
      `${flag} ${JSON.stringify(raw)} is not a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}.`,
      `e.g. ${flag} ${Math.max(min, 1)}.`,
    );
  }
  return n;
}

function probability(raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw fail(
      `--probability ${JSON.stringify(raw)} is not a number from 0 to 1.`,
      "e.g. --probability 0.1 (one request in ten).",
    );
  }
  return n;
}

function regex(raw: string): string {
  try {
    new RegExp(raw);
  } catch (e) {
    throw fail(
      `--path ${JSON.stringify(raw)} is not a regular expression: ${(e as Error).message}.`,
      "e.g. --path 'privateLinkServices/[^/]+$' (JavaScript syntax, case-insensitive, unanchored).",
    );
  }
  return raw;
}

function seconds(raw: string, duration: ParseDuration): number {
  const ms = duration(raw, "--retry-after", true);
  if (ms % 1000 !== 0)
    throw fail(
      `--retry-after ${JSON.stringify(raw)} is not whole seconds (Retry-After is).`,
      "e.g. --retry-after 5s.",
    );
  return ms / 1000;
}

function only(f: FaultFlags, api: FaultApi, flags: Array<[keyof FaultFlags, string]>): void {
  for (const [k, flag] of flags)
    if (f[k] !== undefined)
      throw fail(
        `${flag} does not apply to --api ${api}.`,
        `Leave ${flag} out, or use --api ${api === "arm" ? "kube" : "arm"}.`,
      );
}

function common(f: FaultFlags, rule: FaultRuleJson): void {
  if (f.times !== undefined) rule.times = wholeNumber(f.times, "--times", 1);
  if (f.probability !== undefined) rule.probability = probability(f.probability);
}

function latencyOnlyWithItsKind(f: FaultFlags, kind: string | undefined): void {
  if (f.latency !== undefined && kind !== "latency")
    throw fail("--latency goes with --kind latency.", "e.g. --kind latency --latency 2s.");
}

const latencyMs = (f: FaultFlags, duration: ParseDuration): number =>
  f.latency !== undefined ? duration(f.latency, "--latency") : 1000;

function armKind(f: FaultFlags) {
  if (f.kind === undefined && f.status === undefined)
    throw fail(
      "Give --kind or --status.",
      `--kind is one of ${choices(ARM_FAULT_KINDS)}; --status any HTTP status 400-599.`,
    );
  if (f.kind !== undefined && f.status !== undefined)
    throw fail(
      "Give --kind or --status, not both.",
      "--status N answers HTTP N with --message; --kind uses Azure's own error bodies.",
    );
  return f.kind !== undefined ? oneOf(f.kind, ARM_FAULT_KINDS, "--kind", "429") : undefined;
}

function armRule(f: FaultFlags, duration: ParseDuration): FaultRuleJson {
  only(f, "arm", [
    ["verb", "--verb"],
    ["afterEvents", "--after-events"],
  ]);
  const kind = armKind(f);
  const rule: FaultRuleJson = {};
  const retry = f.retryAfter !== undefined ? seconds(f.retryAfter, duration) : undefined;
  latencyOnlyWithItsKind(f, kind);
  if (retry !== undefined && (kind === "drop" || kind === "latency" || kind === "lroFailed"))
    throw fail(
      `--retry-after does not apply to --kind ${kind}.`,
      "It goes with --kind 409, 429, 503 or --status.",
    );
  if (f.status !== undefined || (f.message !== undefined && (kind === "500" || kind === "503"))) {
    rule.status = f.status !== undefined ? wholeNumber(f.status, "--status", 400, 599) : Number(kind);
    if (f.message !== undefined) rule.message = f.message;
    if (retry !== undefined) rule.retryAfter = retry;
  } else {
    rule.kind = kind;
    if (retry !== undefined) rule.retryAfterSeconds = retry;
    if (f.message !== undefined) rule.errorMessage = f.message;
    if (kind === "latency") rule.latencyMs = latencyMs(f, duration);
  }
  if (f.operation !== undefined) rule.operation = f.operation;
  if (f.identity !== undefined) rule.identity = f.identity;
  const match: FaultRuleJson = {};
  if (f.method !== undefined) match.method = f.method.toUpperCase();
  if (f.path !== undefined) match.pathRegex = regex(f.path);
  if (Object.keys(match).length) rule.match = match;
  common(f, rule);
  return rule;
}

/** The kube rule's kind and status (`--kind 503` is `{kind: "status", status: 503}`). */
function kubeKind(f: FaultFlags): { kind: string; status?: number } {
  if (f.kind === undefined && f.status === undefined)
    throw fail(
      "Give --kind (or --status).",
      `With --api kube, --kind is one of ${choices(KUBE_KIND_FLAGS)}.`,
    );
  const kind = f.kind !== undefined ? oneOf(f.kind, KUBE_KIND_FLAGS, "--kind") : "status";
  if (/^\d+$/.test(kind)) {
    if (f.status !== undefined)
      throw fail(`Give --kind ${kind} or --status, not both.`, "--kind status --status N, or --kind 500.");
    return { kind: "status", status: Number(kind) };
  }
  if (f.status !== undefined) {
    if (kind !== "status")
      throw fail(`--status does not go with --kind ${kind}.`, "e.g. --kind status --status 503.");
    return { kind, status: wholeNumber(f.status, "--status", 400, 599) };
  }
  if (kind === "status") throw fail("--kind status needs --status N.", "e.g. --kind status --status 503.");
  return { kind };
}

/** The flags that only go with one kind of kube fault. */
function kubeExtras(f: FaultFlags, kind: string, rule: FaultRuleJson, duration: ParseDuration): void {
  if (f.afterEvents !== undefined) {
    if (kind !== "closeWatch")
      throw fail("--after-events goes with --kind closeWatch.", "e.g. --kind closeWatch --after-events 1.");
    rule.afterEvents = wholeNumber(f.afterEvents, "--after-events", 0);
  }
  latencyOnlyWithItsKind(f, kind);
  if (kind === "latency") rule.latencyMs = latencyMs(f, duration);
  if (f.retryAfter !== undefined) {
    if (kind !== "status")
      throw fail("--retry-after goes with a status fault.", "e.g. --api kube --kind 429 --retry-after 2s.");
    rule.retryAfter = seconds(f.retryAfter, duration);
  }
  if (f.message !== undefined) {
    if (kind !== "status")
      throw fail(
        "--message goes with a status fault.",
        "e.g. --api kube --kind 503 --message 'etcd is slow'.",
      );
    rule.message = f.message;
  }
}

function kubeRule(f: FaultFlags, duration: ParseDuration): FaultRuleJson {
  only(f, "kube", [
    ["operation", "--operation"],
    ["identity", "--identity"],
  ]);
  const { kind, status } = kubeKind(f);
  const rule: FaultRuleJson = status !== undefined ? { status } : {};
  rule.kind = kind;
  kubeExtras(f, kind, rule, duration);
  if (f.verb !== undefined) {
    rule.verb = oneOf(f.verb, KUBE_VERBS, "--verb");
    if (kind === "closeWatch" && rule.verb !== "watch")
      throw fail("--kind closeWatch applies to watches only.", "Leave --verb out, or pass --verb watch.");
  }
  if (f.method !== undefined) rule.method = f.method.toUpperCase();
  if (f.path !== undefined) rule.path = regex(f.path);
  common(f, rule);
  return rule;
}

/** Which API `--api` names (default arm). */
export function faultApiOf(raw: string | undefined): FaultApi {
  return raw === undefined ? "arm" : oneOf(raw, FAULT_APIS, "--api");
}

export function parseFaultFlags(f: FaultFlags, duration: ParseDuration): FaultSpec {
  const api = faultApiOf(f.api);
  if (f.method !== undefined && !/^[A-Za-z]+$/.test(f.method))
    throw fail(`--method ${JSON.stringify(f.method)} is not an HTTP method.`, "e.g. --method PUT.");
  return { api, rule: api === "arm" ? armRule(f, duration) : kubeRule(f, duration) };
}
