/**
 * The protocol layer: wires an LSP connection to the language service. It owns what the service
 * must not know: documents and their versions, debouncing and cancelling validation, the
 * workspace scan, watched files and configuration, and sending results. Positions and result
 * shapes are converted in convert.ts only.
 *
 * Validation after an edit waits `debounceMs` (a burst of keystrokes validates once) and checks
 * the document version before publishing: results for an older text are dropped, never sent.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ObjectRef, SchemaSource } from '../src/index.js';
import {
  fromLspDiagnostic,
  toCorePosition,
  toLspCodeAction,
  toLspCompletionItem,
  toLspDiagnostic,
  toLspDocumentSymbol,
  toLspHover,
  toLspWorkspaceSymbol,
} from './convert.js';
import { CoreEngine } from './service/core-engine.js';
import { LanguageService } from './service/language-service.js';
import { DEFAULT_SETTINGS, parseSettings, type KdLspSettings } from './settings.js';

/** The I/O the server needs, passed in so that tests run it in-process. */
export interface ServerHost {
  version: string;
  /** Schema sources for the settings: a schema directory, or else the built-in bundle. */
  schemaSources(settings: KdLspSettings): SchemaSource[];
  /** Namespace of objects that set none, as the CLI defaults it (the kubeconfig context's). */
  defaultNamespace?(settings: KdLspSettings): string;
  /** A file's text; undefined when it cannot be read (deleted, too large, binary). */
  readFile(file: string): Promise<string | undefined>;
  /** YAML and JSON files under a folder or the file itself, skipping VCS and dependency folders. */
  listManifestFiles(fileOrDir: string): Promise<string[]>;
  /** Whether the file is part of a Helm chart (a folder above it holds Chart.yaml): not a manifest until rendered, as for the CLI. */
  inHelmChart?(file: string): boolean;
  /**
   * The live health of an object in the cluster of `settings.context`, one line of markdown;
   * only called when a context is configured.
   */
  liveHealth?(settings: KdLspSettings, object: ObjectRef, signal: AbortSignal): Promise<string>;
  /** Where problems go that are not about a document (an unreadable schema dir). */
  log?(message: string): void;
}

export interface ServerOptions {
  debounceMs?: number;
  /** How long a hover waits for the cluster before answering without the live state. */
  liveTimeoutMs?: number;
}

const MANIFEST_GLOB = '**/*.{yaml,yml,json}';

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection, host: ServerHost, options: ServerOptions = {}): void {
  const debounceMs = options.debounceMs ?? 50;
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  let initSettings: KdLspSettings = DEFAULT_SETTINGS;
  let settings: KdLspSettings = DEFAULT_SETTINGS;
  let canPullConfig = false;
  let canWatchDynamically = false;
  // Replaced in onInitialize, once the settings are known; until then a service without schemas.
  let service = new LanguageService({ engine: new CoreEngine({ schemaSources: [] }), schemaSources: [] });
  const timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per document, so a re-check that finds the same answer sends nothing. */
  const lastPublished = new Map<string, { version: number; key: string }>();
  /** Files from crdPaths, kept apart so that a settings change can drop them. */
  let crdFiles = new Set<string>();

  function createService(s: KdLspSettings): LanguageService {
    const schemaSources = safeSources(s);
    let defaultNamespace = 'default';
    try {
      defaultNamespace = host.defaultNamespace?.(s) ?? 'default';
    } catch {
      // An unreadable kubeconfig only means the `default` namespace, as in the CLI.
    }
    return new LanguageService({ engine: new CoreEngine({ schemaSources, defaultNamespace }), schemaSources, settings: { strict: s.strict } });
  }

  function safeSources(s: KdLspSettings): SchemaSource[] {
    try {
      return host.schemaSources(s);
    } catch (error) {
      host.log?.(`kd-lsp: no schemas: ${(error as Error).message}`);
      return [];
    }
  }

  /** The path diagnostics name: relative to the workspace folder holding it, like the CLI run there. */
  function displayPath(uri: string): string {
    const p = uriToPath(uri);
    if (p === undefined) return uri;
    for (const root of roots) {
      const rel = path.relative(root, p);
      if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return p;
  }

  function schedule(uri: string, delay = debounceMs): void {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void validate(uri);
      }, delay),
    );
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const current = service;
    const stale = () => documents.get(uri)?.version !== version || service !== current;
    const diagnostics = await current.diagnostics(uri, stale);
    if (diagnostics === undefined || stale()) return;
    const lsp = diagnostics.map(toLspDiagnostic);
    // Workspace-wide re-checks (settings, CRDs found, other files) often confirm what is shown.
    const key = JSON.stringify(lsp);
    const last = lastPublished.get(uri);
    if (last?.version === version && last.key === key) return;
    lastPublished.set(uri, { version, key });
    await connection.sendDiagnostics({ uri, version, diagnostics: lsp });
    // Schemas of every kind, for apiVersion/kind completion; after the first answer, not before.
    void current.loadAllSchemas();
  }

  function revalidateOpen(except?: string): void {
    for (const d of documents.all()) if (d.uri !== except) schedule(d.uri);
  }

  async function addFromDisk(file: string): Promise<void> {
    const uri = pathToFileURL(file).href;
    if (documents.get(uri)) return;
    const text = await host.readFile(file);
    if (text === undefined || documents.get(uri)) return;
    service.update(uri, displayPath(uri), text, false);
  }

  async function scanWorkspace(): Promise<void> {
    for (const root of roots) {
      let files: string[] = [];
      try {
        files = await host.listManifestFiles(root);
      } catch {
        continue;
      }
      for (const f of files) await addFromDisk(f);
    }
    await loadCrdPaths();
  }

  async function loadCrdPaths(): Promise<void> {
    for (const uri of crdFiles) if (!documents.get(uri) && !isInWorkspace(uri)) service.remove(uri);
    crdFiles = new Set();
    for (const p of settings.crdPaths) {
      const abs = path.isAbsolute(p) ? p : path.resolve(roots[0] ?? process.cwd(), p);
      let files: string[] = [];
      try {
        files = await host.listManifestFiles(abs);
      } catch {
        host.log?.(`kd-lsp: crdPaths entry ${p} cannot be read`);
        continue;
      }
      for (const f of files) {
        crdFiles.add(pathToFileURL(f).href);
        await addFromDisk(f);
      }
    }
  }

  function isInWorkspace(uri: string): boolean {
    const p = uriToPath(uri);
    return p !== undefined && roots.some((r) => !path.relative(r, p).startsWith('..'));
  }

  async function applySettings(next: KdLspSettings): Promise<void> {
    const previous = settings;
    settings = next;
    if (previous.schemaDir !== next.schemaDir || previous.kubernetesVersion !== next.kubernetesVersion || previous.context !== next.context) {
      // New schemas: a new service, given every text the old one had.
      const old = service;
      service = createService(next);
      for (const f of old.workspace.files()) service.update(f.uri, f.file, f.text, f.open);
    } else service.configure({ strict: next.strict });
    if (JSON.stringify(previous.crdPaths) !== JSON.stringify(next.crdPaths)) await loadCrdPaths();
    revalidateOpen();
  }

  async function pullConfiguration(): Promise<void> {
    if (!canPullConfig) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration('kd');
      await applySettings(parseSettings(raw, initSettings));
    } catch {
      // A client that fails the request keeps the initialization settings.
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    const rootUri = params.rootUri ? uriToPath(params.rootUri) : undefined;
    roots = folders && folders.length > 0 ? folders : rootUri !== undefined ? [rootUri] : [];
    initSettings = parseSettings(params.initializationOptions);
    settings = initSettings;
    service = createService(settings);
    canPullConfig = params.capabilities.workspace?.configuration === true;
    canWatchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['/', ':', ' ', '"', ','] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'kd-lsp', version: host.version },
    };
  });

  connection.onInitialized(async () => {
    if (canWatchDynamically) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: MANIFEST_GLOB }] }).catch(() => undefined);
    }
    await pullConfiguration();
    void service.warmUp();
    await scanWorkspace();
    revalidateOpen();
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfig) await pullConfiguration();
    else await applySettings(parseSettings(change.settings, initSettings));
  });

  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
  });

  // Fires on open too (after onDidOpen): an opened document validates at once, an edit debounced.
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    const file = uriToPath(uri);
    if (file !== undefined && host.inHelmChart?.(file)) {
      // Chart templates are not YAML until `helm template` renders them: quiet, as `kubectl kd validate` skips them.
      justOpened.delete(uri);
      void connection.sendDiagnostics({ uri, version: e.document.version, diagnostics: [] });
      return;
    }
    service.update(uri, displayPath(uri), e.document.getText(), true);
    schedule(uri, justOpened.delete(uri) ? 0 : debounceMs);
    if (documents.all().length > 1) revalidateOpen(uri);
  });

  documents.onDidClose(async (e) => {
    const uri = e.document.uri;
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    timers.delete(uri);
    lastPublished.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    const file = uriToPath(uri);
    const onDisk = file !== undefined && (isInWorkspace(uri) || crdFiles.has(uri)) ? await host.readFile(file) : undefined;
    if (documents.get(uri)) return;
    if (onDisk === undefined) service.remove(uri);
    else service.update(uri, displayPath(uri), onDisk, false);
    revalidateOpen();
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue;
      const file = uriToPath(change.uri);
      if (file === undefined) continue;
      if (change.type === FileChangeType.Deleted) service.remove(change.uri);
      else {
        const text = await host.readFile(file);
        if (text === undefined) service.remove(change.uri);
        else if (!documents.get(change.uri)) service.update(change.uri, displayPath(change.uri), text, false);
      }
    }
    revalidateOpen();
  });

  connection.onCompletion(async (params) => {
    const position = toCorePosition(params.position);
    await service.ensureSchemasAt(params.textDocument.uri, position);
    const items = service.completion(params.textDocument.uri, position).map(toLspCompletionItem);
    return { isIncomplete: false, items };
  });

  connection.onHover(async (params) => {
    const position = toCorePosition(params.position);
    await service.ensureSchemasAt(params.textDocument.uri, position);
    const h = service.hover(params.textDocument.uri, position);
    if (!h) return null;
    if (h.object && settings.context !== undefined && host.liveHealth) h.contents += `\n\n${await liveLine(h.object)}`;
    return toLspHover(h);
  });

  /** The object's live health, or why it is not known: a slow or absent cluster never fails a hover. */
  async function liveLine(object: ObjectRef): Promise<string> {
    const context = settings.context!;
    const abort = new AbortController();
    const timeoutMs = options.liveTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(`not answered within ${timeoutMs / 1000} s`);
      }, timeoutMs);
    });
    try {
      const line = await Promise.race([host.liveHealth!(settings, object, abort.signal), timeout]);
      return `**Live** (context \`${context}\`): ${line}`;
    } catch (error) {
      return `**Live** (context \`${context}\`): unavailable: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
  }

  connection.onCodeAction((params) => {
    const diagnostics = params.context.diagnostics.map(fromLspDiagnostic).filter((d) => d !== undefined);
    return service.codeActions(params.textDocument.uri, diagnostics).map((a) => toLspCodeAction(a, params.textDocument.uri));
  });

  connection.onDocumentSymbol((params) => service.documentSymbols(params.textDocument.uri).map(toLspDocumentSymbol));

  connection.onWorkspaceSymbol((params) => service.workspaceSymbols(params.query).map(toLspWorkspaceSymbol));

  documents.listen(connection);
  connection.listen();
}
