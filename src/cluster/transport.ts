/**
 * HTTP to one API server: authentication and TLS from the kubeconfig (through
 * @kubernetes/client-node's KubeConfig, so exec plugins, token files and client certificates
 * work as in kubectl), client-side rate limiting, and retries with backoff. Bodies are passed
 * through as text: nothing here decodes objects into typed classes, so unknown fields survive.
 *
 * Every request waits for a rate-limit token, each retry too. Watch streams are opened with
 * `open` (one attempt, no timeout on the body); their resumption lives in watch.ts.
 * An aborted signal ends a request at once and rejects with the signal's reason, never retried.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { abortReason, systemClock, type ClusterClock, type RandomSource } from './clock.js';
import { ClusterRequestError, networkError, statusError, type RequestSubject } from './errors.js';
import { DEFAULT_RATE_LIMIT, TokenBucket, type RateLimitOptions } from './rate-limiter.js';
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

/** What the transport needs of a kubeconfig: where, how to trust it, and how to authenticate. */
export interface ServerCredentials {
  server: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string };
  /** Headers for each request (a bearer token from a file or exec plugin may change over time). */
  headers(): Promise<Record<string, string>>;
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
  readonly #agent: http.Agent;

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
    const tls = options.credentials.tls;
    this.#agent =
      this.#base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ...definedOnly(tls) })
        : new http.Agent({ keepAlive: true });
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

  /** Frees pooled connections; in-flight requests finish. */
  close(): void {
    this.#agent.destroy();
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
    const headers: Record<string, string> = {
      Accept: req.accept ?? 'application/json',
      'User-Agent': this.#userAgent,
      ...(await this.#credentials.headers()),
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const request = lib.request(url, { method: req.method, headers, agent: this.#agent });
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
        // The timer keeps running until the body is read (readBody clears it through 'close').
        if (timer) response.once('close', () => clearTimeout(timer));
        resolve({ request, response });
      });
      request.end(req.body);
    });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

async function readBody(response: http.IncomingMessage, req: HttpRequest, request: http.ClientRequest, server: string): Promise<string> {
  const signal = req.signal;
  const chunks: Buffer[] = [];
  const onAbort = () => {
    request.destroy();
    response.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
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

/**
 * Credentials from a loaded KubeConfig's current context. TLS material is read once; headers
 * are asked of the kubeconfig's authenticators on each request (they cache tokens themselves).
 */
export async function credentialsFromKubeConfig(kc: KubeConfig): Promise<ServerCredentials> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  // `applyOptions` is what applyToHTTPSOptions uses without building an agent (which refuses
  // plain-HTTP servers); it is private in the typings but stable across the 1.x and 2.x lines.
  const internals = kc as unknown as { applyOptions?: (o: Record<string, unknown>) => Promise<void> };
  const apply = async (): Promise<Record<string, unknown>> => {
    const opts: Record<string, unknown> = { headers: {} };
    if (typeof internals.applyOptions === 'function') await internals.applyOptions.call(kc, opts);
    else await kc.applyToHTTPSOptions(opts as never);
    return opts;
  };
  const first = await apply();
  const user = kc.getCurrentUser();
  const basic = user?.username ? `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}` : undefined;
  const tls: ServerCredentials['tls'] = {};
  if (Buffer.isBuffer(first.ca)) tls.ca = first.ca;
  if (Buffer.isBuffer(first.cert)) tls.cert = first.cert;
  if (Buffer.isBuffer(first.key)) tls.key = first.key;
  if (typeof first.rejectUnauthorized === 'boolean') tls.rejectUnauthorized = first.rejectUnauthorized;
  if (typeof first.servername === 'string') tls.servername = first.servername;
  const headersOf = (o: Record<string, unknown>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((o.headers as Record<string, unknown> | undefined) ?? {})) if (v !== undefined) out[k] = String(v);
    if (basic && out.Authorization === undefined) out.Authorization = basic;
    return out;
  };
  // Static credentials (certificates, a literal token) need not be re-derived per request.
  const dynamic = Boolean(user?.exec || user?.authProvider);
  const fixed = headersOf(first);
  return {
    server: cluster.server,
    tls,
    headers: dynamic ? async () => headersOf(await apply()) : async () => fixed,
  };
}
