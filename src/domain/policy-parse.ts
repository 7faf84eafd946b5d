/**
 * Reads a policy file's text (YAML or JSON) into a Policy, or fails naming the file, the line and
 * the field of every problem (exit 2, before anything is written). The schema is policy-schema.ts.
 */
import { isMap, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import { DESCRIPTION_TEXT_MAX } from "./audit.js";
import { usageError } from "./errors.js";
import type { Policy, PolicyEntry, RequesterKind } from "./policy.js";
import { GUID_PATTERN } from "./policy-schema.js";
import { REQUESTER_KINDS, REQUIRED_BY_KIND } from "./requester-kinds.js";

const GUID = new RegExp(GUID_PATTERN);
const ENTRY_FIELDS = ["name", "kind", "subscriptions", "factories", "message", "services", "description"];

type At = (node: unknown, field: string, message: string) => void;

/** The entry's requester kind (`partner` when absent), or undefined after reporting a bad one. */
function kindOf(
  item: { get(k: string, keep: true): unknown },
  where: string,
  at: At,
): RequesterKind | undefined {
  const node = item.get("kind", true) as Node | undefined;
  if (node === undefined) return "partner";
  const v = (node as { value?: unknown }).value;
  if (typeof v === "string" && (REQUESTER_KINDS as readonly string[]).includes(v)) return v as RequesterKind;
  at(
    node,
    `${where}.kind`,
    `unknown requester kind ${JSON.stringify(v)} (known: ${REQUESTER_KINDS.join(", ")})`,
  );
  return undefined;
}

type Item = YAMLMap<unknown, unknown>;

/** Readers of an entry's string and string-list fields, reporting what is wrong through `at`. */
function fieldReaders(item: Item, where: string, at: At) {
  const str = (k: string, required: boolean): string | undefined => {
    const node = item.get(k, true) as Node | undefined;
    const v = (node as { value?: unknown } | undefined)?.value;
    if (node === undefined) {
      if (required) at(item, `${where}.${k}`, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      at(node, `${where}.${k}`, "must be a non-empty string");
      return undefined;
    }
    return v;
  };
  const strList = (k: string, required: boolean): string[] | undefined => {
    const node = item.get(k, true) as Node | undefined;
    if (node === undefined) {
      if (required) at(item, `${where}.${k}`, "is required");
      return undefined;
    }
    if (!isSeq(node) || node.items.length === 0) {
      at(node, `${where}.${k}`, "must be a non-empty list");
      return undefined;
    }
    const out: string[] = [];
    node.items.forEach((x, j) => {
      const v = (x as { value?: unknown }).value;
      if (typeof v !== "string" || v.trim() === "")
        at(x, `${where}.${k}[${j}]`, "must be a non-empty string");
      else out.push(v.trim());
    });
    return out;
  };
  return { str, strList };
}

/** Fields the entry does not know. */
function unknownFields(item: Item, where: string, at: At): void {
  for (const pair of item.items) {
    const k = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!ENTRY_FIELDS.includes(k))
      at(pair.key, `${where}.${k}`, `unknown field (known: ${ENTRY_FIELDS.join(", ")})`);
  }
}

/** The fields the kind requires (subscriptions is checked with its list), and factories' kind. */
function kindFields(item: Item, where: string, kind: RequesterKind | undefined, at: At): void {
  if (kind !== undefined)
    for (const f of REQUIRED_BY_KIND[kind])
      if (item.get(f, true) === undefined && f !== "subscriptions")
        at(item, `${where}.${f}`, `is required for kind ${kind}`);
}

function checkGuids(item: Item, where: string, subscriptions: string[] | undefined, at: At): void {
  subscriptions?.forEach((s, j) => {
    if (!GUID.test(s))
      at(
        (item.get("subscriptions", true) as unknown as { items: Node[] }).items[j],
        `${where}.subscriptions[${j}]`,
        `${s} is not a subscription id (a GUID)`,
      );
  });
}

function messageRegex(item: Item, where: string, message: string | undefined, at: At): RegExp | undefined {
  if (message === undefined) return undefined;
  try {
    return new RegExp(message);
  } catch (e) {
    at(
      item.get("message", true),
      `${where}.message`,
      `not a valid regular expression: ${(e as Error).message}`,
    );
    return undefined;
  }
}

function checkDescription(item: Item, where: string, description: string | undefined, at: At): void {
  if (description !== undefined && description.length > DESCRIPTION_TEXT_MAX)
    at(
      item.get("description", true),
      `${where}.description`,
      `${description.length} characters; at most ${DESCRIPTION_TEXT_MAX} fit beside the audit marker in Azure's description`,
    );
}

/** One entry of `partners`, or undefined after reporting what is wrong with it. */
function parseEntry(item: Item, where: string, at: At): PolicyEntry | undefined {
  unknownFields(item, where, at);
  const { str, strList } = fieldReaders(item, where, at);
  const name = str("name", true);
  const kind = kindOf(item, where, at);
  const needs = (f: string) => kind !== undefined && REQUIRED_BY_KIND[kind].includes(f);
  kindFields(item, where, kind, at);
  const subscriptions = strList("subscriptions", needs("subscriptions"));
  const factories = strList("factories", false);
  if (factories && kind !== "datafactory")
    at(item.get("factories", true), `${where}.factories`, "goes with kind datafactory");
  checkGuids(item, where, subscriptions, at);
  const regex = messageRegex(item, where, str("message", false), at);
  const services = strList("services", false);
  const description = str("description", false);
  checkDescription(item, where, description, at);
  if (!name || !kind || (!subscriptions && needs("subscriptions"))) return undefined;
  return {
    name,
    ...(kind !== "partner" ? { kind } : {}),
    subscriptions: (subscriptions ?? []).map((s) => s.toLowerCase()),
    ...(factories ? { factories } : {}),
    ...(regex ? { message: regex } : {}),
    ...(services ? { services } : {}),
    ...(description ? { description } : {}),
  };
}

/** The file's root: a mapping with one field, `partners`, a list of entries. */
function parseRoot(root: unknown, at: At): PolicyEntry[] {
  const partners: PolicyEntry[] = [];
  if (!isMap(root)) {
    at(root, "(file)", "must be a mapping with a `partners` list");
    return partners;
  }
  for (const pair of root.items) {
    const k = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (k !== "partners") at(pair.key, k, "unknown field (the file has one: partners)");
  }
  const list = root.get("partners", true);
  if (!isSeq(list)) {
    at(list ?? root, "partners", "must be a list of partner entries");
    return partners;
  }
  list.items.forEach((item, i) => {
    const where = `partners[${i}]`;
    if (!isMap(item)) {
      at(item, where, "must be a mapping (name, subscriptions, …)");
      return;
    }
    const entry = parseEntry(item, where, at);
    if (entry) partners.push(entry);
  });
  return partners;
}

export function parsePolicy(file: string, text: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (node: unknown, field: string, message: string) => {
    const range = (node as Node | undefined)?.range;
    const line = range ? lines.linePos(range[0]).line : 1;
    problems.push(`${file}:${line}: ${field}: ${message}`);
  };
  for (const e of doc.errors) {
    const line = e.linePos?.[0]?.line ?? 1;
    problems.push(`${file}:${line}: ${e.message.split("\n")[0]}`);
  }
  const partners = problems.length === 0 ? parseRoot(doc.contents, at) : [];
  if (problems.length > 0) {
    throw usageError(
      `Policy file ${file} is not valid:\n  ${problems.join("\n  ")}`,
      "Fix the file (its JSON Schema: plsctl policy schema); nothing was written.",
    );
  }
  return { file, partners };
}
