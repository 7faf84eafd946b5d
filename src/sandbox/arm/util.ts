/** Small helpers shared by the emulator: ids, etags, cloning. */
import { randomUUID } from "node:crypto";
import type { Json } from "./types.js";

export const guid = (): string => randomUUID();
export const weakEtag = (): string => `W/"${randomUUID()}"`;
export const key = (id: string): string => id.toLowerCase();
export const clone = <T>(v: T): T => structuredClone(v);

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Json {
  return isObject(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function rgId(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}`;
}

export function providerId(sub: string, rg: string, type: string, name: string): string {
  return `${rgId(sub, rg)}/providers/${type}/${name}`;
}

export interface ParsedId {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. Microsoft.Network/virtualNetworks */
  type: string;
  name: string;
  /** remaining child segments: [childType, childName, ...] */
  children: string[];
}

/** Parses `/subscriptions/s/resourceGroups/rg/providers/NS/type/name[/child/name...]`. */
export function parseId(id: string): ParsedId | undefined {
  const s = id.split("/").filter((x) => x !== "");
  if (s.length < 8) return undefined;
  if (s[0]?.toLowerCase() !== "subscriptions" || s[2]?.toLowerCase() !== "resourcegroups") return undefined;
  if (s[4]?.toLowerCase() !== "providers") return undefined;
  return {
    subscriptionId: s[1] ?? "",
    resourceGroup: s[3] ?? "",
    type: `${s[5]}/${s[6]}`,
    name: s[7] ?? "",
    children: s.slice(8),
  };
}

/** The id of the top-level resource an id (possibly of a child) belongs to. */
export function topLevelId(id: string): string | undefined {
  const p = parseId(id);
  return p ? providerId(p.subscriptionId, p.resourceGroup, p.type, p.name) : undefined;
}

export function listBody(items: unknown[]): Json {
  return { value: items };
}

export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

export const NAME_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
