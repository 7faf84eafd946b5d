/**
 * The `-o json` sketch of a declaration (`json` in declare.ts), written field by field against the
 * result type: `jsonShape<StatusResult>("Status", { … })` does not type-check when the result type
 * gains, loses or renames a field, so the reference (docs/commands/) cannot fall behind the
 * document plsctl prints. Nested shapes are sketched the same way and joined below the document's.
 */

/** A field's type as TypeScript-like text, optionally with what it means. */
export type Field = string | readonly [type: string, meaning: string] | Optional;

/** A field that is absent unless it applies (`key?: type`). */
interface Optional {
  optional: readonly [type: string, meaning?: string];
}

export const optional = (type: string, meaning?: string): Optional => ({
  optional: meaning === undefined ? [type] : [type, meaning],
});

/** `interface <name> { field: type; // meaning … }`, one field of `T` per line, none missing or extra. */
export function jsonShape<T extends object>(name: string, fields: { [K in keyof T]-?: Field }): string {
  const lines = Object.entries(fields as Record<string, Field>).map(([key, field]) => {
    const absent = typeof field === "object" && "optional" in field;
    const [type, meaning] = typeof field === "string" ? [field] : absent ? field.optional : field;
    return `  ${key}${absent ? "?" : ""}: ${type};${meaning ? ` // ${meaning}` : ""}`;
  });
  return `interface ${name} {\n${lines.join("\n")}\n}`;
}

/**
 * A union of string literals, `"a" | "b"`, from an object with one key per member: the compiler
 * checks that every member of `T` is there and no other.
 */
export const literals = <T extends string>(members: { [K in T]: true }): string =>
  Object.keys(members)
    .map((m) => JSON.stringify(m))
    .join(" | ");

/** The document's shape first, then the shapes it names. */
export const jsonSketch = (...shapes: string[]): string => shapes.join("\n\n");
