/** The problem collector every part of a world file's validation writes to (world-file.ts). */
import { isRec, type Rec } from "./world-file-landing-zone.js";

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Checker {
  /** Every problem found so far, "path: what", in the order found. */
  problems: string[];
  bad(where: string, what: string): void;
  /** The mappings of top-level list `k` (a problem when it is no list, or required and absent). */
  list(k: string, required?: boolean): Rec[];
  /** The non-empty string `o[k]`, matching `re` when given ("" and a problem otherwise). */
  str(o: Rec, k: string, where: string, re?: RegExp, hint?: string): string;
}

export function checker(doc: Rec): Checker {
  const problems: string[] = [];
  const bad = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  const list = (k: string, required = true): Rec[] => {
    const v = doc[k];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) {
      bad(k, "must be a list");
      return [];
    }
    return v.map((x, i) => {
      if (!isRec(x)) bad(`${k}[${i}]`, "must be a mapping");
      return isRec(x) ? x : {};
    });
  };
  const str = (o: Rec, k: string, where: string, re?: RegExp, hint?: string): string => {
    const v = o[k];
    if (typeof v !== "string" || v === "") {
      bad(`${where}.${k}`, "is required (a non-empty string)");
      return "";
    }
    if (re && !re.test(v)) bad(`${where}.${k}`, `"${v}" is not ${hint ?? "valid"}`);
    return v;
  };
  return { problems, bad, list, str };
}
