/** Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=). */
import { badRequest } from "./errors.js";
import { fieldValue, type KObj, type ResourceDef } from "./resources.js";

export type LabelRequirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists"; values: [] };

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== "");
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key) || key.length > 316) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${raw}"`);
  }
  return key;
}

function checkValue(v: string, raw: string): string {
  if (!VALUE.test(v) || v.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value: "${v}" in selector "${raw}"`);
  }
  return v;
}

export function parseLabelSelector(raw: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const part of splitTop(raw)) {
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (m) {
      const values = (m[3] ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "")
        .map((v) => checkValue(v, raw));
      reqs.push({ key: checkKey(m[1] ?? "", raw), op: m[2] as "in" | "notin", values });
      continue;
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (m) {
      const op = m[2] === "!=" ? "!=" : "=";
      reqs.push({ key: checkKey(m[1] ?? "", raw), op, values: [checkValue((m[3] ?? "").trim(), raw)] });
      continue;
    }
    m = /^(!?)\s*([^=!\s()]+)$/.exec(part);
    if (m) {
      reqs.push({ key: checkKey(m[2] ?? "", raw), op: m[1] ? "!exists" : "exists", values: [] });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return reqs;
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        return has && v === r.values[0];
      case "!=":
        return !has || v !== r.values[0];
      case "in":
        return has && r.values.includes(v ?? "");
      case "notin":
        return !has || !r.values.includes(v ?? "");
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
    return false;
  });
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export function parseFieldSelector(raw: string, r: ResourceDef): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of raw.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${part}'`);
    const field = (m[1] ?? "").trim();
    const probe: KObj = { metadata: {} };
    if (fieldValue(r, probe, field) === undefined) {
      throw badRequest(`field label not supported: ${field}`);
    }
    reqs.push({ field, op: m[2] === "!=" ? "!=" : "=", value: (m[3] ?? "").trim() });
  }
  return reqs;
}

export function matchFields(reqs: FieldRequirement[], r: ResourceDef, obj: KObj): boolean {
  return reqs.every((q) => {
    const v = fieldValue(r, obj, q.field) ?? "";
    return q.op === "=" ? v === q.value : v !== q.value;
  });
}
