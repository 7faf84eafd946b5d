// The Node.js version plsctl needs, checked by bin/plsctl.js before anything else is loaded.
// Plain syntax on purpose (no ?. or ??, no top-level await): an old Node must be able to parse
// this file to print the message instead of a SyntaxError.
//
// The minimum is the highest `engines.node` among the runtime dependencies: undici 8 (pulled in by
// @kubernetes/client-node 2) needs >=22.19.0; commander 15 needs >=22.12.0. Keep package.json
// `engines` equal to it (a unit test checks).
export const MIN_NODE = "22.19.0";

const parts = (version) =>
  String(version)
    .replace(/^v/, "")
    .split(/[.+-]/)
    .slice(0, 3)
    .map((n) => Number.parseInt(n, 10) || 0);

/** The one-line complaint when `running` is older than `minimum`, else undefined. Pure. */
export function nodeVersionProblem(running, minimum, executable) {
  const have = parts(running);
  const need = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if (have[i] > need[i]) return undefined;
    if (have[i] < need[i]) {
      const where = executable ? ` (${executable})` : "";
      return `plsctl needs Node.js ${minimum} or newer, but this is Node.js ${String(running).replace(/^v/, "")}${where}: install Node.js ${minimum.split(".")[0]} LTS (${minimum}+) and run plsctl with it.`;
    }
  }
  return undefined;
}
