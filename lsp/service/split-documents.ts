/**
 * A file's YAML documents with the line and offset each starts at, so that an edit re-parses only
 * the documents whose text changed. The split itself is the core's (`splitDocuments`, the
 * loader's own line scan), so documents, their numbering and their text are exactly what
 * `kubectl kd validate` parses. A file without any document (empty, or only comments) still gets
 * one empty segment, so that completion can start a first object there.
 *
 * `resplitAround` is the incremental form: after one text change it scans only the documents
 * around the change and shifts the others, so the work after a keystroke is proportional to the
 * edit and not to the file. It answers undefined whenever it cannot prove the result equals a
 * whole split, and the caller then splits the whole text.
 */
import { splitDocuments } from '../../src/index.js';

export interface YamlSegment {
  /** 0-based index of the YAML document in its file, as the loader numbers them. */
  index: number;
  /** 1-based line of the segment's first line in the file (its `---` marker, when it has one). */
  startLine: number;
  /** Offsets of the segment in the file text: [start, end). */
  start: number;
  end: number;
  /** The segment's text: loading it alone yields exactly this document. */
  text: string;
}

/** One change of a text: the characters [start, end) of the text before it become `text`. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

const NL = 10;
const DASH = 45;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const BOM = 0xfeff;

function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A copy of a piece of a larger string that does not keep the larger one alive: V8 represents a
 * long `slice` as a view of its parent, so a document kept across edits would otherwise hold on to
 * the whole file text of the version it was cut from.
 */
function detach(piece: string): string {
  return piece.length < 64 ? piece : (' ' + piece).slice(1);
}

/** Whether a `---` document marker line starts at `at` (the core's rule: white space or the end after it). */
function markerAt(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== DASH || text.charCodeAt(at + 1) !== DASH || text.charCodeAt(at + 2) !== DASH) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === SPACE || next === TAB || next === NL || next === CR;
}

/** Segments of `text` from its slices, offsets and lines counted from (`base`, `baseLine`). */
function segmentsOf(text: string, base: number, baseLine: number, baseIndex: number): YamlSegment[] {
  const out: YamlSegment[] = [];
  let line = baseLine;
  let pos = 0;
  for (const s of splitDocuments(text)) {
    line += countNewlines(text, pos, s.start);
    pos = s.start;
    out.push({ index: baseIndex + s.index, startLine: line, start: base + s.start, end: base + s.end, text: detach(text.slice(s.start, s.end)) });
  }
  return out;
}

export function splitYamlDocuments(text: string): YamlSegment[] {
  const out = segmentsOf(text, 0, 1, 0);
  return out.length === 0 ? [{ index: 0, startLine: 1, start: 0, end: text.length, text }] : out;
}

/** The result of re-splitting around one change: `segments[from, to)` were replaced by `inserted`. */
export interface Resplit {
  segments: YamlSegment[];
  from: number;
  to: number;
  inserted: YamlSegment[];
}

/**
 * The segments of `after` (= `before` with `change` applied), from the segments of `before`,
 * scanning only a window around the change.
 *
 * Why a window gives the whole split's answer: the core's scan carries no state across the start
 * of a document (a `---` line that closed the previous one, or the line after `...`), so a scan
 * started there reads on exactly as the whole-file scan does. The window starts at the document
 * before the one holding the change (a change on a `---` line may merge it into that one) and ends
 * at the first later document that starts with a `---` line after the change; the text past the
 * window is unchanged, so the whole scan reaches that line in the same state (and splits the same
 * way after it) exactly when the window's last document ends right there.
 */
export function resplitAround(segments: readonly YamlSegment[], before: string, after: string, change: TextChange): Resplit | undefined {
  const n = segments.length;
  const delta = change.text.length - (change.end - change.start);
  if (change.start < 0 || change.end < change.start || change.end > before.length || before.length + delta !== after.length) return undefined;
  // A single segment may be the stand-in for a file without documents: nothing to save there.
  if (n < 2) return undefined;
  // The last segment starting at or before the change.
  let lo = 0;
  let hi = n - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.start <= change.start) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const from = k >= 1 ? k - 1 : 0;
  const windowStart = k >= 1 ? segments[k - 1]!.start : 0;
  const startLine = k >= 1 ? segments[k - 1]!.startLine : 1;
  let to = k + 1;
  while (to < n && segments[to]!.start <= change.end) to++;
  while (to < n && !markerAt(before, segments[to]!.start)) to++;
  const windowEnd = to < n ? segments[to]!.start + delta : after.length;
  const window = after.slice(windowStart, windowEnd);
  // The core skips a byte-order mark only at the very start of the file.
  if (windowStart > 0 && window.charCodeAt(0) === BOM) return undefined;
  const inserted = segmentsOf(window, windowStart, startLine, from);
  if (to < n && inserted.at(-1)?.end !== windowEnd) return undefined;
  // No document left at all: the whole split's stand-in segment applies.
  if (inserted.length === 0 && from === 0 && to === n) return undefined;
  const indexShift = inserted.length - (to - from);
  const lineShift = countNewlines(change.text) - countNewlines(before, change.start, change.end);
  const out = segments.slice(0, from);
  out.push(...inserted);
  for (let i = to; i < n; i++) {
    const s = segments[i]!;
    out.push(
      delta === 0 && lineShift === 0 && indexShift === 0
        ? s
        : { index: s.index + indexShift, startLine: s.startLine + lineShift, start: s.start + delta, end: s.end + delta, text: s.text },
    );
  }
  return { segments: out, from, to, inserted };
}
