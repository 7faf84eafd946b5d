/** What `plsctl sandbox faults` shows: the fault rules in force, one row each. */
import type { FaultsResult } from "../domain/results.js";
import type { Colors } from "./colors.js";
import { renderTable } from "./format.js";

export function renderFaults(r: FaultsResult, c: Colors): string {
  if (r.faults.length === 0) return `No faults injected in the sandbox in ${r.stateDir}.\n`;
  return renderTable(
    ["api", "#", "fault", "matches", "fired", "probability"],
    r.faults.map((f) => [
      f.api,
      String(f.index),
      c.yellow(f.kind),
      f.match,
      f.times === null ? String(f.used) : `${f.used}/${f.times}`,
      String(f.probability),
    ]),
  );
}
