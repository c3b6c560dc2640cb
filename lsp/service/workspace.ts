/**
 * The files the service knows (open documents and workspace files on disk), each split into YAML
 * documents whose load results are cached by their text: after an edit, only documents whose
 * text changed are loaded again; the others keep their manifests and diagnostics, whose positions
 * are relative to the document and shifted to file lines when asked for. Documents that do not
 * look like Kubernetes objects (no top-level apiVersion and kind) are never loaded.
 */
import { looksLikeKubernetes, type Diagnostic, type Manifest, type SourceRange } from '../../src/index.js';
import type { KdEngine, LoadedDocument } from './engine.js';
import { splitYamlDocuments, type YamlSegment } from './split-documents.js';

export interface SegmentResult {
  text: string;
  kubernetes: boolean;
  loaded: LoadedDocument;
  /** Per-object rule results, positions relative to the segment, for one check generation. */
  checked?: { generation: number; diagnostics: Diagnostic[] };
  lines?: string[];
  /** Its outline entries, positions relative to the segment (symbols.ts). */
  symbols?: Array<{ name: string; detail: string; range: SourceRange; selectionRange: SourceRange }>;
  /** Manifests with file positions, for the segment's current place in the file. */
  placed?: { startLine: number; index: number; manifests: Manifest[] };
}

export interface SegmentState {
  segment: YamlSegment;
  result: SegmentResult;
}

export interface FileState {
  uri: string;
  /** The path diagnostics name (workspace-relative when possible). */
  file: string;
  text: string;
  open: boolean;
  segments: SegmentState[];
}

const EMPTY: LoadedDocument = { manifests: [], diagnostics: [] };
/** The CLI's rule (src/manifest/input-rules.ts): a top-level apiVersion or kind; compose files and CI workflows have neither. */
export { looksLikeKubernetes };

export function segmentLines(result: SegmentResult): string[] {
  result.lines ??= result.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  return result.lines;
}

export function shiftRange(range: SourceRange, lineDelta: number): SourceRange {
  if (lineDelta === 0) return range;
  return {
    start: { line: range.start.line + lineDelta, column: range.start.column },
    end: { line: range.end.line + lineDelta, column: range.end.column },
  };
}

export function placeDiagnostic(d: Diagnostic, segment: YamlSegment): Diagnostic {
  return { ...d, range: shiftRange(d.range, segment.startLine - 1), documentIndex: segment.index };
}

/** The segment's manifests as seen from the file: shifted positions, the file's document index. */
export function placedManifests(state: SegmentState): Manifest[] {
  const { segment, result } = state;
  const placed = result.placed;
  if (placed && placed.startLine === segment.startLine && placed.index === segment.index) return placed.manifests;
  const delta = segment.startLine - 1;
  // Plain copies (the core copies manifests with spread, so no prototype tricks).
  const manifests = result.loaded.manifests.map(
    (m): Manifest => ({ ...m, documentIndex: segment.index, locate: (path, target) => shiftRange(m.locate(path, target), delta) }),
  );
  result.placed = { startLine: segment.startLine, index: segment.index, manifests };
  return manifests;
}

export class Workspace {
  readonly #files = new Map<string, FileState>();
  readonly #engine: KdEngine;

  constructor(engine: KdEngine) {
    this.#engine = engine;
  }

  get(uri: string): FileState | undefined {
    return this.#files.get(uri);
  }

  files(): IterableIterator<FileState> {
    return this.#files.values();
  }

  /** Sets a file's text; returns the segments whose text changed (and so were loaded again). */
  set(uri: string, file: string, text: string, open: boolean): { file: FileState; changed: SegmentState[] } {
    const previous = this.#files.get(uri);
    const before = previous && previous.file === file ? previous.segments : [];
    // An edit changes one document in place: compare with the document at the same place first,
    // and index every earlier document by its text only when documents were added or removed.
    let next = 0;
    let byText: Map<string, number> | undefined;
    const cached = (t: string): SegmentResult | undefined => {
      const aligned = before[next];
      if (aligned?.result.text === t) {
        next++;
        return aligned.result;
      }
      if (!byText) {
        byText = new Map();
        for (let i = before.length - 1; i >= 0; i--) byText.set(before[i]!.result.text, i);
      }
      const at = byText.get(t);
      next = at === undefined ? next + 1 : at + 1;
      return at === undefined ? undefined : before[at]!.result;
    };
    const changed: SegmentState[] = [];
    const segments: SegmentState[] = [];
    for (const segment of splitYamlDocuments(text)) {
      let result = cached(segment.text);
      if (result === undefined) {
        const kubernetes = looksLikeKubernetes(segment.text);
        result = { text: segment.text, kubernetes, loaded: kubernetes ? this.#engine.load(file, segment.text) : EMPTY };
        const state = { segment, result };
        changed.push(state);
        segments.push(state);
      } else {
        segments.push({ segment, result });
      }
    }
    const state: FileState = { uri, file, text, open, segments };
    this.#files.set(uri, state);
    return { file: state, changed };
  }

  delete(uri: string): boolean {
    return this.#files.delete(uri);
  }

  /**
   * Every object in the workspace, with file positions, in file-path order: the order in which
   * `kubectl kd validate` on the workspace folder reads them, so "the first" of two duplicates
   * is the same object in the editor and on the command line.
   */
  allManifests(): Manifest[] {
    const out: Manifest[] = [];
    const files = [...this.#files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const f of files) for (const s of f.segments) if (s.result.kubernetes) out.push(...placedManifests(s));
    return out;
  }

  /** The segment holding a 1-based file line (the last one whose start is at or before it). */
  segmentAt(f: FileState, line: number): SegmentState | undefined {
    let lo = 0;
    let hi = f.segments.length - 1;
    let found: SegmentState | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = f.segments[mid]!;
      if (s.segment.startLine <= line) {
        found = s;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
