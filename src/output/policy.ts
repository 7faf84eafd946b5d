/** Human rendering of `plsctl policy check`. */
import type { PolicyCheckResult } from "../domain/policy.js";

export function renderPolicyCheck(d: PolicyCheckResult): string {
  const n = d.partners.length;
  return `${d.file} is valid: ${n} partner entr${n === 1 ? "y" : "ies"} (${d.partners.map((e) => e.name).join(", ")}).\n`;
}
