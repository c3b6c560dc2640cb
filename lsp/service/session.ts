/**
 * The workspace session: which language service is current and what it knows. It owns the
 * settings and their swaps (new schemas mean a new service, given every text the old one had),
 * the workspace scan and the CRD files of `crdPaths`, and what becomes of a file when it is
 * closed or changes on disk. Its I/O comes through `SessionHost`; it knows nothing of the
 * protocol, so the server (lsp/server.ts) only wires requests and notifications to it.
 *
 * `ready` settles once the workspace scan (and any reload of `crdPaths`) has read every file:
 * diagnostics that look across files (an object defined twice) wait for it, so what is published
 * for a document does not depend on whether the scan finished before or after it was opened.
 */
import type { SchemaSource } from '../../src/index.js';
import { CoreEngine } from './core-engine.js';
import { LanguageService } from './language-service.js';
import type { TextChange } from './split-documents.js';
import { DEFAULT_SETTINGS, type KdLspSettings } from './settings.js';

/** File names and URIs on the host's file system (lsp/file-names.ts on Node). */
export interface FileNames {
  /** The path of a `file:` URI; undefined for other schemes. */
  toPath(uri: string): string | undefined;
  toUri(file: string): string;
  /** `file` relative to `folder` with `/` separators, or undefined when it is not inside it. */
  relative(folder: string, file: string): string | undefined;
  /** `file` resolved against `base` (the working directory when there is none). */
  resolve(base: string | undefined, file: string): string;
}

/** The file-system side the session needs, passed in so that tests control it (and its timing). */
export interface SessionHost {
  /** Schema sources for the settings: a schema directory, or else the built-in bundle. */
  schemaSources(settings: KdLspSettings): SchemaSource[];
  /** Namespace of objects that set none, as the CLI defaults it (the kubeconfig context's). */
  defaultNamespace?(settings: KdLspSettings): string;
  /** A file's text; undefined when it cannot be read (deleted, too large, binary). */
  readFile(file: string): Promise<string | undefined>;
  /** The manifest files under a folder, or the file itself (kd's rule of which files are manifests). */
  listManifestFiles(fileOrDir: string): Promise<string[]>;
  /** Whether the file is part of a Helm chart (a folder above it holds Chart.yaml): not a manifest until rendered, as for the CLI. */
  inHelmChart?(file: string): boolean;
  /** Where problems go that are not about a document (an unreadable schema dir). */
  log?(message: string): void;
}

export interface FileChange {
  uri: string;
  deleted: boolean;
}

export class WorkspaceSession {
  readonly #host: SessionHost;
  /** Whether the editor has the document open: its text then comes from the editor, not the disk. */
  readonly #isOpen: (uri: string) => boolean;
  readonly #pause: () => Promise<void>;
  readonly #names: FileNames;
  #roots: string[] = [];
  #initSettings: KdLspSettings = DEFAULT_SETTINGS;
  #settings: KdLspSettings = DEFAULT_SETTINGS;
  /** Files from crdPaths, kept apart so that a settings change can drop them. */
  #crdFiles = new Set<string>();
  #service: LanguageService;
  #ready: Promise<void>;
  #scanStarted = false;
  #markScanned!: () => void;

  constructor(host: SessionHost, names: FileNames, isOpen: (uri: string) => boolean, pause: () => Promise<void>) {
    this.#host = host;
    this.#names = names;
    this.#isOpen = isOpen;
    this.#pause = pause;
    // Until initialization: a service without schemas.
    this.#service = new LanguageService({ engine: new CoreEngine({ schemaSources: [] }), schemaSources: [], pause });
    this.#ready = new Promise((resolve) => (this.#markScanned = resolve));
  }

  get service(): LanguageService {
    return this.#service;
  }

  get settings(): KdLspSettings {
    return this.#settings;
  }

  get initSettings(): KdLspSettings {
    return this.#initSettings;
  }

  /** Settles when every file of the workspace and of `crdPaths` has been read (the latest scan). */
  async ready(): Promise<void> {
    for (let p = this.#ready; ; p = this.#ready) {
      await p;
      if (p === this.#ready) return;
    }
  }

  initialize(roots: string[], settings: KdLspSettings): void {
    this.#roots = roots;
    this.#initSettings = settings;
    this.#settings = settings;
    this.#service = this.#createService(settings);
  }

  #createService(s: KdLspSettings): LanguageService {
    const schemaSources = this.#safeSources(s);
    let defaultNamespace = 'default';
    try {
      defaultNamespace = this.#host.defaultNamespace?.(s) ?? 'default';
    } catch {
      // An unreadable kubeconfig only means the `default` namespace, as in the CLI.
    }
    return new LanguageService({ engine: new CoreEngine({ schemaSources, defaultNamespace }), schemaSources, settings: { strict: s.strict }, pause: this.#pause });
  }

  #safeSources(s: KdLspSettings): SchemaSource[] {
    try {
      return this.#host.schemaSources(s);
    } catch (error) {
      this.#host.log?.(`kd-lsp: no schemas: ${(error as Error).message}`);
      return [];
    }
  }

  /** The path diagnostics name: relative to the workspace folder holding it, like the CLI run there. */
  displayPath(uri: string): string {
    const p = this.#names.toPath(uri);
    if (p === undefined) return uri;
    for (const root of this.#roots) {
      const rel = this.#names.relative(root, p);
      if (rel !== undefined && rel !== '') return rel;
    }
    return p;
  }

  #isInWorkspace(uri: string): boolean {
    const p = this.#names.toPath(uri);
    return p !== undefined && this.#roots.some((r) => this.#names.relative(r, p) !== undefined);
  }

  /** An open document's text, as the editor has it. */
  opened(uri: string, text: string): void {
    this.#service.update(uri, this.displayPath(uri), text, true);
  }

  /** An open document edited: the editor's changes (offsets in the text before each) and the text after them. */
  edited(uri: string, changes: readonly TextChange[], text: string): void {
    this.#service.edit(uri, this.displayPath(uri), changes, text, true);
  }

  async #addFromDisk(file: string): Promise<void> {
    const uri = this.#names.toUri(file);
    if (this.#isOpen(uri)) return;
    const text = await this.#host.readFile(file);
    if (text === undefined || this.#isOpen(uri)) return;
    this.#service.update(uri, this.displayPath(uri), text, false);
  }

  /** Reads every manifest file of the workspace folders, then those of `crdPaths`; once. */
  scanWorkspace(): Promise<void> {
    if (this.#scanStarted) return this.ready();
    this.#scanStarted = true;
    const done = (async () => {
      for (const root of this.#roots) {
        let files: string[] = [];
        try {
          files = await this.#host.listManifestFiles(root);
        } catch {
          continue;
        }
        for (const f of files) await this.#addFromDisk(f);
      }
      await this.#loadCrdPaths();
    })();
    void done.finally(() => this.#markScanned());
    return this.ready();
  }

  async #loadCrdPaths(): Promise<void> {
    for (const uri of this.#crdFiles) if (!this.#isOpen(uri) && !this.#isInWorkspace(uri)) this.#service.remove(uri);
    this.#crdFiles = new Set();
    for (const p of this.#settings.crdPaths) {
      const abs = this.#names.resolve(this.#roots[0], p);
      let files: string[] = [];
      try {
        files = await this.#host.listManifestFiles(abs);
      } catch {
        this.#host.log?.(`kd-lsp: crdPaths entry ${p} cannot be read`);
        continue;
      }
      for (const f of files) {
        this.#crdFiles.add(this.#names.toUri(f));
        await this.#addFromDisk(f);
      }
    }
  }

  /** Settings from the client, over the initialization ones. */
  async applySettings(next: KdLspSettings): Promise<void> {
    const previous = this.#settings;
    this.#settings = next;
    if (previous.schemaDir !== next.schemaDir || previous.kubernetesVersion !== next.kubernetesVersion || previous.context !== next.context) {
      // New schemas: a new service, given every text the old one had.
      const old = this.#service;
      this.#service = this.#createService(next);
      for (const f of old.workspace.files()) this.#service.update(f.uri, f.file, f.text, f.open);
    } else this.#service.configure({ strict: next.strict });
    // Before the first scan, that scan reads the new crdPaths itself; after it, a reload that
    // cross-file checks wait for.
    if (this.#scanStarted && JSON.stringify(previous.crdPaths) !== JSON.stringify(next.crdPaths)) {
      const before = this.#ready;
      const reload = before.then(() => this.#loadCrdPaths());
      this.#ready = reload.catch(() => undefined);
      await reload;
    }
  }

  /** A document closed in the editor: back to its text on disk, or gone. */
  async closed(uri: string): Promise<void> {
    const file = this.#names.toPath(uri);
    const manifest = file !== undefined && !this.#host.inHelmChart?.(file) && (this.#isInWorkspace(uri) || this.#crdFiles.has(uri));
    const onDisk = manifest ? await this.#host.readFile(file) : undefined;
    if (this.#isOpen(uri)) return;
    if (onDisk === undefined) this.#service.remove(uri);
    else this.#service.update(uri, this.displayPath(uri), onDisk, false);
  }

  /** Files changed on disk (watched files); open documents keep the editor's text. */
  async filesChanged(changes: readonly FileChange[]): Promise<void> {
    for (const change of changes) {
      if (this.#isOpen(change.uri)) continue;
      const file = this.#names.toPath(change.uri);
      if (file === undefined) continue;
      if (change.deleted || this.#host.inHelmChart?.(file)) this.#service.remove(change.uri);
      else {
        const text = await this.#host.readFile(file);
        if (text === undefined) this.#service.remove(change.uri);
        else if (!this.#isOpen(change.uri)) this.#service.update(change.uri, this.displayPath(change.uri), text, false);
      }
    }
  }
}
