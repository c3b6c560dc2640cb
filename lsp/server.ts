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
  TextDocumentContentChangeEvent,
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
import { withJson } from './json-encoder.js';
import type { LoopTimer, Mark } from './loop-stats.js';
import { WorkspaceSession, type SessionHost } from './service/session.js';
import { parseSettings, type KdLspSettings } from './service/settings.js';
import type { TextChange } from './service/split-documents.js';

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
  /**
   * Told how long each piece of work held the event loop: handlers' synchronous parts and
   * validation slices, by label. For measuring what blocks requests (KD_LSP_TRACE, lsp/main.ts).
   */
  timing?: LoopTimer;
}

const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
/** Documents' outline entries converted to the protocol's shape between two pauses. */
const CONVERSIONS_PER_SLICE = 256;


function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

export function startServer(connection: Connection, host: ServerHost, options: ServerOptions = {}): void {
  const debounceMs = options.debounceMs ?? 50;
  const timing = options.timing;
  /** The synchronous part of a handler, timed when timing is asked for. */
  function timed<A extends unknown[], R>(label: string, handler: (...args: A) => R): (...args: A) => R {
    if (!timing) return handler;
    return (...args: A) => {
      const start = timing.start();
      try {
        return handler(...args);
      } finally {
        timing.stop(label, start);
      }
    };
  }
  let resumedAt: Mark | undefined;
  /** Ends the timing of the slice running since the last pause (its chain of work goes on without pausing). */
  const endSlice = () => {
    if (timing && resumedAt !== undefined) timing.stop('slice (validation, outline)', resumedAt);
    resumedAt = undefined;
  };
  /** A turn of the event loop: what long work waits on so that messages queued meanwhile run. */
  const pause = () => {
    endSlice();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        if (timing) resumedAt = timing.start();
        resolve();
      }),
    );
  };
  /**
   * The editor's changes of the last update of each document, as offsets in the text before each
   * change (computed here, where the document's line offsets are at hand): the service re-splits
   * only around them. Undefined after a change that replaced the whole text.
   */
  const pendingChanges = new Map<string, TextChange[] | undefined>();
  const documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update(document, changes, version) {
      let offsets: TextChange[] | undefined = [];
      for (const change of changes) {
        if (TextDocumentContentChangeEvent.isIncremental(change)) {
          const a = document.offsetAt(change.range.start);
          const b = document.offsetAt(change.range.end);
          offsets?.push({ start: Math.min(a, b), end: Math.max(a, b), text: change.text });
        } else offsets = undefined;
        // One at a time: the offsets of the next change are in the text this one leaves.
        document = TextDocument.update(document, [change], version);
      }
      pendingChanges.set(document.uri, offsets);
      return document;
    },
  });
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
    if (timing) resumedAt = timing.start();
    const diagnostics = await current.diagnostics(uri, stale);
    endSlice();
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
    const start = timing?.start();
    const uri = e.document.uri;
    const changes = pendingChanges.get(uri);
    pendingChanges.delete(uri);
    const file = uriToPath(uri);
    if (file !== undefined && host.inHelmChart?.(file)) {
      // Chart templates are not YAML until `helm template` renders them: quiet, as `kubectl kd validate` skips them.
      justOpened.delete(uri);
      void connection.sendDiagnostics({ uri, version: e.document.version, diagnostics: [] });
      return;
    }
    if (changes && changes.length > 0) session.edited(uri, changes, e.document.getText());
    else session.opened(uri, e.document.getText());
    const opening = justOpened.delete(uri);
    schedule(uri, opening ? 0 : debounceMs);
    if (documents.all().length > 1) revalidateOpen(uri);
    if (timing) timing.stop(opening ? 'didOpen' : 'didChange', start!);
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
    const items = timed('completion', () => service.completion(params.textDocument.uri, position).map(toLspCompletionItem))();
    return { isIncomplete: false, items };
  });

  connection.onHover(async (params, token) => {
    const position = toCorePosition(params.position);
    const service = session.service;
    await service.ensureSchemasAt(params.textDocument.uri, position);
    if (token.isCancellationRequested) return cancelled();
    const h = timed('hover', () => service.hover(params.textDocument.uri, position))();
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
  /**
   * Each document's outline entries converted once, with their JSON text: the service hands back
   * the same array for a document that kept its text and line, so an answer after an edit only
   * joins parts (lsp/json-encoder.ts sends the joined text as it is).
   */
  const converted = new WeakMap<SymbolEntry[], { symbols: DocumentSymbol[]; json: string }>();

  connection.onDocumentSymbol(async (params, token) => {
    const uri = params.textDocument.uri;
    for (;;) {
      const service = session.service;
      const asked = outlines.get(uri);
      if (asked && asked.version === documents.get(uri)?.version && asked.service === service) return asked.symbols;
      // Its synchronous part is all of it unless entries are still to be computed (then in slices).
      const groups = await timed('documentSymbol', () => service.documentSymbolGroups(uri, () => token.isCancellationRequested))();
      endSlice();
      if (groups === undefined || token.isCancellationRequested) return cancelled();
      // The version the groups are of: the service answers for the text it has when it finishes.
      const version = documents.get(uri)?.version;
      // Documents not converted yet (the first outline of a file): in slices too.
      let fresh = 0;
      let edited = false;
      for (const group of groups) {
        if (group.length === 0 || converted.has(group)) continue;
        if (++fresh % CONVERSIONS_PER_SLICE === 0) {
          await pause();
          endSlice();
          if (token.isCancellationRequested) return cancelled();
          if (documents.get(uri)?.version !== version || session.service !== service) {
            edited = true;
            break;
          }
        }
        const lsp = group.map(toLspDocumentSymbol);
        converted.set(group, { symbols: lsp, json: JSON.stringify(lsp).slice(1, -1) });
      }
      // An edit arrived meanwhile: answer for the text as it is now (what is converted is kept).
      if (edited) continue;
      return timed('documentSymbol join', () => {
        const symbols: DocumentSymbol[] = [];
        const parts: string[] = [];
        for (const group of groups) {
          const c = group.length > 0 ? converted.get(group) : undefined;
          if (!c) continue;
          for (const x of c.symbols) symbols.push(x);
          parts.push(c.json);
        }
        withJson(symbols, `[${parts.join(',')}]`);
        if (version !== undefined) outlines.set(uri, { version, service, symbols });
        return symbols;
      })();
    }
  });

  connection.onWorkspaceSymbol((params, token) => {
    const symbols = session.service.workspaceSymbols(params.query, () => token.isCancellationRequested);
    if (symbols === undefined || token.isCancellationRequested) return cancelled();
    return symbols.map(toLspWorkspaceSymbol);
  });

  documents.listen(connection);
  connection.listen();
}
