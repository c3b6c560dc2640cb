/**
 * Source positions. Every position in the core is 1-based (line and column), as the `yaml`
 * library's LineCounter reports them and as `file:line:col` prints them. The LSP layer converts
 * to 0-based in exactly one place (lsp/convert.ts); nothing else in the core knows about 0-based.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like the `yaml` library. */
  column: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** A path inside one object: property names and array indices, outermost first. */
export type JsonPath = ReadonlyArray<string | number>;

/** The range used when nothing better is known: the first character of the file. */
export const FILE_START: SourceRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/** Render a JSON path as a JSON Pointer (RFC 6901), the form used in JSON output and CRD rules. */
export function toJsonPointer(path: JsonPath): string {
  if (path.length === 0) return '';
  return '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Render a JSON path the way the API server names fields in errors: `spec.template.spec.containers[0].name`. */
export function toFieldPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}
