/**
 * Run notifications (`--notify URL`): after each run, one JSON document (`kd.io/v1`
 * `RunNotification`, schemas/run-notification.schema.json) derived from the run's event stream
 * alone — a consumer like the printers, so the executor knows nothing of it. Delivery goes
 * through `NotificationSender`, a port the command edge implements with HTTP; the sleep between
 * tries is injected. A notification that cannot be delivered comes back as a warning: it never
 * changes a run's outcome.
 *
 * What goes in: names, counts, times, and for failures each failed object with its reason and
 * message as the events carry them. Events never carry Secret values (events.ts), and diffs —
 * the one event with object contents, masked — are not used.
 */
import { describeRef } from '../model/index.js';
import type { ApplyEvent, DoneEvent, RunOutcome } from './events.js';
import type { ReleaseRef } from './ports.js';

export type NotifyOperation = 'apply' | 'rollback' | 'delete';
export type NotifyFormat = 'json' | 'slack';

export interface RunNotification {
  apiVersion: 'kd.io/v1';
  kind: 'RunNotification';
  release: string;
  namespace: string;
  /** The kubeconfig context, or `kd-sim`. */
  context: string;
  /** The revision written (or, for an unchanged apply, the one still in force); null when none. */
  revision: number | null;
  operation: NotifyOperation;
  status: RunOutcome;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: { applied: number; unchanged: number; pruned: number; hooks: number; deleted: number };
  unchanged?: boolean;
  /** Set when the run did not succeed. */
  failure?: {
    kind: string;
    message: string;
    objects: Array<{ object: string; kind: string; reason: string; message: string }>;
  };
}

/** Collects what a notification needs from a run's events; `document()` once `done` was seen. */
export class NotificationBuilder {
  readonly #release: ReleaseRef;
  readonly #context: string;
  #operation: NotifyOperation;
  #done: DoneEvent | undefined;
  #revision: number | undefined;
  readonly #failed: Array<{ object: string; kind: string; reason: string; message: string }> = [];

  constructor(options: { release: ReleaseRef; context: string; operation: NotifyOperation }) {
    this.#release = options.release;
    this.#context = options.context;
    this.#operation = options.operation;
  }

  observe(event: ApplyEvent): void {
    if (event.type === 'plan') {
      if (event.release?.revision !== undefined) this.#revision = event.release.revision;
      // An explicit rollback's plan says so; --atomic's second plan is part of the apply.
      if (event.operation === 'rollback' && this.#operation === 'apply' && this.#revision === undefined) this.#operation = 'rollback';
    } else if (event.type === 'object-failed') {
      this.#failed.push({ object: describeRef(event.ref), kind: event.kind, reason: event.reason, message: clip(event.message) });
    } else if (event.type === 'done') this.#done = event;
  }

  /** The notification of the finished run; undefined before `done`. */
  document(): RunNotification | undefined {
    const done = this.#done;
    if (done === undefined) return undefined;
    const revision = done.revision ?? this.#revision;
    const doc: RunNotification = {
      apiVersion: 'kd.io/v1',
      kind: 'RunNotification',
      release: this.#release.name,
      namespace: this.#release.namespace,
      context: this.#context,
      revision: revision ?? null,
      operation: this.#operation,
      status: done.status,
      startedAt: new Date(done.at - done.durationMs).toISOString(),
      finishedAt: new Date(done.at).toISOString(),
      durationMs: done.durationMs,
      counts: { applied: done.counts.applied, unchanged: done.counts.unchanged, pruned: done.counts.pruned, hooks: done.counts.hooks, deleted: done.counts.deleted ?? 0 },
    };
    if (done.unchanged) doc.unchanged = true;
    if (done.status !== 'succeeded')
      doc.failure = { kind: done.failure?.kind ?? done.status, message: clip(done.failure?.message ?? done.status), objects: [...this.#failed] };
    return doc;
  }
}

/** Slack's incoming-webhook form: one `text`. */
export function slackMessage(doc: RunNotification): { text: string } {
  const mark = doc.status === 'succeeded' ? ':white_check_mark:' : doc.status === 'interrupted' ? ':warning:' : ':x:';
  const rev = doc.revision === null ? '' : ` revision ${doc.revision}`;
  const lines = [
    `${mark} kd ${doc.operation} of release *${doc.release}* in ${doc.namespace} (${doc.context})${rev}: *${doc.status}* in ${(doc.durationMs / 1000).toFixed(1)}s`,
    `applied ${doc.counts.applied}, unchanged ${doc.counts.unchanged}, pruned ${doc.counts.pruned}, deleted ${doc.counts.deleted}, hooks ${doc.counts.hooks}`,
  ];
  if (doc.failure) {
    lines.push(`${doc.failure.kind}: ${doc.failure.message}`);
    for (const o of doc.failure.objects.slice(0, 10)) lines.push(`• ${o.object}: ${o.reason}${o.message ? ` (${o.message})` : ''}`);
  }
  return { text: lines.join('\n') };
}

/** The HTTP edge: POSTs a body, giving up after `timeoutMs`. Resolves with the status; rejects on a network error or timeout. */
export interface NotificationSender {
  post(url: string, body: string, options: { timeoutMs: number; contentType: string }): Promise<{ status: number }>;
}

export interface DeliveryOptions {
  urls: readonly string[];
  format: NotifyFormat;
  sender: NotificationSender;
  sleep: (ms: number) => Promise<void>;
  /** Per try; default 5 s. */
  timeoutMs?: number;
  /** Default 3. */
  tries?: number;
  /** Wait before the second try; doubled before each further one. Default 1 s. */
  backoffMs?: number;
}

export const NOTIFY_TIMEOUT_MS = 5000;
export const NOTIFY_TRIES = 3;

/**
 * Sends the document to every URL (in parallel), each with retries and backoff; returns one
 * warning per URL that could not be reached. URLs are named by origin only in warnings: a
 * webhook's path is often its secret.
 */
export async function deliverNotification(doc: RunNotification, options: DeliveryOptions): Promise<string[]> {
  const body = JSON.stringify(options.format === 'slack' ? slackMessage(doc) : doc);
  const tries = options.tries ?? NOTIFY_TRIES;
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  const results = await Promise.all(
    options.urls.map(async (url) => {
      let problem = '';
      let wait = options.backoffMs ?? 1000;
      for (let attempt = 1; attempt <= tries; attempt++) {
        try {
          const { status } = await options.sender.post(url, body, { timeoutMs, contentType: 'application/json' });
          if (status >= 200 && status < 300) return undefined;
          problem = `HTTP ${status}`;
          // A 4xx other than 408/429 will not get better by trying again.
          if (status >= 400 && status < 500 && status !== 408 && status !== 429) break;
        } catch (error) {
          problem = error instanceof Error ? error.message : String(error);
        }
        if (attempt < tries) {
          await options.sleep(wait);
          wait *= 2;
        }
      }
      return `the notification to ${originOf(url)} was not delivered (${problem}); the run's result is unchanged`;
    }),
  );
  return results.filter((w): w is string => w !== undefined);
}

/** `https://hooks.example.com` of a webhook URL, never its path or credentials. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unparsable URL';
  }
}

/** Checks a notification URL: http(s) only. Returns the problem, or undefined. */
export function notifyUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${originOf(url)}" is not an http or https URL`;
  return undefined;
}

function clip(text: string): string {
  return text.length <= 2000 ? text : `${text.slice(0, 1999)}…`;
}
