/**
 * A real LSP client connection to kd-lsp running in-process over a pair of streams: the same
 * JSON-RPC framing an editor uses over stdio, without a child process. Collects published
 * diagnostics and answers the server's requests (configuration, capability registration).
 */
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkspaceSymbolRequest,
  createConnection,
  createProtocolConnection,
  type CancellationToken,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FileEvent,
  type Hover,
  type Position,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type WorkspaceSymbol,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import { SchemaDirSource } from '../../../src/io/schema-dir-source.js';
import { nodeHost } from '../../../lsp/node-host.js';
import { startServer, type ServerHost } from '../../../lsp/server.js';
import { BUILT_IN_SCHEMAS } from '../../support/schemas.js';

export const K8S_SCHEMAS = BUILT_IN_SCHEMAS;

export interface ClientOptions {
  /** Workspace folder (absolute path). */
  root?: string;
  initializationOptions?: unknown;
  /** Answer to workspace/configuration for the `kd` section; omit to not advertise the capability. */
  configuration?: unknown;
  debounceMs?: number;
  /** Choose schemas from the settings as the real server does (default: the built-in bundle). */
  schemasFromSettings?: boolean;
  /** Wraps the Node host, so a test controls when its I/O (the workspace scan) answers. */
  host?: (host: ServerHost) => ServerHost;
}

export interface TestClient {
  open(uri: string, text: string, languageId?: string): void;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  close(uri: string): void;
  filesChanged(changes: FileEvent[]): void;
  /** The first diagnostics published for `uri` after `since` (a count of earlier publications) that satisfy `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  published(uri: string): PublishDiagnosticsParams[];
  completion(uri: string, position: Position): Promise<CompletionItem[]>;
  hover(uri: string, position: Position): Promise<Hover | null>;
  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]>;
  documentSymbols(uri: string): Promise<DocumentSymbol[]>;
  workspaceSymbols(query: string): Promise<WorkspaceSymbol[]>;
  /** Any request; cancelling `token` sends $/cancelRequest. */
  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R>;
  shutdown(): Promise<void>;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export async function startClient(options: ClientOptions = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const real = nodeHost({ version: 'test', env: {}, cwd: options.root ?? process.cwd() });
  const chosen = options.schemasFromSettings ? real : { ...real, schemaSources: () => [new SchemaDirSource(K8S_SCHEMAS)] };
  const host = options.host ? options.host(chosen) : chosen;
  startServer(serverConnection, host, { debounceMs: options.debounceMs ?? 20 });

  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  let shuttingDown: Promise<void> | undefined;
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: Array<() => void> = [];
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const list = published.get(p.uri) ?? [];
    list.push(p);
    published.set(p.uri, list);
    for (const w of waiters.splice(0)) w();
  });
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => options.configuration ?? null));
  client.listen();

  const root = options.root;
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: root ? fileUri(root) : null,
    workspaceFolders: root ? [{ uri: fileUri(root), name: 'ws' }] : null,
    initializationOptions: options.initializationOptions,
    capabilities: {
      workspace: { configuration: options.configuration !== undefined, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
  });
  client.sendNotification(InitializedNotification.type, {});

  const versions = new Map<string, number>();
  return {
    open(uri, text, languageId = 'yaml') {
      versions.set(uri, 1);
      client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    },
    change(uri, version, changes) {
      versions.set(uri, version);
      client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    },
    close(uri) {
      client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    filesChanged(changes) {
      client.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    },
    published(uri) {
      return published.get(uri) ?? [];
    },
    diagnostics(uri, accept = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.get(uri) ?? [])}`)), timeoutMs);
        const check = () => {
          const want = versions.get(uri);
          const found = (published.get(uri) ?? []).find((p) => (want === undefined || p.version === undefined || p.version === want) && accept(p));
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    async completion(uri, position) {
      const r = (await client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList | CompletionItem[] | null;
      return r === null ? [] : Array.isArray(r) ? r : r.items;
    },
    hover: (uri, position) => client.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
    async codeActions(uri, diagnostics) {
      const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const r = await client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
      return (r ?? []) as CodeAction[];
    },
    async documentSymbols(uri) {
      return ((await client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
    },
    async workspaceSymbols(query) {
      return ((await client.sendRequest(WorkspaceSymbolRequest.type, { query })) ?? []) as WorkspaceSymbol[];
    },
    request: (method, params, token) => (token ? client.sendRequest(method, params, token) : client.sendRequest(method, params)),
    shutdown() {
      // Once only (a test may end a client early; startClientPerTest ends it again after the test).
      // No `exit` notification: the server would end the process, and here that is the test runner.
      shuttingDown ??= client.sendRequest(ShutdownRequest.type).then(() => client.dispose());
      return shuttingDown;
    },
  };
}

/** Strips `<|>` markers from a fixture, returning the text and the marker positions (0-based, LSP). */
export function markers(textWithMarkers: string): { text: string; positions: Position[] } {
  const positions: Position[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  for (let i = 0; i < textWithMarkers.length; i++) {
    if (textWithMarkers.startsWith('<|>', i)) {
      positions.push({ line, character });
      i += 2;
      continue;
    }
    const ch = textWithMarkers[i]!;
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  return { text, positions };
}

/**
 * A startClient whose clients are shut down after each test of the file that calls this (at its
 * top level), so that a test holds its client in a `const` and a failing one leaks no server.
 */
export function startClientPerTest(): (options?: ClientOptions) => Promise<TestClient> {
  const started: TestClient[] = [];
  afterEach(async () => {
    for (const c of started.splice(0)) await c.shutdown();
  });
  return async (options) => {
    const c = await startClient(options);
    started.push(c);
    return c;
  };
}
