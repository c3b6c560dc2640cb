/**
 * The apply event stream as plain text, one line per event, for CI logs and non-TTY output (the
 * terminal UI is another consumer of the same stream). Lines are aligned: a time offset from the
 * start of the run, a fixed-width tag, then the message. Colours only through the Style given
 * (off when not a TTY). The plan is printed as its stable text form (`renderPlanText`); diffs as
 * they are (Secret values already masked by the executor).
 */
import { describeRef, renderPlanText, type ApplyEvent, type DoneEvent } from '../../src/index.js';
import { formatDiagnosticLine } from './diagnostics-text.js';
import type { Style } from './style.js';

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
  const lastStatus = new Map<string, string>();
  return (e) => {
    const origin = (start ??= e.at);
    const time = style.dim(formatElapsed(e.at - origin));
    const line = (tag: string, text: string, color: (s: string) => string = (s) => s) => `${time} ${color(tag.padEnd(TAG_WIDTH))} ${text}\n`;
    switch (e.type) {
      case 'plan': {
        const rollback = e.operation === 'rollback' ? ' (rollback)' : '';
        const head = e.release ? `release ${e.release.namespace}/${e.release.name}${rollback}${e.dryRun !== 'none' ? ` (dry run: ${e.dryRun})` : ''}` : e.dryRun !== 'none' ? `dry run: ${e.dryRun}` : '';
        return (head ? line('plan', head) : '') + indent(renderPlanText(e.plan));
      }
      case 'diagnostics':
        // The same lines `kubectl kd validate` prints, so a failed apply reads like a failed validate.
        return e.diagnostics.map((d) => `${formatDiagnosticLine(d, style)}\n`).join('');
      case 'wave-started':
        return line('wave', `wave ${e.wave}: ${e.objects} object${e.objects === 1 ? '' : 's'}`, style.bold);
      case 'wave-finished':
        return line('wave', `wave ${e.wave} ${e.ok ? 'healthy' : 'failed'} after ${formatDuration(e.durationMs)}`, e.ok ? style.green : style.red);
      case 'object-applied': {
        const dry = e.dryRun ? ' (server dry run)' : '';
        const action = e.action === 'namespace-created' ? 'created (namespace)' : e.action === 'create' ? 'created' : e.action === 'update' ? 'configured' : e.action;
        return line('apply', `${describeRef(e.ref)} ${action}${dry}`, e.action === 'unchanged' ? style.dim : (s) => s);
      }
      case 'health-changed': {
        const key = describeRef(e.ref);
        const previous = lastStatus.get(key);
        lastStatus.set(key, e.status);
        if (!options.verbose && previous === e.status && e.status !== 'Failed') return '';
        const ready = e.ready ? ` ${e.ready.ready}/${e.ready.desired}` : '';
        const color = e.status === 'Current' ? style.green : e.status === 'Failed' ? style.red : style.yellow;
        return line('health', `${key} ${color(e.status)}${ready}: ${e.message}`);
      }
      case 'hook-started':
        return line('hook', `${e.phase} hook ${describeRef(e.ref)} started (weight ${e.weight})`, style.cyan);
      case 'hook-finished':
        return line('hook', `${e.phase} hook ${describeRef(e.ref)} ${e.ok ? 'succeeded' : `failed: ${e.message}`}${e.deleted ? ' (deleted)' : ''}`, e.ok ? style.cyan : style.red);
      case 'retry':
        return line('retry', `${e.request}: ${e.reason}, attempt ${e.attempt + 1} in ${formatDuration(e.delayMs)}`, style.dim);
      case 'prune':
        return line('prune', `${describeRef(e.ref)} ${e.result === 'gone' ? 'already gone' : 'deleted'}${e.dryRun ? ' (dry run)' : ''}`, style.yellow);
      case 'object-deleted':
        return line('delete', `${describeRef(e.ref)} ${e.result === 'gone' ? 'already gone' : 'deleted'}`, style.yellow);
      case 'diff':
        return e.diff.endsWith('\n') ? e.diff : `${e.diff}\n`;
      case 'warning':
        return line('warning', e.message, style.yellow);
      case 'object-failed': {
        const head = line('failed', `${describeRef(e.ref)}: ${e.reason}: ${e.message}`, style.red);
        const events = e.events.map((ev) => `${' '.repeat(time.length + TAG_WIDTH + 2)}${style.dim(ev)}\n`).join('');
        return head + (e.events.length > 0 ? `${' '.repeat(time.length + TAG_WIDTH + 2)}${style.dim('recent events:')}\n${events}` : '');
      }
      case 'done':
        return doneText(e, line, style, options.verbose ?? false);
    }
  };
}

function doneText(e: DoneEvent, line: (tag: string, text: string, color?: (s: string) => string) => string, style: Style, verbose: boolean): string {
  const c = e.counts;
  const counts = `${c.applied} applied, ${c.unchanged} unchanged${c.pruned ? `, ${c.pruned} pruned` : ''}${c.hooks ? `, ${c.hooks} hooks` : ''}`;
  const revision = e.revision !== undefined ? `${e.unchanged ? 'unchanged: ' : ''}revision ${e.revision}, ` : '';
  if (e.status === 'succeeded') return line('done', `succeeded in ${formatDuration(e.durationMs)} (${revision}${counts})`, style.green);
  const head = line('done', `${e.status} after ${formatDuration(e.durationMs)} (${revision}${counts}): ${e.failure?.message ?? ''}`, e.status === 'interrupted' ? style.yellow : style.red);
  const detail = verbose && e.failure?.detail ? `${e.failure.detail}\n` : '';
  return head + detail + (e.failure?.hint ? line('hint', e.failure.hint, style.dim) : '');
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
