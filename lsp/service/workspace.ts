/**
 * The files the service knows (open documents and workspace files on disk), each split into YAML
 * documents whose load results are cached by their text: after an edit, only documents whose
 * text changed are loaded again (on first use); the others keep their manifests and diagnostics, whose positions
 * are relative to the document and shifted to file lines when asked for. An edit given as text
 * changes (`edit`) re-splits only the documents around each change (split-documents.ts), so the
 * work after a keystroke is proportional to the edit, not to the file. Documents that do not
 * look like Kubernetes objects (no top-level apiVersion and kind) are never loaded.
 */
import { looksLikeKubernetes, type Diagnostic, type GroupVersionKind, type Manifest, type SourceRange } from '../../src/index.js';
import type { KdEngine, LoadedDocument } from './engine.js';
import { resplitAround, splitYamlDocuments, type TextChange, type YamlSegment } from './split-documents.js';

export interface SegmentResult {
  text: string;
  kubernetes: boolean;
  /** The document loaded (parsed), on first use: see `isLoaded`. */
  readonly loaded: LoadedDocument;
  /** Whether `loaded` is known yet; long work loads documents in slices before using them. */
  isLoaded(): boolean;
  /** Per-object rule results, positions relative to the segment, for one check generation. */
  checked?: { generation: number; diagnostics: Diagnostic[] };
  lines?: string[];
  /** Its outline entries, positions relative to the segment (symbols.ts). */
  symbols?: Array<{ name: string; detail: string; range: SourceRange; selectionRange: SourceRange }>;
  /** Its objects' identities for the cross-file check (engine.identity), for one check generation. */
  identities?: { generation: number; keys: Array<string | undefined> };
  /** The kinds of its objects, keyed `group/version/kind`. */
  kinds?: Map<string, GroupVersionKind>;
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

/** What a change of a file's text did: documents to load again, and results no longer used. */
export interface Update {
  file: FileState;
  changed: SegmentState[];
  removed: SegmentResult[];
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

  /**
   * Sets a file's text; returns the segments whose text changed (and so were loaded again) and
   * the results no segment uses any more.
   */
  set(uri: string, file: string, text: string, open: boolean): Update {
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
      const result = cached(segment.text);
      const state = { segment, result: result ?? this.#load(file, segment.text) };
      if (result === undefined) changed.push(state);
      segments.push(state);
    }
    const kept = new Set(segments.map((s) => s.result));
    const removed = (previous?.segments ?? []).map((s) => s.result).filter((r) => !kept.has(r));
    const state: FileState = { uri, file, text, open, segments };
    this.#files.set(uri, state);
    return { file: state, changed, removed };
  }

  /**
   * Applies an editor's changes (in order, each in offsets of the text before it) to a known
   * file whose new text is `text`: documents away from the changes keep their state and are only
   * moved. Falls back to `set` when the file is not known under that name or a change cannot be
   * placed; the answer is the same either way.
   */
  edit(uri: string, file: string, changes: readonly TextChange[], text: string, open: boolean): Update {
    const previous = this.#files.get(uri);
    if (!previous || previous.file !== file || changes.length === 0) return this.set(uri, file, text, open);
    let current = previous.text;
    let states = previous.segments;
    const changed: SegmentState[] = [];
    const removed: SegmentResult[] = [];
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      const after = i === changes.length - 1 ? text : current.slice(0, change.start) + change.text + current.slice(change.end);
      const split = resplitAround(
        states.map((s) => s.segment),
        current,
        after,
        change,
      );
      if (!split) return this.set(uri, file, text, open);
      // Documents of the window whose text is unchanged keep their results (an edit of one
      // document re-splits its neighbours too).
      const reusable = new Map<string, SegmentResult>();
      for (let j = split.from; j < split.to; j++) reusable.set(states[j]!.result.text, states[j]!.result);
      const next: SegmentState[] = states.slice(0, split.from);
      for (const segment of split.inserted) {
        const known = reusable.get(segment.text);
        if (known) {
          reusable.delete(segment.text);
          next.push({ segment, result: known });
        } else {
          const state = { segment, result: this.#load(file, segment.text) };
          changed.push(state);
          next.push(state);
        }
      }
      removed.push(...reusable.values());
      for (let j = split.to, at = split.from + split.inserted.length; j < states.length; j++, at++) {
        const segment = split.segments[at]!;
        const s = states[j]!;
        next.push(segment === s.segment ? s : { segment, result: s.result });
      }
      states = next;
      current = after;
    }
    const state: FileState = { uri, file, text, open, segments: states };
    this.#files.set(uri, state);
    return { file: state, changed, removed };
  }

  /**
   * A document's result, loaded when first used rather than here: opening a file of thousands of
   * documents only splits it, and validation loads them in slices that let requests through.
   */
  #load(file: string, text: string): SegmentResult {
    const kubernetes = looksLikeKubernetes(text);
    if (!kubernetes) return { text, kubernetes, loaded: EMPTY, isLoaded: () => true };
    const engine = this.#engine;
    let loaded: LoadedDocument | undefined;
    return {
      text,
      kubernetes,
      get loaded() {
        return (loaded ??= engine.load(file, text));
      },
      isLoaded: () => loaded !== undefined,
    };
  }

  delete(uri: string): boolean {
    return this.#files.delete(uri);
  }

  /**
   * The files in file-path order: the order in which `kubectl kd validate` on the workspace
   * folder reads them, so "the first" of two duplicates is the same object in the editor and on
   * the command line.
   */
  filesInPathOrder(): FileState[] {
    return [...this.#files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
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
