/**
 * The line where each object starts in its file, for reports that list every object (drift,
 * whose report carries `line` even for objects in sync). `Manifest.locate([])` answers this by
 * parsing the object's document again into a YAML syntax tree; over 1,000 objects that tree per
 * object was the largest single cost of `kubectl kd drift`. Here the document's lines are
 * scanned instead, which is enough for the common case: a top-level block mapping whose first
 * key is a plain scalar, where the root mapping (locate's answer) starts at that key.
 *
 * Invariant: the answer is always locate's. Anything the scan does not settle — items of a
 * `kind: List`, rendered (kustomize) text, flow, tagged, anchored or quoted roots, content on the
 * `---` line, tabs in the indentation — is handed to `locate([])`.
 */
import { splitDocuments, type DocumentSlice } from '../manifest/index.js';
import type { Manifest, SourceText } from '../model/index.js';

interface FileLines {
  text: string;
  slices: Map<number, DocumentSlice>;
  /** Offsets of line starts (after each `\n`), as TextPositions counts lines. */
  lineStarts: number[];
}

export class ObjectLines {
  /** The user's own texts by path; a path read twice is left out (which text would it be?). */
  readonly #texts = new Map<string, string | undefined>();
  readonly #files = new Map<string, FileLines>();

  constructor(sources: readonly SourceText[]) {
    for (const s of sources) {
      if (s.rendered) continue;
      this.#texts.set(s.path, this.#texts.has(s.path) ? undefined : s.text);
    }
  }

  /** 1-based line of the object's root, exactly as `manifest.locate([]).start.line`. */
  lineOf(manifest: Manifest): number {
    const fast = manifest.listIndex === undefined && manifest.origin === undefined ? this.#scan(manifest) : undefined;
    return fast ?? manifest.locate([]).start.line;
  }

  #scan(manifest: Manifest): number | undefined {
    const file = this.#file(manifest.file);
    const slice = file?.slices.get(manifest.documentIndex);
    if (!file || !slice || slice.empty) return undefined;
    const { text } = file;
    let lineStart = slice.start;
    while (lineStart < slice.end) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0 || lineEnd > slice.end) lineEnd = slice.end;
      const at = lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 1 : lineStart;
      if (text.startsWith('%', at)) {
        // A directive.
      } else if (text.startsWith('---', at) && (at + 3 >= lineEnd || /[ \t\r]/.test(text[at + 3]!))) {
        if (!restIsBlank(text, at + 3, lineEnd)) return undefined;
      } else {
        let i = at;
        while (i < lineEnd && text[i] === ' ') i++;
        const c = text[i];
        if (c === '\t') return undefined;
        if (i < lineEnd && c !== '\r' && c !== '#') return /[A-Za-z0-9_]/.test(c ?? '') ? lineNumber(file.lineStarts, i) : undefined;
      }
      lineStart = lineEnd + 1;
    }
    return undefined;
  }

  #file(path: string): FileLines | undefined {
    let f = this.#files.get(path);
    if (f) return f;
    const text = this.#texts.get(path);
    if (text === undefined) return undefined;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    f = { text, slices: new Map(splitDocuments(text).map((s) => [s.index, s])), lineStarts };
    this.#files.set(path, f);
    return f;
  }
}

/** Only white space or a comment from `from` to the end of the line. */
function restIsBlank(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '#') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}

function lineNumber(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
