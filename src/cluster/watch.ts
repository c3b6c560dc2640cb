/**
 * A watch that does not lose events: it lists first (unless told where to start), then follows
 * the stream; when the stream drops (server timeout, a proxy, a reset) it reopens from the last
 * resourceVersion it saw — bookmarks included — so nothing is missed or replayed; when the server
 * no longer has that history (410 Gone / Expired) it lists again and says so with a `SYNC`.
 *
 * Limits: consecutive failures to reopen are retried with backoff up to the transport's retry
 * budget, then the iteration throws. Aborting the signal or leaving the loop ends it quietly.
 */
import type http from 'node:http';
import type { KubeObject } from '../model/object-ref.js';
import type { KubeStatus } from '../model/status.js';
import { ClusterRequestError, statusError, type RequestSubject } from './errors.js';
import { isRetryable, retryDelayMs } from './retry.js';
import type { HttpTransport } from './transport.js';
import type { ListResult, WatchEvent } from './types.js';

export interface WatchPlan {
  transport: HttpTransport;
  /** The collection path: `/apis/apps/v1/namespaces/shop/deployments`. */
  path: string;
  query: Record<string, string | undefined>;
  subject: RequestSubject;
  list: () => Promise<ListResult>;
  resourceVersion?: string;
  signal?: AbortSignal;
  random?: () => number;
}

/** A stream that ended this quickly without delivering anything is reopened after a pause. */
const SHORT_STREAM_MS = 1000;

export async function* resumableWatch(plan: WatchPlan): AsyncGenerator<WatchEvent, void, undefined> {
  const { transport, signal } = plan;
  const clock = transport.clock;
  const random = plan.random ?? Math.random;
  const retry = transport.retryOptions;
  let rv = plan.resourceVersion;
  if (rv === undefined) {
    const listed = await plan.list();
    rv = listed.resourceVersion;
    yield { type: 'SYNC', reason: 'initial', objects: listed.items, resourceVersion: rv };
  }
  let failures = 0;
  let reopened = false;
  for (;;) {
    if (signal?.aborted) return;
    let stream: http.IncomingMessage;
    try {
      stream = await transport.open({
        method: 'GET',
        path: plan.path,
        query: {
          ...plan.query,
          watch: '1',
          allowWatchBookmarks: 'true',
          resourceVersion: rv,
          // Spread reconnects over time like client-go (5 to 10 minutes per stream).
          timeoutSeconds: String(Math.floor(300 + 300 * random())),
        },
        subject: plan.subject,
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (signal?.aborted) return;
      if (e instanceof ClusterRequestError && e.isGone) {
        rv = yield* relist(plan);
        reopened = false;
        continue;
      }
      if (!(e instanceof ClusterRequestError) || !isRetryable(e, 'read') || failures >= retry.maxRetries) throw e;
      failures++;
      await sleepQuietly(clock, retryDelayMs(failures, e, retry, random), signal);
      continue;
    }
    if (reopened) yield { type: 'RESUMED', resourceVersion: rv };
    const opened = clock.now();
    let delivered = 0;
    let gone = false;
    const onAbort = () => stream.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const event of readEvents(stream)) {
        const type = event.type;
        if (type === 'ERROR') {
          const status = event.object as KubeStatus;
          if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') {
            gone = true;
            break;
          }
          throw statusError(plan.subject, status.code ?? 500, JSON.stringify(status));
        }
        const objectRv = resourceVersionOf(event.object);
        if (objectRv) rv = objectRv;
        failures = 0;
        delivered++;
        if (type === 'BOOKMARK') yield { type: 'BOOKMARK', resourceVersion: rv };
        else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') yield { type, object: event.object as KubeObject };
      }
    } catch (e) {
      if (signal?.aborted) return;
      if (e instanceof ClusterRequestError && e.failure === 'status') throw e;
      // A broken stream (reset mid-body, bad chunk) is reopened like a closed one, after a pause.
      failures++;
      if (failures > retry.maxRetries) throw e;
      await sleepQuietly(clock, retry.baseDelayMs * (0.5 + random() / 2), signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stream.destroy();
    }
    if (signal?.aborted) return;
    if (gone) {
      rv = yield* relist(plan);
      reopened = false;
      continue;
    }
    reopened = true;
    if (delivered === 0 && clock.now() - opened < SHORT_STREAM_MS) await sleepQuietly(clock, retry.baseDelayMs * (0.5 + random() / 2), signal);
  }
}

async function* relist(plan: WatchPlan): AsyncGenerator<WatchEvent, string, undefined> {
  const listed = await plan.list();
  yield { type: 'SYNC', reason: 'expired', objects: listed.items, resourceVersion: listed.resourceVersion };
  return listed.resourceVersion;
}

async function sleepQuietly(clock: HttpTransport['clock'], ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch {
    // aborted: the loop checks the signal next
  }
}

function resourceVersionOf(object: unknown): string | undefined {
  const m = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  return typeof m?.resourceVersion === 'string' && m.resourceVersion !== '' ? m.resourceVersion : undefined;
}

interface RawEvent {
  type: string;
  object: unknown;
}

/** Newline-delimited JSON watch events from a response body. */
async function* readEvents(stream: http.IncomingMessage): AsyncGenerator<RawEvent> {
  let pending = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    pending += chunk as string;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line === '') continue;
      yield JSON.parse(line) as RawEvent;
    }
  }
  if (!stream.complete) throw Object.assign(new Error('the watch stream was cut off'), { code: 'ECONNRESET' });
  const rest = pending.trim();
  if (rest !== '') yield JSON.parse(rest) as RawEvent;
}
