/**
 * `plsctl sandbox faults add`: the flags turned into one fault rule for the sandbox's ARM emulator
 * or its Kubernetes API emulator (the wire shapes of their `/_sandbox/faults` endpoints). Pure:
 * every mistake is a usage error (exit 2) that names the flag.
 */
import { parseDuration } from "./duration.js";
import { usageError } from "./errors.js";

export const FAULT_APIS = ["arm", "kube"] as const;
export type FaultApi = (typeof FAULT_APIS)[number];
export const ARM_FAULT_KINDS = ["429", "500", "503", "drop", "latency", "lroFailed"] as const;
export const KUBE_FAULT_KINDS = ["closeWatch", "status", "latency", "429", "500", "503"] as const;
export const KUBE_FAULT_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"] as const;

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

/** A rule as the emulators take it (FaultRule / KubeFaultRule): plain JSON. */
export type FaultRuleJson = Record<string, unknown>;

export interface FaultSpec {
  api: FaultApi;
  rule: FaultRuleJson;
}

/** A fault rule in force, as `plsctl sandbox faults list` shows it. */
export interface FaultRow {
  api: FaultApi;
  index: number;
  kind: string;
  match: string;
  /** How often it fired, and at most how often (null: no limit). */
  used: number;
  times: number | null;
  probability: number;
  rule: FaultRuleJson;
}

export interface FaultsResult {
  stateDir: string;
  faults: FaultRow[];
}

const choices = (xs: readonly string[]) => xs.join(", ");

function oneOf<T extends string>(raw: string, allowed: readonly T[], flag: string): T {
  const hit = allowed.find((x) => x.toLowerCase() === raw.trim().toLowerCase());
  if (!hit)
    throw usageError(
      `${flag} ${JSON.stringify(raw)} is not one of ${choices(allowed)}.`,
      `e.g. ${flag} ${allowed[0]}.`,
    );
  return hit;
}

function wholeNumber(raw: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw usageError(
      `${flag} ${JSON.stringify(raw)} is not a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}.`,
      `e.g. ${flag} ${Math.max(min, 1)}.`,
    );
  }
  return n;
}

function probability(raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw usageError(
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
    throw usageError(
      `--path ${JSON.stringify(raw)} is not a regular expression: ${(e as Error).message}.`,
      "e.g. --path 'privateLinkServices/[^/]+$' (JavaScript syntax, case-insensitive, unanchored).",
    );
  }
  return raw;
}

function seconds(raw: string): number {
  const ms = parseDuration(raw, "--retry-after", true);
  if (ms % 1000 !== 0)
    throw usageError(
      `--retry-after ${JSON.stringify(raw)} is not whole seconds (Retry-After is).`,
      "e.g. --retry-after 5s.",
    );
  return ms / 1000;
}

function only(f: FaultFlags, api: FaultApi, flags: Array<[keyof FaultFlags, string]>): void {
  for (const [k, flag] of flags)
    if (f[k] !== undefined)
      throw usageError(
        `${flag} does not apply to --api ${api}.`,
        `Leave ${flag} out, or use --api ${api === "arm" ? "kube" : "arm"}.`,
      );
}

function common(f: FaultFlags, rule: FaultRuleJson): void {
  if (f.times !== undefined) rule.times = wholeNumber(f.times, "--times", 1);
  if (f.probability !== undefined) rule.probability = probability(f.probability);
}

function armRule(f: FaultFlags): FaultRuleJson {
  only(f, "arm", [
    ["verb", "--verb"],
    ["afterEvents", "--after-events"],
  ]);
  if (f.kind === undefined && f.status === undefined)
    throw usageError(
      "Give --kind or --status.",
      `--kind is one of ${choices(ARM_FAULT_KINDS)}; --status any HTTP status 400-599.`,
    );
  if (f.kind !== undefined && f.status !== undefined)
    throw usageError(
      "Give --kind or --status, not both.",
      "--status N answers HTTP N with --message; --kind uses Azure's own error bodies.",
    );
  const rule: FaultRuleJson = {};
  const kind = f.kind !== undefined ? oneOf(f.kind, ARM_FAULT_KINDS, "--kind") : undefined;
  const retry = f.retryAfter !== undefined ? seconds(f.retryAfter) : undefined;
  if (f.latency !== undefined && kind !== "latency")
    throw usageError("--latency goes with --kind latency.", "e.g. --kind latency --latency 2s.");
  if (retry !== undefined && (kind === "drop" || kind === "latency" || kind === "lroFailed"))
    throw usageError(
      `--retry-after does not apply to --kind ${kind}.`,
      "It goes with --kind 429, 503 or --status.",
    );
  if (f.status !== undefined || (f.message !== undefined && (kind === "500" || kind === "503"))) {
    rule.status = f.status !== undefined ? wholeNumber(f.status, "--status", 400, 599) : Number(kind);
    if (f.message !== undefined) rule.message = f.message;
    if (retry !== undefined) rule.retryAfter = retry;
  } else {
    rule.kind = kind;
    if (retry !== undefined) rule.retryAfterSeconds = retry;
    if (f.message !== undefined) rule.errorMessage = f.message;
    if (kind === "latency")
      rule.latencyMs = f.latency !== undefined ? parseDuration(f.latency, "--latency") : 1000;
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

function kubeRule(f: FaultFlags): FaultRuleJson {
  only(f, "kube", [
    ["operation", "--operation"],
    ["identity", "--identity"],
  ]);
  if (f.kind === undefined && f.status === undefined)
    throw usageError(
      "Give --kind (or --status).",
      `With --api kube, --kind is one of ${choices(KUBE_FAULT_KINDS)}.`,
    );
  let kind = f.kind !== undefined ? oneOf(f.kind, KUBE_FAULT_KINDS, "--kind") : "status";
  const rule: FaultRuleJson = {};
  if (/^\d+$/.test(kind)) {
    if (f.status !== undefined)
      throw usageError(
        `Give --kind ${kind} or --status, not both.`,
        "--kind status --status N, or --kind 500.",
      );
    rule.status = Number(kind);
    kind = "status";
  } else if (f.status !== undefined) {
    if (kind !== "status")
      throw usageError(`--status does not go with --kind ${kind}.`, "e.g. --kind status --status 503.");
    rule.status = wholeNumber(f.status, "--status", 400, 599);
  } else if (kind === "status")
    throw usageError("--kind status needs --status N.", "e.g. --kind status --status 503.");
  rule.kind = kind;
  if (f.afterEvents !== undefined) {
    if (kind !== "closeWatch")
      throw usageError(
        "--after-events goes with --kind closeWatch.",
        "e.g. --kind closeWatch --after-events 1.",
      );
    rule.afterEvents = wholeNumber(f.afterEvents, "--after-events", 0);
  }
  if (f.latency !== undefined && kind !== "latency")
    throw usageError("--latency goes with --kind latency.", "e.g. --kind latency --latency 2s.");
  if (kind === "latency")
    rule.latencyMs = f.latency !== undefined ? parseDuration(f.latency, "--latency") : 1000;
  if (f.retryAfter !== undefined) {
    if (kind !== "status")
      throw usageError(
        "--retry-after goes with a status fault.",
        "e.g. --api kube --kind 429 --retry-after 2s.",
      );
    rule.retryAfter = seconds(f.retryAfter);
  }
  if (f.message !== undefined) {
    if (kind !== "status")
      throw usageError(
        "--message goes with a status fault.",
        "e.g. --api kube --kind 503 --message 'etcd is slow'.",
      );
    rule.message = f.message;
  }
  if (f.verb !== undefined) {
    rule.verb = oneOf(f.verb, KUBE_FAULT_VERBS, "--verb");
    if (kind === "closeWatch" && rule.verb !== "watch")
      throw usageError(
        "--kind closeWatch applies to watches only.",
        "Leave --verb out, or pass --verb watch.",
      );
  }
  if (f.method !== undefined) rule.method = f.method.toUpperCase();
  if (f.path !== undefined) rule.path = regex(f.path);
  common(f, rule);
  return rule;
}

export function parseFaultFlags(f: FaultFlags): FaultSpec {
  const api = f.api === undefined ? "arm" : oneOf(f.api, FAULT_APIS, "--api");
  if (f.method !== undefined && !/^[A-Za-z]+$/.test(f.method))
    throw usageError(`--method ${JSON.stringify(f.method)} is not an HTTP method.`, "e.g. --method PUT.");
  return { api, rule: api === "arm" ? armRule(f) : kubeRule(f) };
}

/** One line that says which requests a rule matches. */
export function describeMatch(api: FaultApi, r: FaultRuleJson): string {
  const m = (r.match ?? {}) as FaultRuleJson;
  const parts: string[] = [];
  for (const [label, v] of [
    ["operation", r.operation ?? m.operation],
    ["identity", r.identity ?? m.identity],
    ["verb", api === "kube" ? r.verb : undefined],
    ["method", r.method ?? m.method],
    ["path", api === "kube" ? r.path : (m.pathRegex ?? m.path)],
  ] as const)
    if (typeof v === "string") parts.push(`${label}=${v}`);
  return parts.length ? parts.join(" ") : "every request";
}

/** What a rule does, in a few words. */
export function describeKind(r: FaultRuleJson): string {
  if (r.kind === "closeWatch") return `closeWatch after ${r.afterEvents ?? 0} events`;
  if (r.kind === "latency") return `latency ${r.latencyMs ?? 1000}ms`;
  if (r.status !== undefined) return `status ${r.status}`;
  return String(r.kind);
}
