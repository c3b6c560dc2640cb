/**
 * The edge of run notifications: `--notify URL` / `--notify-format` (or KD_NOTIFY, comma
 * separated), the HTTP POST behind the core's `NotificationSender` port, and the one call a
 * command makes after a run. Delivery problems are warnings on stderr; the exit code stays the run's.
 */
import type { ArgsBuilder } from './args/declare.js';
import {
  NotificationBuilder,
  deliverNotification,
  notifyUrlProblem,
  usageError,
  type ApplyEvent,
  type NotificationSender,
  type NotifyFormat,
  type NotifyOperation,
  type ReleaseRef,
} from '../src/index.js';
import { stderrStyle, type CommandContext } from './context.js';

export interface NotifyConfig {
  urls: string[];
  format: NotifyFormat;
}

/** Declares `--notify` and `--notify-format` on a command that runs on a release. */
export function withNotifyOptions(y: ArgsBuilder): ArgsBuilder {
  return y
    .option('notify', { type: 'string', array: true, describe: 'POST a JSON summary of each run to this URL (repeatable; or KD_NOTIFY, comma separated)' })
    .option('notify-format', { type: 'string', describe: 'json (kd.io/v1 RunNotification, the default) | slack ({"text": ...})' });
}

/** The flags, else KD_NOTIFY; undefined when nothing is to be notified. */
export function notifyConfigOf(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): NotifyConfig | undefined {
  const flag = ([] as unknown[]).concat(argv.notify ?? []).map(String).flatMap((u) => u.split(','));
  const fromEnv = flag.length === 0;
  const urls = (fromEnv ? (env['KD_NOTIFY'] ?? '').split(',') : flag).map((u) => u.trim()).filter((u) => u !== '');
  const format = String(argv['notify-format'] ?? 'json');
  if (format !== 'json' && format !== 'slack') throw usageError(`--notify-format must be json or slack, not "${format}"`);
  for (const url of urls) {
    const problem = notifyUrlProblem(url);
    if (problem !== undefined) throw usageError(`${fromEnv ? 'KD_NOTIFY' : '--notify'}: ${problem}`, 'give an http:// or https:// URL, e.g. --notify https://hooks.example.com/kd');
  }
  return urls.length === 0 ? undefined : { urls, format };
}

/** POST with fetch, aborted after the timeout. */
export const httpSender: NotificationSender = {
  async post(url, body, options) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': options.contentType, 'user-agent': 'kubectl-kd' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  },
};

/**
 * `apply --watch`: passes one revision's events through and, when its `done` has gone by, starts
 * its notification in the background (`pending` holds it until delivered), so a slow webhook
 * never holds up the next apply.
 */
export async function* notifyEach(
  events: AsyncIterable<ApplyEvent>,
  notifier: RunNotifier,
  pending: Set<Promise<void>>,
  onWarning: (message: string) => void,
): AsyncIterable<ApplyEvent> {
  for await (const event of events) {
    notifier.observe(event);
    yield event;
  }
  const delivery = notifier.deliver().then((warnings) => warnings.forEach(onWarning));
  pending.add(delivery);
  void delivery.finally(() => pending.delete(delivery));
}

/** The context as notifications name it: the kubeconfig context, or `kd-sim`. */
export function notifyContextOf(description: string): string {
  return description.startsWith('context ') ? description.slice('context '.length) : 'kd-sim';
}

/** Watches one run's events and, once it is done, sends its notification. */
export class RunNotifier {
  readonly #builder: NotificationBuilder;
  readonly #config: NotifyConfig;

  constructor(config: NotifyConfig, run: { release: ReleaseRef; context: string; operation: NotifyOperation }) {
    this.#config = config;
    this.#builder = new NotificationBuilder(run);
  }

  observe(event: ApplyEvent): void {
    this.#builder.observe(event);
  }

  /** Delivers the notification (when the run reached `done`); warnings go to stderr. Never throws. */
  async send(ctx: CommandContext, color?: boolean): Promise<void> {
    const warnings = await this.deliver(ctx.signal.aborted);
    const style = stderrStyle(ctx, color);
    for (const w of warnings) ctx.stderr.write(`${style.yellow('warning')}: ${w}\n`);
  }

  /**
   * Delivers the notification (when the run reached `done`); returns the warnings. Never throws.
   * `hurry`: kd was interrupted and must exit within 2 s: one short try, no backoff.
   */
  async deliver(hurry = false): Promise<string[]> {
    const doc = this.#builder.document();
    if (doc === undefined) return [];
    return deliverNotification(doc, {
      urls: this.#config.urls,
      format: this.#config.format,
      sender: httpSender,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...(hurry ? { tries: 1, timeoutMs: 1000 } : {}),
    }).catch((error: unknown) => [`the notification was not sent: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
