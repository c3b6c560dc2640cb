/**
 * `startSim`: the embedded Kubernetes API server simulator. Loads the API from a SchemaSource,
 * seeds the namespaces a fresh cluster has, listens on loopback (HTTP, or HTTPS with a generated
 * CA and client-certificate or bearer-token auth), optionally persists to a state file, applies
 * faults, and starts the simulated controllers against a ControllerHost over the same storage.
 *
 * It is a local service that holds Secrets, so it is closed by default: HTTPS with a CA generated
 * per start and a random bearer token per start, both only in the kubeconfig it hands out (TLS
 * because kubectl sends no bearer token to a plain-HTTP server); client certificates instead with
 * `tls`; plain HTTP without auth only with `noAuth`, and never beyond loopback. A Host check
 * keeps DNS-rebinding pages out.
 *
 * The process-level parts (signals, printing the address) belong to the `kubectl kd sim` command;
 * this module only owns the server's lifetime: `stop()` ends watches, controllers and sockets.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { networkInterfaces, hostname } from 'node:os';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { yamlLibrary } from '../manifest/yaml-library.js';
import type { KubeObject } from '../model/object-ref.js';
import type { SchemaSource } from '../schema/types.js';
import { parseGroupVersionPath } from '../schema/types.js';
import type { ControllerHost, SimClock } from './controller-host.js';
import { ApiCatalog } from './api-catalog.js';
import { ObjectStore } from './object-store.js';
import { RestStorage, type WriteValidator } from './rest-storage.js';
import { OpenApiService } from './openapi-service.js';
import { handle, type HandlerContext } from './api-handler.js';
import { upgrade } from './exec.js';
import { FaultInjector, parseFaultSpec, type FaultSpec } from './faults.js';
import { StoreControllerHost } from './store-controller-host.js';
import { generateTlsMaterial, type TlsMaterial } from './tls-material.js';
import { checkStatePath, loadState, saveState } from './state-file.js';
import { inputError, usageError } from '../errors.js';
import { SIM_KUBERNETES_VERSION } from './version.js';

export interface SimOptions {
  port?: number;
  host?: string;
  schemaSource: SchemaSource;
  clock?: SimClock;
  /** Clients authenticate with the generated client certificate (the kubeconfig carries it) instead of a token. */
  tls?: boolean;
  /**
   * Require `Authorization: Bearer <token>` (a client certificate also passes). Without it (and
   * without `tls` or `noAuth`) a random token is generated; `SimHandle.token` has it.
   */
  token?: string;
  /** Serve plain HTTP without authentication (the old behaviour); refused for a non-loopback `host`. */
  noAuth?: boolean;
  /**
   * Serve plain HTTP yet still require the token: only for testing clients that must not send
   * credentials over http (kubectl sends none there, so nothing else can use it).
   */
  insecureHttp?: boolean;
  /** Further `Host` names to answer (a DNS name or proxy name that reaches this server), with the port; the certificate names them too. */
  hostNames?: string[];
  /** Problems that do not stop the server (a failed state write), one line each. */
  warn?: (line: string) => void;
  /** A parsed spec or the `--faults` string (grammar in faults.ts). */
  faults?: FaultSpec | string;
  statePath?: string;
  log?: (line: string) => void;
  /** Extra validation of every write (the core validator, see core-validation.ts). */
  validator?: WriteValidator;
  controllers?: Array<(host: ControllerHost) => () => void>;
  /** The version `/version` reports; kubectl's dispatcher picks its minor from it. */
  serverVersion?: string;
  /** Which group-versions of the source to serve; by default the GA ones (`v1`, `v2`), like a default cluster. */
  serveGroupVersion?: (gv: { group: string; version: string }) => boolean;
  /** Watch bookmark interval; kube-apiserver sends one about every minute. */
  bookmarkIntervalMs?: number;
  /** Fresh uids (injectable for reproducible tests). */
  uid?: () => string;
  /**
   * Told of each accepted connection (the TLS socket when serving HTTPS), so that a test on a
   * virtual clock can see bytes still in flight and not move time under them.
   */
  onConnection?: (socket: Socket) => void;
}

export interface KubeconfigOptions {
  /** Context (and cluster and user) name; `kd-sim` by default. */
  context?: string;
  namespace?: string;
}

export interface SimHandle {
  url: string;
  /** The bearer token requests must carry, when authentication is by token. */
  token: string | undefined;
  /** The CA certificate (PEM) that signed the server's certificate; undefined for plain HTTP. */
  caCert: string | undefined;
  /** The `Authorization` header for `token` (empty when there is none), for direct HTTP clients. */
  authHeaders(): Record<string, string>;
  kubeconfig(options?: KubeconfigOptions): string;
  host: ControllerHost;
  /** The API storage, for tests and the `kd sim` command (e.g. seeding objects). */
  storage: RestStorage;
  stop(): Promise<void>;
}

export const realClock: SimClock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** The group-versions a default cluster serves: the GA ones (`v1`, `v2`). */
export function servedByDefault(gv: { group: string; version: string }): boolean {
  return /^v\d+$/.test(gv.version);
}

const SEED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function loadCatalog(source: SchemaSource, serve: (gv: { group: string; version: string }) => boolean): Promise<ApiCatalog> {
  const catalog = new ApiCatalog();
  for (const gvPath of await source.groupVersions()) {
    const gv = parseGroupVersionPath(gvPath);
    if (!gv || !serve(gv)) continue;
    const doc = await source.document(gvPath);
    if (doc) catalog.addDocument(gv, doc);
  }
  return catalog;
}

function seed(storage: RestStorage): void {
  const nsRes = storage.catalog.resource('', 'v1', 'namespaces');
  if (!nsRes) return;
  for (const name of SEED_NAMESPACES)
    if (!storage.tryGet(nsRes, '', name)) storage.create(nsRes, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'kube-apiserver' });
  const svc = storage.catalog.resource('', 'v1', 'services');
  if (svc && !storage.tryGet(svc, 'default', 'kubernetes'))
    storage.create(
      svc,
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      },
      { fieldManager: 'kube-apiserver' },
    );
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function bracketed(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The `Host` header values the server answers: the loopback names and the bound address with
 * its port (and, on a wildcard bind, this machine's interface addresses and host name). A DNS
 * rebinding page reaches the socket under its own name, so anything else is refused.
 */
function allowedHosts(bound: string, port: number, tls: boolean, extra: string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', bracketed(bound.toLowerCase()), ...extra.map((n) => bracketed(n.toLowerCase()))]);
  if (bound === '0.0.0.0' || bound === '::') {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracketed(a.address.toLowerCase()));
  }
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`);
    if (port === (tls ? 443 : 80)) out.add(n);
  }
  return out;
}

/** The names the server certificate is valid for: loopback, the bound address, and on a wildcard bind this machine's addresses. */
function certificateHosts(bound: string): string[] {
  const out = new Set(['127.0.0.1', 'localhost', '::1', bound]);
  if (bound === '0.0.0.0' || bound === '::') {
    out.add(hostname());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.address.includes('%')) out.add(a.address);
  }
  return [...out];
}

function sendStatus(res: http.ServerResponse, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export async function startSim(options: SimOptions): Promise<SimHandle> {
  const log = options.log;
  const bindHost = options.host ?? '127.0.0.1';
  if (options.noAuth === true && !isLoopbackHost(bindHost))
    throw usageError(`--no-auth cannot be used with --host ${bindHost}: every machine that reaches ${bindHost} could read and change the simulated cluster, Secrets included`, 'drop --no-auth (clients use the token in the written kubeconfig), or listen on 127.0.0.1');
  if (options.noAuth === true && (options.tls === true || options.token !== undefined)) throw usageError('noAuth cannot be combined with tls or token');
  if (options.statePath !== undefined) checkStatePath(options.statePath);
  const clock = options.clock ?? realClock;
  let faults: FaultInjector | undefined;
  if (options.faults !== undefined) {
    let spec: FaultSpec;
    if (typeof options.faults === 'string') {
      const parsed = parseFaultSpec(options.faults);
      if (parsed.problems.length > 0) throw inputError(`invalid --faults: ${parsed.problems.join('; ')}`);
      spec = parsed.spec;
    } else spec = options.faults;
    faults = new FaultInjector(spec);
  }
  const serve = options.serveGroupVersion ?? servedByDefault;
  const catalog = await loadCatalog(options.schemaSource, serve);
  const store = new ObjectStore();
  const storage = new RestStorage({ catalog, store, clock, ...(options.validator ? { validator: options.validator } : {}), ...(options.uid ? { uid: options.uid } : {}) });
  if (options.statePath !== undefined) {
    const snapshot = loadState(options.statePath);
    if (snapshot) {
      store.restore(snapshot);
      storage.reregisterCustomResources();
    }
  }
  seed(storage);

  let saveTimer: NodeJS.Timeout | undefined;
  const statePath = options.statePath;
  // A failed write (disk full, folder removed) must not take the cluster down: report it once,
  // keep serving, and say so when writing works again.
  let stateFailing = false;
  const persist = () => {
    if (statePath === undefined) return;
    try {
      saveState(statePath, store.snapshot());
      if (stateFailing) options.warn?.(`the state file ${statePath} is written again`);
      stateFailing = false;
    } catch (e) {
      if (!stateFailing) options.warn?.(`cannot write the state file ${statePath}: ${(e as Error).message} (still serving; the state is kept in memory)`);
      stateFailing = true;
    }
  };
  const unsubscribeState =
    statePath === undefined
      ? () => {}
      : store.subscribe(() => {
          if (saveTimer) return;
          saveTimer = setTimeout(() => {
            saveTimer = undefined;
            persist();
          }, 100);
        });

  let tlsMaterial: TlsMaterial | undefined;
  if (options.noAuth !== true && options.insecureHttp !== true) tlsMaterial = generateTlsMaterial([...certificateHosts(bindHost), ...(options.hostNames ?? [])]);
  const host = bindHost;
  // With `tls` the client certificate authenticates; otherwise a token, generated when none is given.
  const token = options.token ?? (options.noAuth === true || options.tls === true ? undefined : randomBytes(32).toString('base64url'));
  const ctx: HandlerContext = {
    storage,
    openapi: new OpenApiService(catalog),
    serverVersion: options.serverVersion ?? SIM_KUBERNETES_VERSION,
    serverAddress: () => `${host}:${port}`,
    watches: new Set(),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    ...(faults ? { faults } : {}),
    ...(log ? { log } : {}),
  };
  const authRequired = options.noAuth !== true;
  const expectedAuth = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  let hosts: Set<string> = new Set();
  /** Why a request (or a WebSocket upgrade) is refused before it is handled: host or authentication. */
  const refusal = (req: http.IncomingMessage): [number, string, string] | undefined => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(hostHeader))
      return [403, 'Forbidden', `forbidden: kd sim does not answer for host "${req.headers.host ?? ''}"; use ${[...new Set([bracketed(host), '127.0.0.1', 'localhost'])].map((h) => `${h}:${port}`).join(', ')}`];
    if (authRequired) {
      const auth = Buffer.from(req.headers.authorization ?? '');
      const byToken = expectedAuth !== undefined && auth.length === expectedAuth.length && timingSafeEqual(auth, expectedAuth);
      const byCert = tlsMaterial !== undefined && (req.socket as TLSSocket).authorized === true;
      if (!byToken && !byCert) return [401, 'Unauthorized', 'Unauthorized'];
    }
    return undefined;
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = Date.now();
    res.on('finish', () => log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms ua=${req.headers['user-agent'] ?? ''}`));
    const refused = refusal(req);
    if (refused) return sendStatus(res, ...refused);
    const run = () => {
      void handle(ctx, req, res);
    };
    if (!faults) return run();
    const d = faults.next();
    const act = () => {
      if (d.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (d.kind === 'status') {
        const reason = d.code === 429 ? 'TooManyRequests' : d.code === 503 ? 'ServiceUnavailable' : 'InternalError';
        const message = d.code === 429 ? 'the server has received too many requests and has asked us to try again later' : d.code === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: injected fault';
        const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: d.code };
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (d.code !== 500) {
          status.details = { retryAfterSeconds: faults!.spec.retryAfterSeconds };
          headers['Retry-After'] = String(faults!.spec.retryAfterSeconds);
        }
        const body = JSON.stringify(status);
        headers['Content-Length'] = String(Buffer.byteLength(body));
        res.writeHead(d.code, headers);
        res.end(body);
        return;
      }
      run();
    };
    if (d.delayMs > 0) setTimeout(act, d.delayMs);
    else act();
  };
  const server = tlsMaterial
    ? https.createServer({ key: tlsMaterial.serverKey, cert: tlsMaterial.serverCert, ca: tlsMaterial.caCert, requestCert: true, rejectUnauthorized: false }, listener)
    : http.createServer(listener);
  server.keepAliveTimeout = 65_000;
  // pods/exec is a WebSocket upgrade (exec.ts); the same host and authentication checks apply.
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => upgrade(ctx.storage, req, socket, head, refusal(req), log));
  const sockets = new Set<Socket>();
  server.on(tlsMaterial ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    options.onConnection?.(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port, tlsMaterial !== undefined, options.hostNames ?? []);
  const url = `${tlsMaterial ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const controllerHost = new StoreControllerHost(storage);
  const stopControllers = (options.controllers ?? []).map((start) => start(controllerHost));
  log?.(`kd sim listening on ${url}`);

  let stopped = false;
  return {
    url,
    token,
    caCert: tlsMaterial?.caCert,
    authHeaders: (): Record<string, string> => (token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    host: controllerHost,
    storage,
    kubeconfig(kc: KubeconfigOptions = {}): string {
      const name = kc.context ?? 'kd-sim';
      const cluster: Record<string, unknown> = { server: url };
      const user: Record<string, unknown> = {};
      if (tlsMaterial) {
        cluster['certificate-authority-data'] = Buffer.from(tlsMaterial.caCert).toString('base64');
        if (token === undefined) {
          user['client-certificate-data'] = Buffer.from(tlsMaterial.clientCert).toString('base64');
          user['client-key-data'] = Buffer.from(tlsMaterial.clientKey).toString('base64');
        }
      }
      if (token !== undefined) user.token = token;
      const context: Record<string, unknown> = { cluster: name, user: name };
      if (kc.namespace !== undefined) context.namespace = kc.namespace;
      return yamlLibrary().stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name, cluster }],
        contexts: [{ name, context }],
        'current-context': name,
        users: [{ name, user }],
        preferences: {},
      });
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      for (const stop of stopControllers) stop();
      for (const w of ctx.watches) w.end();
      unsubscribeState();
      if (saveTimer) clearTimeout(saveTimer);
      persist();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
      });
    },
  };
}
