/**
 * The kd language service: answers diagnostics, completion, hover, code actions and symbols for
 * files it is given as text. It does no I/O and knows nothing of the protocol: the server hands
 * it texts and settings, and schema documents through `SchemaSource`s; it answers in the core's
 * 1-based positions.
 *
 * Incrementality: `update` splits the text into YAML documents and loads only those whose text
 * changed, and `edit` splits only around the editor's changes (see workspace.ts); `diagnostics` re-checks only documents without results for the
 * current check generation, which moves on when settings or the set of CRDs change. Long work
 * takes a `stale()` callback and gives up (returns undefined) as soon as it turns true.
 */
import {
  compareDiagnostics,
  groupVersionPath,
  parseApiVersion,
  type Diagnostic,
  type GroupVersionKind,
  type GroupVersionPath,
  type Manifest,
  type OpenApiDocument,
  type Position,
  type SchemaSource,
} from '../../src/index.js';
import { codeActions } from './code-actions.js';
import { complete } from './completion.js';
import { customKinds, isCrd } from './crds.js';
import type { AnnotationDoc, KdEngine } from './engine.js';
import { hover } from './hover.js';
import { SchemaIndex } from './schema-index.js';
import { documentSymbols, needsSymbols, prepareSymbols, symbolsOf, workspaceSymbols } from './symbols.js';
import type { CodeAction, CompletionEntry, HoverResult, SymbolEntry } from './types.js';
import type { TextChange } from './split-documents.js';
import { placeDiagnostic, placedManifests, segmentLines, Workspace, type FileState, type SegmentResult, type SegmentState, type Update } from './workspace.js';

export interface ServiceSettings {
  /** Unknown fields are errors when strict (the default), warnings otherwise. */
  strict: boolean;
}

export interface ServiceOptions {
  engine: KdEngine;
  /** Where schema documents for completion and hover come from, first one wins. */
  schemaSources: readonly SchemaSource[];
  settings?: ServiceSettings;
  /**
   * Gives the event loop a turn (the server passes `setImmediate`): long checks pause on it every
   * few documents, so requests that arrive meanwhile are answered without waiting for them.
   */
  pause?: () => Promise<void>;
}

/** Documents checked between two pauses: about a millisecond of work on a slow machine. */
const CHECKS_PER_SLICE = 8;
/** Documents whose outline entries are computed between two pauses (tens of microseconds each, or a load). */
const OUTLINES_PER_SLICE = 32;
/** Documents loaded (parsed) between two pauses: about as long as a slice of checks. */
const LOADS_PER_SLICE = 16;

/** What a feature sees of one cursor position. */
export interface CursorView {
  file: FileState;
  segment: SegmentState;
  lines: readonly string[];
  /** 0-based line inside the segment, 0-based column. */
  lineIndex: number;
  column: number;
  gvk?: GroupVersionKind;
  /** Converts a segment-local 0-based (line, column) to a core file position. */
  position(lineIndex: number, column: number): Position;
}

export interface FeatureContext {
  schemas: SchemaIndex;
  annotations: readonly AnnotationDoc[];
  /** Wave numbers used anywhere in the workspace, sorted numerically. */
  waves(): string[];
}

const API_VERSION_LINE = /^(?:apiVersion|"apiVersion")[ \t]*:[ \t]*["']?([^"'\s#]+)/m;
const KIND_LINE = /^(?:kind|"kind")[ \t]*:[ \t]*["']?([^"'\s#]+)/m;

/** apiVersion and kind of a document read from its text, so they are known while it is broken. */
export function documentKind(text: string): GroupVersionKind | undefined {
  const av = API_VERSION_LINE.exec(text)?.[1];
  const kind = KIND_LINE.exec(text)?.[1];
  if (av === undefined || kind === undefined) return undefined;
  return { ...parseApiVersion(av), kind };
}

export class LanguageService {
  readonly workspace: Workspace;
  readonly #engine: KdEngine;
  readonly #sources: readonly SchemaSource[];
  readonly #pause: () => Promise<void>;
  #settings: ServiceSettings;
  #generation = 0;
  #crdSignature = '';
  readonly #docs = new Map<GroupVersionPath, OpenApiDocument>();
  #docsLoading = new Map<GroupVersionPath, Promise<void>>();
  #allSchemas?: Promise<void>;
  #customKinds: ReturnType<typeof customKinds> = [];
  #schemas = new SchemaIndex();
  #schemasDirty = false;

  constructor(options: ServiceOptions) {
    this.#engine = options.engine;
    this.#sources = options.schemaSources;
    this.#settings = options.settings ?? { strict: true };
    this.#pause = options.pause ?? (() => Promise.resolve());
    this.workspace = new Workspace(this.#engine);
  }

  get settings(): ServiceSettings {
    return this.#settings;
  }

  configure(settings: ServiceSettings): void {
    if (settings.strict !== this.#settings.strict) this.#generation++;
    this.#settings = settings;
  }

  /** Sets a file's text (open in the editor, or read from the workspace). */
  update(uri: string, file: string, text: string, open: boolean): void {
    this.#updated(this.workspace.set(uri, file, text, open));
  }

  /**
   * An edit of a file the service knows: `changes` in order, each in offsets of the text before
   * it, giving `text`. Only documents the changes touch are split and loaded again.
   */
  edit(uri: string, file: string, changes: readonly TextChange[], text: string, open: boolean): void {
    this.#updated(this.workspace.edit(uri, file, changes, text, open));
  }

  #updated({ changed, removed }: Update): void {
    // CRDs are looked for only when a document that holds (or held) one changed.
    if (changed.some((s) => mayBeCrd(s.result)) || removed.some(mayBeCrd)) this.#refreshCrds();
  }

  remove(uri: string): void {
    const f = this.workspace.get(uri);
    if (!f) return;
    const hadCrd = f.segments.some((s) => mayBeCrd(s.result));
    this.workspace.delete(uri);
    if (hadCrd) this.#refreshCrds();
  }

  /** Re-registers CRDs when the set of CRD documents (by text) changed. */
  #refreshCrds(): void {
    const crds: Manifest[] = [];
    const texts: string[] = [];
    for (const f of this.workspace.files())
      for (const s of f.segments)
        for (const m of mayBeCrd(s.result) ? s.result.loaded.manifests : [])
          if (isCrd(m)) {
            crds.push(m);
            texts.push(s.result.text);
          }
    const signature = texts.sort().join('\u0000');
    if (signature === this.#crdSignature) return;
    this.#crdSignature = signature;
    this.#engine.setCustomResources(crds);
    this.#customKinds = crds.flatMap(customKinds);
    this.#schemasDirty = true;
    this.#generation++;
  }

  // Schemas for completion and hover -------------------------------------------------------------

  async #loadDocument(gv: GroupVersionPath): Promise<void> {
    if (this.#docs.has(gv)) return;
    let p = this.#docsLoading.get(gv);
    if (!p) {
      p = (async () => {
        for (const source of this.#sources) {
          try {
            const doc = await source.document(gv);
            if (doc) {
              this.#docs.set(gv, doc);
              this.#schemasDirty = true;
              return;
            }
          } catch {
            // A broken source means no completion for that group-version, not a failed request.
          }
        }
      })();
      this.#docsLoading.set(gv, p);
    }
    await p;
  }

  /** Loads the schema documents of these kinds (for completion and hover). */
  async loadSchemas(gvks: readonly GroupVersionKind[]): Promise<void> {
    await Promise.all([...new Set(gvks.map((g) => groupVersionPath(g)))].map((gv) => this.#loadDocument(gv)));
  }

  /**
   * Loads the schemas nearly every workspace uses (the core group and apps) before the first file
   * is opened, so the first diagnostics do not wait for them.
   */
  async warmUp(): Promise<void> {
    const common: GroupVersionKind[] = [
      { group: '', version: 'v1', kind: 'ConfigMap' },
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ];
    await Promise.all([this.#engine.prepare(common), this.loadSchemas(common)]);
  }

  /** Loads every group-version (for apiVersion/kind completion); once, in the background. */
  loadAllSchemas(): Promise<void> {
    this.#allSchemas ??= (async () => {
      const gvs = new Set<GroupVersionPath>();
      for (const s of this.#sources) {
        try {
          for (const gv of await s.groupVersions()) gvs.add(gv);
        } catch {
          // As above: a source that cannot list offers nothing.
        }
      }
      await Promise.all([...gvs].map((gv) => this.#loadDocument(gv)));
    })();
    return this.#allSchemas;
  }

  get schemas(): SchemaIndex {
    if (this.#schemasDirty) {
      const index = SchemaIndex.fromDocuments([...this.#docs.values()]);
      for (const c of this.#customKinds) index.addCustomKind(c.gvk, c.schema, c.namespaced);
      this.#schemas = index;
      this.#schemasDirty = false;
    }
    return this.#schemas;
  }

  // Diagnostics ----------------------------------------------------------------------------------

  /**
   * The diagnostics of one file, as `kubectl kd validate` reports them. Undefined when `stale()`
   * turned true on the way (a newer edit arrived) or the file is unknown.
   */
  async diagnostics(uri: string, stale: () => boolean = () => false): Promise<Diagnostic[] | undefined> {
    const f = this.workspace.get(uri);
    if (!f) return undefined;
    // Documents not loaded yet (a file just opened or read from disk) are loaded in slices first:
    // the kinds and duplicates below need every object of the workspace.
    if (!(await this.#loadAll(() => stale() || this.workspace.get(uri) !== f))) return undefined;
    // CRDs found while waiting for schemas start a new generation: check against that one.
    let generation = -1;
    while (generation !== this.#generation) {
      generation = this.#generation;
      const todo = f.segments.filter((s) => s.result.kubernetes && s.result.checked?.generation !== generation);
      // Every kind of the workspace: duplicates need the scope (namespaced or not) of each object.
      const gvks = this.#workspaceKinds();
      if (gvks.length > 0) {
        await Promise.all([this.#engine.prepare(gvks), this.loadSchemas(gvks)]);
        if (stale() || this.workspace.get(uri) !== f) return undefined;
        if (generation !== this.#generation) continue;
      }
      const options = { strict: this.#settings.strict };
      let sinceLastPause = 0;
      for (const s of todo) {
        if (s.result.checked?.generation === generation) continue;
        if (++sinceLastPause > CHECKS_PER_SLICE) {
          sinceLastPause = 0;
          await this.#pause();
          if (stale() || this.workspace.get(uri) !== f) return undefined;
          // A CRD seen meanwhile: start over against the new generation.
          if (generation !== this.#generation) break;
        }
        const diagnostics: Diagnostic[] = [];
        for (const m of s.result.loaded.manifests) diagnostics.push(...this.#engine.check(m, options));
        s.result.checked = { generation, diagnostics };
        // The outline is asked for after every edit: its entries for this document are computed
        // in this slice, so no outline request computes a whole file's at once.
        prepareSymbols(s);
      }
    }
    // The check across every object of the workspace is a slice of its own.
    await this.#pause();
    // The text may have been replaced while paused: answer only for the file that was checked.
    if (stale() || this.workspace.get(uri) !== f) return undefined;
    // CRDs changed meanwhile: the per-object results are of the previous generation.
    if (generation !== this.#generation) return this.diagnostics(uri, stale);
    const out: Diagnostic[] = [];
    for (const s of f.segments) {
      if (!s.result.kubernetes) continue;
      for (const d of s.result.loaded.diagnostics) out.push(this.#widenAtEnd(f, placeDiagnostic(d, s.segment)));
      for (const d of s.result.checked?.diagnostics ?? []) out.push(placeDiagnostic(d, s.segment));
    }
    if (f.segments.some((s) => s.result.loaded.manifests.length > 0)) {
      for (const d of this.#engine.checkAcross(this.#sharingIdentity(generation))) if (d.file === f.file) out.push(d);
    }
    return out.sort(compareDiagnostics);
  }

  /** Loads every document of the workspace not loaded yet, pausing between slices; false when `stale()` turned true. */
  async #loadAll(stale: () => boolean): Promise<boolean> {
    let sinceLastPause = 0;
    for (const f of [...this.workspace.files()])
      for (const s of f.segments) {
        if (s.result.isLoaded()) continue;
        if (++sinceLastPause > LOADS_PER_SLICE) {
          sinceLastPause = 0;
          await this.#pause();
          if (stale()) return false;
        }
        void s.result.loaded;
      }
    return true;
  }

  /**
   * A syntax error at the very end of a document points at the next token in the file (often the
   * `---` that ends it), which the document's own text does not hold: the loader, given the
   * document alone, returns an empty range there. Extend it as the loader does on a whole file.
   */
  #widenAtEnd(f: FileState, d: Diagnostic): Diagnostic {
    const { start, end } = d.range;
    if (start.line !== end.line || start.column !== end.column) return d;
    const seg = this.workspace.segmentAt(f, start.line);
    const line = seg ? segmentLines(seg.result)[start.line - seg.segment.startLine] : undefined;
    if (line === undefined) return d;
    let e = start.column - 1;
    if (/[,[\]{}]/.test(line[e] ?? '')) e++;
    while (e < line.length && !/[\s,[\]{}]/.test(line[e]!)) e++;
    return e === start.column - 1 ? d : { ...d, range: { start, end: { line: start.line, column: e + 1 } } };
  }

  // Features -------------------------------------------------------------------------------------

  #view(uri: string, position: Position): CursorView | undefined {
    const file = this.workspace.get(uri);
    if (!file) return undefined;
    const segment = this.workspace.segmentAt(file, position.line);
    if (!segment) return undefined;
    const lines = segmentLines(segment.result);
    const lineIndex = position.line - segment.segment.startLine;
    if (lineIndex < 0 || lineIndex >= lines.length) return undefined;
    const start = segment.segment.startLine;
    const view: CursorView = {
      file,
      segment,
      lines,
      lineIndex,
      column: Math.max(0, position.column - 1),
      position: (l, c) => ({ line: start + l, column: c + 1 }),
    };
    const gvk = documentKind(segment.result.text);
    if (gvk) view.gvk = gvk;
    return view;
  }

  #context(): FeatureContext {
    return {
      schemas: this.schemas,
      annotations: this.#engine.annotations(),
      waves: () => this.#waves(),
    };
  }

  #waves(): string[] {
    const keys = new Set(this.#engine.annotations().filter((a) => a.field === 'syncWave').map((a) => a.key));
    const waves = new Set<string>();
    for (const f of this.workspace.files())
      for (const s of f.segments)
        for (const m of s.result.loaded.manifests) {
          const meta = m.object.metadata as { annotations?: unknown } | undefined;
          const annotations = meta?.annotations;
          if (typeof annotations !== 'object' || annotations === null) continue;
          for (const [k, v] of Object.entries(annotations)) if (keys.has(k) && typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) waves.add(String(Number(v.trim())));
        }
    return [...waves].sort((a, b) => Number(a) - Number(b));
  }

  #workspaceKinds(): GroupVersionKind[] {
    const kinds = new Map<string, GroupVersionKind>();
    for (const f of this.workspace.files())
      for (const s of f.segments) {
        const result = s.result;
        if (result.loaded.manifests.length === 0) continue;
        if (!result.kinds) {
          result.kinds = new Map();
          for (const m of result.loaded.manifests) result.kinds.set(`${m.ref.group}/${m.ref.version}/${m.ref.kind}`, m.ref);
        }
        for (const [key, gvk] of result.kinds) kinds.set(key, gvk);
      }
    return [...kinds.values()];
  }

  /**
   * The objects of the workspace (with file positions) whose identity another object shares, in
   * file-path order (workspace.filesInPathOrder) and then file order: the duplicate check over them says exactly what it says over every object
   * (it only ever pairs objects of one identity), and an edit's check does not re-key the whole
   * workspace, since each document's identities are kept per check generation.
   */
  #sharingIdentity(generation: number): Manifest[] {
    const keysOf = (s: SegmentState): ReadonlyArray<string | undefined> => {
      const result = s.result;
      if (result.identities?.generation !== generation) result.identities = { generation, keys: result.loaded.manifests.map((m) => this.#engine.identity(m)) };
      return result.identities.keys;
    };
    const counts = new Map<string, number>();
    const files = this.workspace.filesInPathOrder();
    for (const f of files)
      for (const s of f.segments) {
        if (!s.result.kubernetes) continue;
        for (const k of keysOf(s)) if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    const out: Manifest[] = [];
    for (const f of files)
      for (const s of f.segments) {
        if (!s.result.kubernetes) continue;
        const keys = keysOf(s);
        if (!keys.some((k) => k !== undefined && counts.get(k)! > 1)) continue;
        const placed = placedManifests(s);
        keys.forEach((k, i) => {
          if (k !== undefined && counts.get(k)! > 1) out.push(placed[i]!);
        });
      }
    return out;
  }

  /** Kinds of the documents in a file: their schemas load before completion needs them. */
  kindsIn(uri: string): GroupVersionKind[] {
    const f = this.workspace.get(uri);
    if (!f) return [];
    const out: GroupVersionKind[] = [];
    for (const s of f.segments) {
      if (!s.result.kubernetes) continue;
      const gvk = documentKind(s.result.text);
      if (gvk) out.push(gvk);
    }
    return out;
  }

  /**
   * Loads the schemas completion and hover at `position` may use: the kind there, and every kind
   * (for apiVersion/kind lists). Resolved at once after the first time.
   */
  async ensureSchemasAt(uri: string, position: Position): Promise<void> {
    const f = this.workspace.get(uri);
    const seg = f && this.workspace.segmentAt(f, position.line);
    const gvk = seg && documentKind(seg.result.text);
    await Promise.all([gvk ? this.loadSchemas([gvk]) : undefined, this.loadAllSchemas()]);
  }

  completion(uri: string, position: Position): CompletionEntry[] {
    const view = this.#view(uri, position);
    if (!view || (!view.segment.result.kubernetes && !mayBecomeKubernetes(view.segment.result.text))) return [];
    return complete(view, this.#context());
  }

  hover(uri: string, position: Position): HoverResult | undefined {
    const view = this.#view(uri, position);
    if (!view || !view.segment.result.kubernetes) return undefined;
    return hover(view, this.#context());
  }

  codeActions(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
    const file = this.workspace.get(uri);
    if (!file) return [];
    return codeActions(diagnostics, this.#context(), (line) => {
      const seg = this.workspace.segmentAt(file, line);
      return seg && { lines: segmentLines(seg.result), startLine: seg.segment.startLine, gvk: documentKind(seg.result.text) };
    });
  }

  /**
   * The file's outline as one array per document, each the same array while its document keeps
   * its text and line (the server converts each once). Entries not computed yet are computed in
   * slices that pause between them. Undefined when `cancelled()` turned true on the way.
   */
  async documentSymbolGroups(uri: string, cancelled: () => boolean = () => false): Promise<SymbolEntry[][] | undefined> {
    for (;;) {
      const file = this.workspace.get(uri);
      if (!file) return [];
      const out: SymbolEntry[][] = [];
      let computed = 0;
      let replaced = false;
      for (const s of file.segments) {
        if (needsSymbols(s) && ++computed % OUTLINES_PER_SLICE === 0) {
          await this.#pause();
          if (cancelled()) return undefined;
          // An edit arrived meanwhile: answer for the text as it is now (what is done is kept).
          if (this.workspace.get(uri) !== file) {
            replaced = true;
            break;
          }
        }
        out.push(symbolsOf(file, s));
      }
      if (!replaced) return cancelled() ? undefined : out;
    }
  }

  /** Undefined when `cancelled()` turned true before the answer was complete. */
  documentSymbols(uri: string, cancelled?: () => boolean): SymbolEntry[] | undefined {
    const file = this.workspace.get(uri);
    return file ? documentSymbols(file, cancelled) : [];
  }

  /** Undefined when `cancelled()` turned true before the answer was complete. */
  workspaceSymbols(query: string, cancelled?: () => boolean): SymbolEntry[] | undefined {
    return workspaceSymbols(this.workspace.files(), query, 1000, cancelled);
  }
}

/** Whether a document may hold a CRD: only those are loaded to find out (a text test first). */
function mayBeCrd(r: SegmentResult): boolean {
  return r.kubernetes && r.text.includes('CustomResourceDefinition') && r.loaded.manifests.some(isCrd);
}

/** A document being started (no top-level keys yet, or apiVersion or kind alone) gets completion. */
function mayBecomeKubernetes(text: string): boolean {
  return !/^[A-Za-z"'][^:\n]*:/m.test(text) || /^(apiVersion|kind)[ \t]*:/m.test(text);
}
