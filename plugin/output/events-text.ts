/**
 * The apply event stream as plain text, one line per event, for CI logs and non-TTY output (the
 * terminal UI is another consumer of the same stream). Lines are aligned: a time offset from the
 * start of the run, a fixed-width tag, then the message. Colours only through the Style given
 * (off when not a TTY). The plan is printed as its stable text form (`renderPlanText`); diffs as
 * they are (Secret values already masked by the executor).
 */
import { describeRef, renderPlanText, type ApplyEvent, type DoneEvent } from '../../src/index.js';
import { formatDiagnosticLine } from './diagnostics-text.js';
import { plural, type Style } from './style.js';

const TAG_WIDTH = 8;

export interface EventsTextOptions {
  style: Style;
  /** Where elapsed times count from; the first event's time by default. */
  startedAt?: number;
  /** Print every health change (default: only changes of status, and failures). */
  verbose?: boolean;
}

/** A stateful formatter: feed it events in order, it returns the text for each (possibly ''). */
export function eventsTextFormatter(options: EventsTextOptions): (event: ApplyEvent) => string {
  const { style } = options;
  let start = options.startedAt;
  const lastState = new Map<string, string>();
  // Objects whose failure was printed with its reason: the done line names them, not the reason again.
  const failed: string[] = [];
  // Counts per run as the events tell them: --atomic's rollback is a second run (a second plan
  // event) whose objects the executor's done counts add to the failed run's.
  const runs: Array<DoneEvent['counts']> = [];
  let dryRun: 'none' | 'client' | 'server' = 'none';
  // Objects a server dry run could not have checked (their namespace or CRD comes with the apply).
  let unchecked = 0;
  const run = () => runs[runs.length - 1] ?? (runs[0] = { applied: 0, unchanged: 0, pruned: 0, hooks: 0 });
  return (e) => {
    const origin = (start ??= e.at);
    const time = style.dim(formatElapsed(e.at - origin));
    const line = (tag: string, text: string, color: (s: string) => string = (s) => s) => `${time} ${color(tag.padEnd(TAG_WIDTH))} ${text}\n`;
    switch (e.type) {
      case 'plan': {
        runs.push({ applied: 0, unchanged: 0, pruned: 0, hooks: 0 });
        dryRun = e.dryRun;
        // A second plan is --atomic rolling the failed run back.
        const atomic = runs.length > 1 ? line('rollback', 'the apply failed: re-applying the last deployed revision (--atomic)', style.yellow) : '';
        const rollback = e.operation === 'rollback' ? ' (rollback)' : '';
        const head = e.release ? `release ${e.release.namespace}/${e.release.name}${rollback}${e.dryRun !== 'none' ? ` (dry run: ${e.dryRun})` : ''}` : e.dryRun !== 'none' ? `dry run: ${e.dryRun}` : '';
        return atomic + (head ? line('plan', head) : '') + indent(renderPlanText(e.plan));
      }
      case 'diagnostics':
        // The same lines `kubectl kd validate` prints, so a failed apply reads like a failed validate.
        return e.diagnostics.map((d) => `${formatDiagnosticLine(d, style)}\n`).join('');
      case 'wave-started':
        return line('wave', `wave ${e.wave}: ${e.objects} object${e.objects === 1 ? '' : 's'}`, style.bold);
      case 'wave-finished':
        return line('wave', `wave ${e.wave} ${e.ok ? 'healthy' : 'failed'} after ${formatDuration(e.durationMs)}`, e.ok ? style.green : style.red);
      case 'object-applied': {
        if (e.action === 'unchanged') run().unchanged++;
        else run().applied++;
        if (e.unchecked) unchecked++;
        const dry = e.dryRun ? (e.unchecked ? ` (server dry run; ${e.unchecked})` : ' (server dry run)') : '';
        const action = e.action === 'namespace-created' ? 'created (namespace)' : e.action === 'create' ? 'created' : e.action === 'update' ? 'configured' : e.action;
        return line('apply', `${describeRef(e.ref)} ${action}${dry}`, e.action === 'unchanged' ? style.dim : (s) => s);
      }
      case 'health-changed': {
        const key = describeRef(e.ref);
        const previous = lastState.get(key);
        lastState.set(key, e.status);
        if (!options.verbose && previous === e.status && e.status !== 'Failed') return '';
        // A failure is printed once, on its `failed` line with the object's events.
        if (!options.verbose && e.status === 'Failed') return '';
        const ready = e.ready ? ` ${e.ready.ready}/${e.ready.desired}` : '';
        const color = e.status === 'Current' ? style.green : e.status === 'Failed' ? style.red : style.yellow;
        return line('health', `${key} ${color(e.status)}${ready}: ${e.message}`);
      }
      case 'health-check': {
        // Each state once (attempts are many); --verbose shows every retry.
        const key = `${describeRef(e.ref)} check`;
        const previous = lastState.get(key);
        lastState.set(key, e.state);
        if (!options.verbose && previous === e.state && e.state === 'retrying') return '';
        const color = e.state === 'passed' ? style.green : e.state === 'failed' ? style.red : style.yellow;
        const retry = e.state === 'retrying' && e.delayMs !== undefined ? `, again in ${formatDuration(e.delayMs)}` : '';
        return line('health', `${describeRef(e.ref)} check ${e.check} ${color(e.state)}: ${e.message}${retry}`);
      }
      case 'hook-started':
        return line('hook', `${e.phase} hook ${describeRef(e.ref)} started (weight ${e.weight})`, style.cyan);
      case 'hook-finished': {
        run().hooks++;
        // A dry run does not run hooks: say so rather than "succeeded".
        const notRun = e.dryRun ? `not run (dry run${e.unchecked ? `; ${e.unchecked}` : ''})` : undefined;
        return line('hook', `${e.phase} hook ${describeRef(e.ref)} ${notRun ?? (e.ok ? 'succeeded' : `failed: ${e.message}`)}${e.deleted ? ' (deleted)' : ''}`, e.ok ? style.cyan : style.red);
      }
      case 'retry':
        return line('retry', `${e.request}: ${e.reason}, attempt ${e.attempt + 1} in ${formatDuration(e.delayMs)}`, style.dim);
      case 'prune':
        if (e.result !== 'gone') run().pruned++;
        return line('prune', `${describeRef(e.ref)} ${e.result === 'gone' ? 'already gone' : 'deleted'}${e.dryRun ? ' (dry run)' : ''}`, style.yellow);
      case 'object-deleted':
        return line('delete', `${describeRef(e.ref)} ${e.result === 'gone' ? 'already gone' : 'deleted'}`, style.yellow);
      case 'diff':
        return e.diff.endsWith('\n') ? e.diff : `${e.diff}\n`;
      case 'warning':
        return line('warning', e.message, style.yellow);
      case 'object-failed': {
        failed.push(describeRef(e.ref));
        const reason = e.message.includes(e.reason) ? e.message : `${e.reason}: ${e.message}`;
        const head = line('failed', `${describeRef(e.ref)}: ${reason}`, style.red);
        const events = e.events.map((ev) => `${' '.repeat(time.length + TAG_WIDTH + 2)}${style.dim(ev)}\n`).join('');
        return head + (e.events.length > 0 ? `${' '.repeat(time.length + TAG_WIDTH + 2)}${style.dim('recent events:')}\n${events}` : '');
      }
      case 'done':
        return doneText(e, line, style, failed, runs, dryRun, unchecked, options.verbose ?? false);
    }
  };
}

/** `3 applied, 1 unchanged, 1 pruned, 1 hook`: the done line's counts (the watch screen's too). */
export function formatCounts(c: DoneEvent['counts']): string {
  return `${c.applied} applied, ${c.unchanged} unchanged${c.pruned ? `, ${c.pruned} pruned` : ''}${c.deleted ? `, ${c.deleted} deleted` : ''}${c.hooks ? `, ${plural(c.hooks, 'hook')}` : ''}`;
}

function doneText(
  e: DoneEvent,
  line: (tag: string, text: string, color?: (s: string) => string) => string,
  style: Style,
  failed: readonly string[],
  runs: ReadonlyArray<DoneEvent['counts']>,
  dryRun: 'none' | 'client' | 'server',
  unchecked: number,
  verbose: boolean,
): string {
  let counts = runs.length > 1 ? `${formatCounts(runs[0]!)}; rolled back: ${formatCounts(runs[runs.length - 1]!)}` : formatCounts(e.counts);
  // A server dry run sent every object but wrote none: say what would have been. (A client dry
  // run sends nothing: its counts are zeros and the plan above says what would be done.)
  if (dryRun === 'server')
    counts = `dry run: ${dryRun}, nothing written; ${counts.replace(/(\d+) applied/, '$1 would be applied').replace(/(\d+) pruned/, '$1 would be pruned')}${unchecked ? `, ${unchecked} not checked by the server` : ''}`;
  const revision = e.revision !== undefined ? `${e.unchanged ? 'unchanged: ' : ''}revision ${e.revision}, ` : '';
  if (e.status === 'succeeded') return line('done', `succeeded in ${formatDuration(e.durationMs)} (${revision}${counts})`, style.green);
  const message = e.failure?.message ?? '';
  // The executor's message repeats the failed object's reason, printed just above: name the object.
  const named = failed.filter((ref) => message.startsWith(ref));
  const why = named.length > 0 ? `${named.join(', ')} failed (above)${afterFirstClause(message)}` : message;
  const head = line('done', `${e.status} after ${formatDuration(e.durationMs)} (${revision}${counts}): ${why}`, e.status === 'interrupted' ? style.yellow : style.red);
  const detail = verbose && e.failure?.detail ? `${e.failure.detail}\n` : '';
  return head + detail + (e.failure?.hint ? line('hint', e.failure.hint, style.dim) : '');
}

/** What the executor's message adds after its first clause (`...; rolled back to revision 1 as revision 3`), kept when the clause itself is replaced. */
function afterFirstClause(message: string): string {
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) return message.slice(i);
  }
  return '';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
}

/** `+12.3s` from the start of the run. */
function formatElapsed(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(1).padStart(5)}s`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
