/**
 * HTTP to one API server: authentication, TLS and proxy as credentials.ts derived them from the
 * kubeconfig, client-side rate limiting, and retries with backoff. Bodies are passed through as
 * text: nothing here decodes objects into typed classes, so unknown fields survive.
 * The server's clock is estimated from the `Date` header of its answers (`serverNow`), for
 * decisions that must not depend on this machine's clock (the release lock's expiry).
 *
 * Every request waits for a rate-limit token, each retry too. Watch streams are opened with
 * `open` (one attempt, no timeout on the body); their resumption lives in watch.ts.
 * An aborted signal ends a request at once and rejects with the signal's reason, never retried.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import { abortReason, systemClock, type ClusterClock, type RandomSource } from './clock.js';
import { ClusterRequestError, networkError, statusError, type RequestSubject } from './errors.js';
import { DEFAULT_RATE_LIMIT, TokenBucket, type RateLimitOptions } from './rate-limiter.js';
import { agentFor, forwardedRequest, ForwardingAgent, httpsModule } from './proxy.js';
import { definedOnly } from '../model/json.js';
import { DEFAULT_RETRY, isRetryable, parseRetryAfter, retryDelayMs, type RetryClass, type RetryOptions } from './retry.js';

export type QueryValue = string | number | boolean | undefined | ReadonlyArray<string>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path on the server: `/apis/apps/v1/namespaces/shop/deployments/web`. */
  path: string;
  query?: Record<string, QueryValue>;
  accept?: string;
  contentType?: string;
  body?: string;
  subject: RequestSubject;
  /** How the retry policy treats this request; `read` by default. */
  retryClass?: RetryClass;
  signal?: AbortSignal;
  /** Per-attempt timeout; defaults to the transport's. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** How many attempts it took (1 when the first succeeded). */
  attempts: number;
}

/** Reported before each retry: for progress events and logs. */
export interface RetryNotice {
  subject: RequestSubject;
  attempt: number;
  delayMs: number;
  error: ClusterRequestError;
}

/** What the transport needs of a kubeconfig: where, through which proxy, how to trust it, and how to authenticate. */
export interface ServerCredentials {
  server: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string };
  /** The proxy to connect through (http, https or socks5); undefined: directly. */
  proxy?: URL;
  /** Headers for each request (a bearer token from a file or exec plugin may change over time). */
  headers(): Promise<Record<string, string | string[]>>;
  /** A client certificate that may rotate (from an exec plugin); asked before each request. */
  clientCertificate?(): Promise<{ cert: Buffer; key: Buffer } | undefined>;
  /** The server answered 401 to a request sent with this Authorization header. */
  unauthorized?(sentAuthorization: string | undefined): void;
}

export interface TransportOptions {
  credentials: ServerCredentials;
  clock?: ClusterClock;
  random?: RandomSource;
  rateLimit?: RateLimitOptions;
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout for ordinary requests. Default 60 s. */
  timeoutMs?: number;
  userAgent?: string;
  onRetry?: (notice: RetryNotice) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** How long after close() idle connections are destroyed in a process that is still running. */
const IDLE_CLOSE_MS = 100;

export class HttpTransport {
  readonly server: string;
  readonly #base: URL;
  readonly #credentials: ServerCredentials;
  readonly #clock: ClusterClock;
  readonly #random: RandomSource;
  readonly #bucket: TokenBucket;
  readonly #retry: RetryOptions;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onRetry: ((notice: RetryNotice) => void) | undefined;
  #agent: http.Agent;
  #agentCert: { cert: Buffer; key: Buffer } | undefined;
  readonly #agents: http.Agent[] = [];
  /** The latest `Date` the server sent (ms) and this clock's time when it arrived. */
  #serverDate: { date: number; at: number } | undefined;

  constructor(options: TransportOptions) {
    this.#credentials = options.credentials;
    this.server = options.credentials.server.replace(/\/+$/, '');
    this.#base = new URL(this.server);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#bucket = new TokenBucket(options.rateLimit ?? DEFAULT_RATE_LIMIT, this.#clock);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#userAgent = options.userAgent ?? 'kubectl-kd';
    this.#onRetry = options.onRetry;
    this.#agent = agentFor(this.#base, options.credentials.proxy, definedOnly(options.credentials.tls));
    this.#agents.push(this.#agent);
  }

  /**
   * The server's clock now, as a lower bound: the latest `Date` header received plus the time
   * elapsed since on this transport's clock. Undefined before the first answer, or when the
   * server sends no `Date`. (`Date` has whole seconds: the estimate may lag by up to a second.)
   */
  serverNow(): number | undefined {
    const d = this.#serverDate;
    return d === undefined ? undefined : d.date + Math.max(0, this.#clock.now() - d.at);
  }

  #observeDate(header: string | undefined): void {
    if (header === undefined) return;
    const date = Date.parse(header);
    if (Number.isNaN(date)) return;
    // Keep the tighter lower bound: an older answer arriving late must not move the estimate back.
    const current = this.serverNow();
    if (current === undefined || date > current) this.#serverDate = { date, at: this.#clock.now() };
  }

  /** The agent for the current client certificate (an exec plugin may rotate it: new connections then). */
  async #agentForRequest(): Promise<http.Agent> {
    const source = this.#credentials.clientCertificate;
    if (!source) return this.#agent;
    const pair = await source.call(this.#credentials);
    if (pair === undefined || (this.#agentCert && this.#agentCert.cert.equals(pair.cert) && this.#agentCert.key.equals(pair.key))) return this.#agent;
    this.#agentCert = pair;
    this.#agent = agentFor(this.#base, this.#credentials.proxy, { ...definedOnly(this.#credentials.tls), cert: pair.cert, key: pair.key });
    this.#agents.push(this.#agent);
    return this.#agent;
  }

  get clock(): ClusterClock {
    return this.#clock;
  }

  get retryOptions(): RetryOptions {
    return this.#retry;
  }

  /** Sends a request, retrying what may succeed later; resolves with a 2xx response or throws ClusterRequestError. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let error: ClusterRequestError;
      try {
        const res = await this.#attempt(req);
        if (res.status >= 200 && res.status < 300) return { ...res, attempts: attempt };
        error = statusError(req.subject, res.status, res.body, parseRetryAfter(res.headers['retry-after']));
      } catch (e) {
        if (!(e instanceof ClusterRequestError)) throw e;
        error = e;
      }
      if (attempt > this.#retry.maxRetries || !isRetryable(error, req.retryClass ?? 'read')) {
        error.attempts = attempt;
        throw error;
      }
      const delayMs = retryDelayMs(attempt, error, this.#retry, this.#random);
      this.#onRetry?.({ subject: req.subject, attempt, delayMs, error });
      await this.#clock.sleep(delayMs, req.signal);
    }
  }

  /** Opens a streaming response (a watch) in one attempt; a non-2xx answer becomes a ClusterRequestError. */
  async open(req: HttpRequest): Promise<http.IncomingMessage> {
    await this.#bucket.acquire(req.signal);
    const { request, response } = await this.#send(req, undefined);
    if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300) return response;
    const body = await readBody(response, req, request, this.server);
    throw statusError(req.subject, response.statusCode ?? 0, body, parseRetryAfter(response.headers['retry-after']));
  }

  /**
   * One attempt whose answer is returned whatever its status (a health check reads a pod's 503
   * through the proxy subresource as an answer, not as a failure to retry). Network errors and
   * aborts still throw.
   */
  async once(req: HttpRequest): Promise<Omit<HttpResponse, 'attempts'>> {
    return this.#attempt(req);
  }

  /**
   * Opens a WebSocket to `path` (pods/exec) with this connection's credentials, TLS options and
   * proxy, offering `protocols`; resolves once the server accepted the upgrade. `setup` attaches
   * the consumer's listeners at once: a server may send its messages with the upgrade answer,
   * before a promise continuation could attach them.
   */
  async openWebSocket(req: Pick<HttpRequest, 'path' | 'query' | 'subject' | 'signal'>, protocols: string[], setup: (ws: WebSocket) => void): Promise<WebSocket> {
    if (req.signal?.aborted) throw abortReason(req.signal);
    await this.#bucket.acquire(req.signal);
    const url = new URL(this.#base.pathname.replace(/\/$/, '') + req.path, this.#base);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v as readonly string[]) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const agent = await this.#agentForRequest();
    if (agent instanceof ForwardingAgent)
      throw networkError(req.subject, this.server, Object.assign(new Error('WebSocket connections through an http proxy to a plain-http server are not supported'), { code: 'EPROTO' }));
    const headers = { 'User-Agent': this.#userAgent, ...(await this.#credentials.headers()) } as Record<string, string>;
    // ws is loaded on first use: only pods/exec hooks open WebSockets, and start-up should not pay for it.
    const { default: WebSocketClass } = await import('ws');
    const ws = new WebSocketClass(url, protocols, { agent, headers, ...definedOnly(this.#credentials.tls), handshakeTimeout: this.#timeoutMs });
    setup(ws);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        req.signal?.removeEventListener('abort', onAbort);
        f();
      };
      const onAbort = () => {
        settle(() => reject(abortReason(req.signal!)));
        ws.terminate();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => settle(() => resolve(ws)));
      ws.once('unexpected-response', (request, response) => {
        // The refusal's Status is the error; nothing after it (the aborted socket) is.
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          settle(() => reject(statusError(req.subject, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), undefined)));
          request.destroy();
        });
        response.on('error', (e) => settle(() => reject(networkError(req.subject, this.server, e))));
      });
      ws.on('error', (e) => settle(() => reject(req.signal?.aborted ? abortReason(req.signal) : networkError(req.subject, this.server, e))));
    });
  }

  /**
   * Ends this transport's connections: those carrying a request at once (the request fails), the
   * idle kept-alive ones IDLE_CLOSE_MS later, on a timer that does not hold the process open (the
   * agent unrefs idle sockets too). A command that ends right after (every CLI run) so leaves them
   * to the operating system at exit instead of tearing each TLS connection down first, which was
   * about a millisecond of the end of a drift; a long-lived process (kd-lsp, `apply --watch`,
   * tests) sees them closed a moment later.
   */
  close(): void {
    const agents = [...this.#agents];
    for (const agent of agents) for (const sockets of Object.values(agent.sockets)) for (const socket of sockets ?? []) socket.destroy();
    setTimeout(() => {
      for (const agent of agents) agent.destroy();
    }, IDLE_CLOSE_MS).unref();
  }

  async #attempt(req: HttpRequest): Promise<Omit<HttpResponse, 'attempts'>> {
    await this.#bucket.acquire(req.signal);
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    const { request, response } = await this.#send(req, timeoutMs);
    const body = await readBody(response, req, request, this.server);
    return { status: response.statusCode ?? 0, headers: response.headers, body };
  }

  async #send(req: HttpRequest, timeoutMs: number | undefined): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
    if (req.signal?.aborted) throw abortReason(req.signal);
    const url = new URL(this.#base.pathname.replace(/\/$/, '') + req.path, this.#base);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v as readonly string[]) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string | string[]> = {
      Accept: req.accept ?? 'application/json',
      'User-Agent': this.#userAgent,
      ...(await this.#credentials.headers()),
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const lib = url.protocol === 'https:' ? httpsModule() : http;
    const agent = await this.#agentForRequest();
    return new Promise((resolve, reject) => {
      let settled = false;
      const request =
        agent instanceof ForwardingAgent
          ? http.request({ ...forwardedRequest(agent, url, headers), method: req.method, agent })
          : lib.request(url, { method: req.method, headers, agent });
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(e);
      };
      const onAbort = () => {
        const reason = abortReason(req.signal!);
        request.destroy();
        fail(reason);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const e = Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`), { code: 'ETIMEDOUT' });
              request.destroy(e);
            }, timeoutMs);
      const cleanup = () => {
        req.signal?.removeEventListener('abort', onAbort);
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (e) => {
        if (timer) clearTimeout(timer);
        fail(req.signal?.aborted ? abortReason(req.signal) : networkError(req.subject, this.server, e));
      });
      request.on('response', (response) => {
        if (settled) {
          response.destroy();
          return;
        }
        settled = true;
        cleanup();
        this.#observeDate(response.headers.date);
        if (response.statusCode === 401) this.#credentials.unauthorized?.(headers['Authorization'] as string | undefined);
        // The timer keeps running until the body is read (readBody clears it through 'close').
        if (timer) response.once('close', () => clearTimeout(timer));
        resolve({ request, response });
      });
      request.end(req.body);
    });
  }
}

// Through require(): node:stream is loaded with node:http already, and an ESM import would build
// its facade, whose `promises` getter loads node:stream/promises (scripts/build.mjs).
const { finished } = createRequire(import.meta.url)('node:stream') as typeof import('node:stream');

async function readBody(response: http.IncomingMessage, req: HttpRequest, request: http.ClientRequest, server: string): Promise<string> {
  const signal = req.signal;
  const chunks: Buffer[] = [];
  const onAbort = () => {
    request.destroy();
    response.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Collected from 'data' events until the stream is finished (end-of-stream decides, as it does
    // for `for await`, with the same errors): the async iterator's machinery, a promise per
    // chunk, was a visible share of reading a run's answers.
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      finished(response, (error) => (error ? reject(error) : resolve()));
    });
  } catch (e) {
    if (signal?.aborted) throw abortReason(signal);
    throw networkError(req.subject, server, e);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw abortReason(signal);
  if (!response.complete) throw networkError(req.subject, server, Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
  return Buffer.concat(chunks).toString('utf8');
}
