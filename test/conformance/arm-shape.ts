/** Shape comparison for the ARM conformance tests: same keys and value types, values may differ. */

/**
 * Problems found when `actual` does not have the shape of `expected`: every key of the example
 * must exist with a value of the same JSON type; arrays that are non-empty in the example must be
 * non-empty, each example element compared with the element at the same index (or the last one).
 */
export function shapeProblems(
  expected: unknown,
  actual: unknown,
  ignore: string[] = [],
  path = "$",
): string[] {
  if (ignore.includes(path)) return [];
  if (expected === null || expected === undefined) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${kind(actual)}`];
    if (expected.length > 0 && actual.length === 0) return [`${path}: expected a non-empty array`];
    return expected.flatMap((e, i) =>
      shapeProblems(e, actual[Math.min(i, actual.length - 1)], ignore, `${path}[]`),
    );
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${kind(actual)}`];
    }
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => {
      const p = `${path}.${k}`;
      if (ignore.includes(p)) return [];
      if (!(k in a)) return [`${p}: missing`];
      return shapeProblems(v, a[k], ignore, p);
    });
  }
  return typeof expected === typeof actual
    ? []
    : [`${path}: expected ${typeof expected}, got ${kind(actual)}`];
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
