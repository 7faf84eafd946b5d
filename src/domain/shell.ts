/** Words for a POSIX shell: what plsctl prints for users to paste or `eval`. */

/** Always single-quoted (a `'` inside becomes `'\''`). */
export const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** As is when it is one plain word (a path, an id), else single-quoted. */
export const shellArg = (v: string): string => (/^[\w@%+=:,./-]+$/.test(v) ? v : shellQuote(v));
