/**
 * `apply --watch` off a TTY or with `--no-tui`: the loop's events as plain lines. The executor's
 * events go through the same formatter as `kubectl kd apply` (a fresh one per apply, so times
 * count from each apply's start); the watch's own events get lines in the same layout, tagged
 * `watch`, `drift`, `heal` or `skip`, with the wall-clock time.
 */
import { describeDrift } from '../ui/view-model.js';
import { formatDiagnosticLine } from '../output/diagnostics-text.js';
import { eventsTextFormatter } from '../output/events-text.js';
import type { Style } from '../output/style.js';
import type { LoopEvent } from './loop-events.js';

const TAG_WIDTH = 8;

export function plainWatchFormatter(options: { style: Style; verbose?: boolean; formatClock: (ms: number) => string }): (event: LoopEvent) => string {
  const { style } = options;
  let formatApply = eventsTextFormatter({ style, verbose: options.verbose ?? false });
  const line = (at: number, tag: string, text: string, color: (s: string) => string = (s) => s) => `${style.dim(options.formatClock(at))} ${color(tag.padEnd(TAG_WIDTH))} ${text}\n`;
  return (e) => {
    switch (e.type) {
      case 'watching':
        return line(e.at, 'watch', `watching ${e.roots.join(', ')} (q or ctrl-c to stop)`, style.bold);
      case 'files-changed': {
        const names = [...e.changed, ...e.removed.map((f) => `${f} (removed)`)];
        return line(e.at, 'watch', `changed: ${names.join(', ')}`);
      }
      case 'validated':
        if (e.errors > 0) return e.diagnostics.map((d) => `${formatDiagnosticLine(d, style)}\n`).join('');
        return line(e.at, 'watch', `valid: ${e.objects} object${e.objects === 1 ? '' : 's'}`);
      case 'skipped':
        return line(e.at, 'skip', e.reason, style.yellow);
      case 'queued':
        return line(e.at, 'watch', 'change queued: one more apply after this one');
      case 'apply-started':
        formatApply = eventsTextFormatter({ style, verbose: options.verbose ?? false });
        return line(e.at, 'watch', e.trigger === 'start' ? 'applying' : e.trigger === 'manual' ? 'applying (asked)' : e.trigger === 'heal' ? 're-applying to restore what changed in the cluster (--self-heal)' : 're-applying');
      case 'apply':
        // Validation problems were printed by `validated` already.
        return e.event.type === 'diagnostics' ? '' : formatApply(e.event);
      case 'paused':
        return line(e.at, 'watch', 'paused');
      case 'resumed':
        return line(e.at, 'watch', 'resumed');
      case 'drift':
        if (e.entries.length === 0) return line(e.at, 'drift', 'the cluster matches the files', style.green);
        return e.entries.map((d) => line(e.at, 'drift', describeDrift(d, options.formatClock), style.yellow)).join('');
      case 'healed':
        return line(e.at, 'heal', e.message, e.level === 'ok' ? style.green : style.yellow);
      case 'detail':
        return [line(e.at, 'detail', e.title), ...e.lines.map((l) => `${l}\n`)].join('');
      case 'notice':
        return line(e.at, e.level === 'info' ? 'watch' : e.level, e.message, e.level === 'error' ? style.red : e.level === 'warning' ? style.yellow : (s) => s);
    }
  };
}

/** Local time of day, `14:03:27`. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
