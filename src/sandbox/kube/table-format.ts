/** Column and cell formatting shared by the Table printers (k8s.io/apimachinery duration, label formats). */
import { isDict, list } from "./kinds/types.js";
import type { KObj } from "./resources.js";

export interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description: string;
}

export type Cell = string | number;

export const nameCol: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
};
export const ageCol: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
};

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration */
export interface Printer {
  columns: Column[];
  row: (o: KObj, now: Date) => Cell[];
}

export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function since(ts: unknown, now: Date): string {
  if (typeof ts !== "string" || ts === "") return "<unknown>";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
}

export function formatLabels(m: unknown): string {
  if (!isDict(m) || Object.keys(m).length === 0) return "<none>";
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${String(m[k])}`)
    .join(",");
}

export function formatLabelSelector(sel: unknown): string {
  if (!isDict(sel)) return "<none>";
  const parts: string[] = [];
  const ml = isDict(sel.matchLabels) ? sel.matchLabels : {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${String(ml[k])}`);
  for (const e of list(sel, "matchExpressions")) {
    const values = Array.isArray(e.values) ? e.values.join(",") : "";
    const op = String(e.operator);
    if (op === "In") parts.push(`${e.key} in (${values})`);
    else if (op === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (op === "Exists") parts.push(String(e.key));
    else if (op === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : "<none>";
}
