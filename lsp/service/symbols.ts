/**
 * Symbols: one per Kubernetes object, named `Kind/name`, for the outline (document symbols)
 * and for "go to object" across the workspace (workspace symbols, matched by a case-insensitive
 * subsequence of the query, as editors filter them).
 */
import { formatApiVersion, type SourceRange } from '../../src/index.js';
import type { SymbolEntry } from './types.js';
import { placedManifests, segmentLines, type FileState, type SegmentState } from './workspace.js';

function segmentRange(s: SegmentState): SourceRange {
  const lines = segmentLines(s.result);
  let last = lines.length - 1;
  while (last > 0 && lines[last] === '') last--;
  return {
    start: { line: s.segment.startLine, column: 1 },
    end: { line: s.segment.startLine + last, column: (lines[last]?.length ?? 0) + 1 },
  };
}

function within(inner: SourceRange, outer: SourceRange): boolean {
  const before = (a: SourceRange['start'], b: SourceRange['start']) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function symbolsOf(file: FileState, s: SegmentState, precise: boolean): SymbolEntry[] {
  if (!s.result.kubernetes) return [];
  const range = segmentRange(s);
  return placedManifests(s).map((m) => {
    const name = m.ref.name || (m.ref.generateName ? `${m.ref.generateName}*` : '<unnamed>');
    let selection: SourceRange = { start: range.start, end: range.start };
    if (precise) {
      const at = m.locate(m.ref.name ? ['metadata', 'name'] : ['kind'], 'value');
      if (within(at, range)) selection = at;
    }
    return {
      name: `${m.ref.kind}/${name}`,
      detail: m.ref.namespace ? `${formatApiVersion(m.ref)} · ${m.ref.namespace}` : formatApiVersion(m.ref),
      uri: file.uri,
      range: m.listIndex === undefined ? range : m.locate([], 'value'),
      selectionRange: selection,
    };
  });
}

export function documentSymbols(file: FileState): SymbolEntry[] {
  return file.segments.flatMap((s) => symbolsOf(file, s, true));
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

export function workspaceSymbols(files: Iterable<FileState>, query: string, limit = 1000): SymbolEntry[] {
  const out: SymbolEntry[] = [];
  for (const f of files) {
    for (const s of f.segments) {
      for (const sym of symbolsOf(f, s, false)) {
        if (!matches(sym.name, query)) continue;
        out.push(sym);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
