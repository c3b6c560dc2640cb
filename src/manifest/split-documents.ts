/**
 * Splits a YAML stream into its documents by scanning lines, before any parsing, so that each
 * document is parsed (and can fail) on its own: a broken document never hides the next one.
 *
 * This is exact for YAML, not a heuristic: a line that starts with `---` or `...` followed by
 * white space or the end of the line is a document marker wherever it appears (the spec forbids
 * such lines inside scalars, c-forbidden). Documents are numbered as the `yaml` library numbers
 * them: text before the first `---` (or after a `...`) is a document only if it holds more than
 * comments, blank lines and directives; directives stay with the document they precede.
 */

export interface DocumentSlice {
  /** 0-based index of the document in its file. */
  index: number;
  /** Offset of the first character of the slice in the file text (always a line start). */
  start: number;
  /** Offset one past the last character of the slice. */
  end: number;
  /** The slice holds nothing but comments, blank lines, markers and directives. */
  empty: boolean;
}

const DASH = 45; // -
const DOT = 46; // .
const HASH = 35; // #
const PERCENT = 37; // %
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;

function isMarker(text: string, at: number, char: number): boolean {
  if (text.charCodeAt(at) !== char || text.charCodeAt(at + 1) !== char || text.charCodeAt(at + 2) !== char) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === SPACE || next === TAB || next === NL || next === CR;
}

/** Whether the line holds something other than white space, a comment or a directive. */
function lineHasContent(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === PERCENT) return false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR || c === BOM) {
      i++;
      continue;
    }
    return c !== HASH;
  }
  return false;
}

/** Whether text after a `---` marker on the same line is content (`--- {a: 1}`, `--- !tag`). */
function markerLineHasContent(text: string, start: number, end: number): boolean {
  return lineHasContent(text, start + 3, end);
}

export function splitDocuments(text: string): DocumentSlice[] {
  const slices: DocumentSlice[] = [];
  let sliceStart = 0;
  // An explicit document (opened by `---`) counts even when empty, as in the `yaml` library.
  let explicit = false;
  let hasContent = false;
  const close = (end: number) => {
    if (explicit || hasContent) slices.push({ index: slices.length, start: sliceStart, end, empty: !hasContent });
  };
  let lineStart = 0;
  const length = text.length;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    const next = lineEnd < 0 ? length : lineEnd + 1;
    if (lineEnd < 0) lineEnd = length;
    const at = lineStart === 0 && text.charCodeAt(0) === BOM ? 1 : lineStart;
    if (isMarker(text, at, DASH)) {
      if (explicit || hasContent) {
        close(lineStart);
        sliceStart = lineStart;
      }
      // Otherwise the comments and directives seen so far belong to this document.
      explicit = true;
      hasContent = markerLineHasContent(text, at, lineEnd);
    } else if (isMarker(text, at, DOT)) {
      close(next);
      sliceStart = next;
      explicit = false;
      hasContent = false;
    } else if (!hasContent && lineHasContent(text, at, lineEnd)) {
      hasContent = true;
    }
    lineStart = next;
  }
  close(length);
  return slices;
}
