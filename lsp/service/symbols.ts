/**
 * Symbols: one per Kubernetes object, named `Kind/name`, for the outline (document symbols)
 * and for "go to object" across the workspace (workspace symbols, matched by a case-insensitive
 * subsequence of the query, as editors filter them).
 *
 * The outline of a large file is asked for after every edit, so each document's symbols are
 * computed once per document text (cached on its segment result, positions relative to the
 * document) and only shifted to file lines per request. The `metadata.name` value is found by a
 * line scan of block-style YAML; other shapes (flow style, JSON, anchors, lists) fall back to the
 * loader's `locate`, which parses the document with positions.
 */
import { formatApiVersion, type SourceRange } from '../../src/index.js';
import type { SymbolEntry } from './types.js';
import { shiftRange, type FileState, type SegmentResult, type SegmentState } from './workspace.js';

function within(inner: SourceRange, outer: SourceRange): boolean {
  const before = (a: SourceRange['start'], b: SourceRange['start']) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** A document's symbols with positions relative to the document (its first line is line 1). */
interface LocalSymbol {
  name: string;
  detail: string;
  range: SourceRange;
  selectionRange: SourceRange;
}

const NAME_LINE = /^( +)name:[ \t]+(.*)$/;

/**
 * The range of the value of a top-level `metadata:` block's `name:` key by a line scan, or
 * undefined when the text is not the plain block style this reads (the caller then parses).
 */
function scanMetadataName(lines: readonly string[]): SourceRange | undefined {
  const meta = lines.findIndex((l) => /^metadata:[ \t]*(#.*)?$/.test(l));
  if (meta < 0) return undefined;
  let indent: number | undefined;
  for (let i = meta + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[ \t]*(#.*)?$/.test(line)) continue;
    if (!line.startsWith(' ')) return undefined;
    const own = line.length - line.trimStart().length;
    indent ??= own;
    if (own !== indent) continue;
    const m = NAME_LINE.exec(line);
    if (!m || m[1]!.length !== indent) continue;
    const raw = m[2]!;
    const startCol = line.length - raw.length;
    let len: number;
    if (raw.startsWith('"') || raw.startsWith("'")) {
      const close = raw.indexOf(raw[0]!, 1);
      if (close < 0 || raw.slice(1, close).includes('\\') || raw[close + 1] === raw[0]) return undefined;
      len = close + 1;
    } else {
      if (/^[&*!|>{[%@`]/.test(raw)) return undefined;
      const comment = raw.search(/[ \t]#/);
      len = (comment < 0 ? raw : raw.slice(0, comment)).trimEnd().length;
    }
    if (len === 0) return undefined;
    return { start: { line: i + 1, column: startCol + 1 }, end: { line: i + 1, column: startCol + len + 1 } };
  }
  return undefined;
}

function localSymbols(s: SegmentState): LocalSymbol[] {
  const result = s.result;
  if (result.symbols) return result.symbols;
  // Not kept (segmentLines would keep them): an outline of every document must not hold every line.
  const lines = result.lines ?? result.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let last = lines.length - 1;
  while (last > 0 && lines[last] === '') last--;
  const range: SourceRange = { start: { line: 1, column: 1 }, end: { line: last + 1, column: (lines[last]?.length ?? 0) + 1 } };
  const manifests = result.loaded.manifests;
  result.symbols = manifests.map((m) => {
    const name = m.ref.name || (m.ref.generateName ? `${m.ref.generateName}*` : '<unnamed>');
    const single = manifests.length === 1 && m.listIndex === undefined;
    let selection = single && m.ref.name ? scanMetadataName(lines) : undefined;
    if (selection === undefined) {
      const at = m.locate(m.ref.name ? ['metadata', 'name'] : ['kind'], 'value');
      selection = within(at, range) ? at : { start: range.start, end: range.start };
    }
    return {
      name: `${m.ref.kind}/${name}`,
      detail: m.ref.namespace ? `${formatApiVersion(m.ref)} · ${m.ref.namespace}` : formatApiVersion(m.ref),
      range: m.listIndex === undefined ? range : m.locate([], 'value'),
      selectionRange: selection,
    };
  });
  return result.symbols;
}

const NONE: SymbolEntry[] = [];

/** Placed symbols per document result, reused while the document stays on the same line of the same file. */
const placedSymbols = new WeakMap<SegmentResult, { uri: string; startLine: number; entries: SymbolEntry[] }>();

/** Whether the document's own outline entries are still to be computed (the part that costs). */
export function needsSymbols(s: SegmentState): boolean {
  return s.result.kubernetes && s.result.symbols === undefined;
}

/** Computes the document's outline entries ahead of a request (validation does it in its slices). */
export function prepareSymbols(s: SegmentState): void {
  if (s.result.kubernetes) localSymbols(s);
}

/**
 * The document's symbols placed in its file; the same array while the document keeps its text
 * and its line, so a caller may convert it once.
 */
export function symbolsOf(file: FileState, s: SegmentState): SymbolEntry[] {
  if (!s.result.kubernetes) return NONE;
  const known = placedSymbols.get(s.result);
  if (known && known.uri === file.uri && known.startLine === s.segment.startLine) return known.entries;
  const delta = s.segment.startLine - 1;
  const entries = localSymbols(s).map((l) => ({ name: l.name, detail: l.detail, uri: file.uri, range: shiftRange(l.range, delta), selectionRange: shiftRange(l.selectionRange, delta) }));
  placedSymbols.set(s.result, { uri: file.uri, startLine: s.segment.startLine, entries });
  return entries;
}

/** The file's symbols; undefined when `cancelled()` turned true on the way. */
export function documentSymbols(file: FileState, cancelled: () => boolean = () => false): SymbolEntry[] | undefined {
  const out: SymbolEntry[] = [];
  for (let i = 0; i < file.segments.length; i++) {
    if (i % 256 === 0 && cancelled()) return undefined;
    out.push(...symbolsOf(file, file.segments[i]!));
  }
  return out;
}

function matches(name: string, query: string): boolean {
  if (query === '') return true;
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of query.toLowerCase()) {
    i = n.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export function workspaceSymbols(files: Iterable<FileState>, query: string, limit = 1000, cancelled: () => boolean = () => false): SymbolEntry[] | undefined {
  const out: SymbolEntry[] = [];
  for (const f of files) {
    if (cancelled()) return undefined;
    for (const s of f.segments) {
      for (const sym of symbolsOf(f, s)) {
        if (!matches(sym.name, query)) continue;
        out.push(sym);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
