/**
 * The protocol layer: wires an LSP connection to the workspace session (service/session.ts:
 * settings, the workspace scan, files on disk) and its language service. It owns what they must
 * not know: documents and their versions, debouncing validation, cancellation, and sending
 * results. Positions and result shapes are converted in convert.ts only.
 *
 * Validation after an edit waits `debounceMs` (a burst of keystrokes validates once) and checks
 * the document version before publishing: results for an older text are dropped, never sent. It
 * runs in slices that give the event loop a turn, so symbols, completion and hover are answered
 * from the parsed documents meanwhile. Requests honour $/cancelRequest: a cancelled one stops
 * its work and answers RequestCancelled.
 */
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ObjectRef } from '../src/index.js';
import type { SymbolEntry } from './service/types.js';
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
import { nodeFileNames, uriToPath } from './file-names.js';
import { WorkspaceSession, type SessionHost } from './service/session.js';
import { parseSettings, type KdLspSettings } from './service/settings.js';

/** The I/O the server needs, passed in so that tests run it in-process. */
export interface ServerHost extends SessionHost {
  version: string;
  /**
   * The live health of an object in the cluster of `settings.context`, one line of markdown;
   * only called when a context is configured.
   */
  liveHealth?(settings: KdLspSettings, object: ObjectRef, signal: AbortSignal): Promise<string>;
}

export interface ServerOptions {
  debounceMs?: number;
  /** How long a hover waits for the cluster before answering without the live state. */
  liveTimeoutMs?: number;
}

const MANIFEST_GLOB = '**/*.{yaml,yml,json}';

/** A turn of the event loop: what long work waits on so that messages queued meanwhile run. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

export function startServer(connection: Connection, host: ServerHost, options: ServerOptions = {}): void {
  const debounceMs = options.debounceMs ?? 50;
  const documents = new TextDocuments(TextDocument);
  const session = new WorkspaceSession(host, nodeFileNames, (uri) => documents.get(uri) !== undefined, pause);
  let canPullConfig = false;
  let canWatchDynamically = false;
  const timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per document, so a re-check that finds the same answer sends nothing. */
  const lastPublished = new Map<string, { version: number; key: string }>();

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
    // Cross-file rules need every file: the first answer waits for the workspace scan.
    await session.ready();
    const current = session.service;
    const stale = () => documents.get(uri)?.version !== version || session.service !== current;
    if (stale()) return;
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

  async function applySettings(next: KdLspSettings): Promise<void> {
    await session.applySettings(next);
    revalidateOpen();
  }

  async function pullConfiguration(): Promise<void> {
    if (!canPullConfig) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration('kd');
      await applySettings(parseSettings(raw, session.initSettings));
    } catch {
      // A client that fails the request keeps the initialization settings.
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    const rootUri = params.rootUri ? uriToPath(params.rootUri) : undefined;
    session.initialize(folders && folders.length > 0 ? folders : rootUri !== undefined ? [rootUri] : [], parseSettings(params.initializationOptions));
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
    void session.service.warmUp();
    await session.scanWorkspace();
    revalidateOpen();
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfig) await pullConfiguration();
    else await applySettings(parseSettings(change.settings, session.initSettings));
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
    session.opened(uri, e.document.getText());
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
    await session.closed(uri);
    revalidateOpen();
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    await session.filesChanged(params.changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted })));
    revalidateOpen();
  });

  connection.onCompletion(async (params, token) => {
    const position = toCorePosition(params.position);
    const service = session.service;
    await service.ensureSchemasAt(params.textDocument.uri, position);
    if (token.isCancellationRequested) return cancelled();
    const items = service.completion(params.textDocument.uri, position).map(toLspCompletionItem);
    return { isIncomplete: false, items };
  });

  connection.onHover(async (params, token) => {
    const position = toCorePosition(params.position);
    const service = session.service;
    await service.ensureSchemasAt(params.textDocument.uri, position);
    if (token.isCancellationRequested) return cancelled();
    const h = service.hover(params.textDocument.uri, position);
    if (!h) return null;
    if (h.object && session.settings.context !== undefined && host.liveHealth) {
      const line = await liveLine(h.object, token);
      if (token.isCancellationRequested) return cancelled();
      h.contents += `\n\n${line}`;
    }
    return toLspHover(h);
  });

  /** The object's live health, or why it is not known: a slow or absent cluster never fails a hover. */
  async function liveLine(object: ObjectRef, token: CancellationToken): Promise<string> {
    const settings = session.settings;
    const context = settings.context!;
    const abort = new AbortController();
    const timeoutMs = options.liveTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    let resolveCancelled!: (line: string) => void;
    // A cancelled hover stops asking the cluster at once.
    const onCancel = token.onCancellationRequested(() => {
      abort.abort();
      resolveCancelled('cancelled');
    });
    const cancel = new Promise<string>((resolve) => (resolveCancelled = resolve));
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(`not answered within ${timeoutMs / 1000} s`);
      }, timeoutMs);
    });
    try {
      const line = await Promise.race([host.liveHealth!(settings, object, abort.signal), timeout, cancel]);
      return `**Live** (context \`${context}\`): ${line}`;
    } catch (error) {
      return `**Live** (context \`${context}\`): unavailable: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
      onCancel.dispose();
    }
  }

  connection.onCodeAction((params, token) => {
    if (token.isCancellationRequested) return cancelled();
    const diagnostics = params.context.diagnostics.map(fromLspDiagnostic).filter((d) => d !== undefined);
    return session.service.codeActions(params.textDocument.uri, diagnostics).map((a) => toLspCodeAction(a, params.textDocument.uri));
  });

  /** The last outline per document: editors ask again for the same version (on focus, on scroll). */
  const outlines = new Map<string, { version: number; service: unknown; symbols: DocumentSymbol[] }>();
  documents.onDidClose((e) => outlines.delete(e.document.uri));
  const lspSymbols = new WeakMap<SymbolEntry, DocumentSymbol>();

  connection.onDocumentSymbol((params, token) => {
    const uri = params.textDocument.uri;
    const version = documents.get(uri)?.version;
    const service = session.service;
    const known = outlines.get(uri);
    if (known && version !== undefined && known.version === version && known.service === service) return known.symbols;
    const symbols = service.documentSymbols(uri, () => token.isCancellationRequested);
    if (symbols === undefined || token.isCancellationRequested) return cancelled();
    const lsp = symbols.map((entry) => {
      // The service hands back the same entry for an unchanged document: convert it once.
      let converted = lspSymbols.get(entry);
      if (!converted) lspSymbols.set(entry, (converted = toLspDocumentSymbol(entry)));
      return converted;
    });
    if (version !== undefined) outlines.set(uri, { version, service, symbols: lsp });
    return lsp;
  });

  connection.onWorkspaceSymbol((params, token) => {
    const symbols = session.service.workspaceSymbols(params.query, () => token.isCancellationRequested);
    if (symbols === undefined || token.isCancellationRequested) return cancelled();
    return symbols.map(toLspWorkspaceSymbol);
  });

  documents.listen(connection);
  connection.listen();
}
