/**
 * Runs an apply request through the executor and prints its events as they come, as text lines
 * or JSON lines: how `apply` and `rollback` report a run. The exit code is the `done` event's;
 * a stream that ends without one is an error.
 */
import { exitForApply } from '../exit-codes.js';
import { executorDeps, runApply, type ApplyEvent, type ApplyRequest, type ExecutorTarget } from '../../src/index.js';
import { stdoutStyle, type CommandContext } from '../context.js';
import { formatEventJsonl } from '../output/events-jsonl.js';
import { eventsTextFormatter } from '../output/events-text.js';
import type { RunNotifier } from '../notify.js';

export interface EventOutputOptions {
  output: 'text' | 'jsonl';
  color?: boolean;
  verbose: boolean;
  /** `--notify`: sent once the run is done, before the exit code is returned (its problems are warnings). */
  notifier?: RunNotifier;
}

export async function applyAndPrint(request: ApplyRequest, target: ExecutorTarget, ctx: CommandContext, options: EventOutputOptions): Promise<number> {
  const print = options.output === 'jsonl' ? formatEventJsonl : eventsTextFormatter({ style: stdoutStyle(ctx, options.color), verbose: options.verbose });
  let last: ApplyEvent | undefined;
  for await (const event of runApply(request, executorDeps(target, ctx.signal))) {
    // The stack of an internal error is for --verbose only.
    const text = print(event.type === 'done' && event.failure?.detail && !options.verbose ? { ...event, failure: withoutDetail(event.failure) } : event);
    if (text) ctx.stdout.write(text);
    options.notifier?.observe(event);
    last = event;
  }
  await options.notifier?.send(ctx, options.color);
  return exitForApply(last?.type === 'done' ? last : undefined);
}

function withoutDetail<T extends { detail?: string }>(failure: T): Omit<T, 'detail'> {
  const { detail: _dropped, ...rest } = failure;
  return rest;
}
