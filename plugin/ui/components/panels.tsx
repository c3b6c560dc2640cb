/** The smaller panels of the watch screen: problems, drift, event log, key bar, help, detail. Props only. */
import { Box, Text } from 'ink';
import type { Diagnostic } from '../../../src/index.js';
import { formatDiagnosticLine } from '../../output/diagnostics-text.js';
import { makeStyle } from '../../output/style.js';
import { bold, dim, tone, type Theme } from '../theme.js';
import { describeDrift, type LogLine } from '../view-model.js';
import type { DriftEntry } from '../../watch/loop-events.js';

export function ProblemsPanel({ problems, height, theme }: { problems: readonly Diagnostic[]; height: number; theme: Theme }) {
  if (problems.length === 0 || height < 2) return null;
  const style = makeStyle(theme.color);
  const shown = problems.slice(0, height - 1);
  const errors = problems.filter((d) => d.severity === 'error').length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" {...bold(theme)} {...tone(theme, errors > 0 ? 'error' : 'warn')}>
        {`problems (${problems.length})${errors > 0 ? ': nothing applied' : ''}`}
      </Text>
      {shown.map((d, i) => (
        <Text key={i} wrap="truncate-end">
          {`  ${formatDiagnosticLine(d, style)}`}
        </Text>
      ))}
    </Box>
  );
}

/** A failed apply's field conflict, whole (wrapped, never cut), with what to do and the key for it. */
export function ConflictPanel({ conflict, theme }: { conflict: { message: string; hint?: string } | undefined; theme: Theme }) {
  if (!conflict) return null;
  return (
    <Box flexDirection="column">
      <Text wrap="wrap" {...bold(theme)} {...tone(theme, 'error')}>
        {`conflict: ${conflict.message}`}
      </Text>
      {conflict.hint ? <Text wrap="wrap">{`hint: ${conflict.hint}`}</Text> : null}
      <Text wrap="wrap" {...bold(theme)}>
        press F to apply again with --force-conflicts (kd takes the fields over)
      </Text>
    </Box>
  );
}

/** Rows the conflict panel takes at this width (its lines wrap). */
export function conflictRows(conflict: { message: string; hint?: string } | undefined, width: number): number {
  if (!conflict) return 0;
  const rows = (text: string) => Math.max(1, Math.ceil(text.length / Math.max(1, width)));
  return rows(`conflict: ${conflict.message}`) + (conflict.hint ? rows(`hint: ${conflict.hint}`) : 0) + rows('press F to apply again with --force-conflicts (kd takes the fields over)');
}

/** Three-way drift (files, last apply, cluster), one finding a line, with who changed the field. */
export function DriftPanel({ drift, height, theme, formatClock, selfHeal }: { drift: readonly DriftEntry[]; height: number; theme: Theme; formatClock: (ms: number) => string; selfHeal?: boolean }) {
  if (drift.length === 0 || height < 2) return null;
  const shown = drift.slice(0, height - 1);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" {...bold(theme)} {...tone(theme, 'warn')}>{`drift (${drift.length}): files ↔ last apply ↔ cluster${selfHeal ? ' · self-heal on' : ''}`}</Text>
      {shown.map((e, i) => (
        <Text key={i} wrap="truncate-end">{`  ${describeDrift(e, formatClock)}`}</Text>
      ))}
    </Box>
  );
}

export function LogPanel({ log, height, formatClock, theme }: { log: readonly LogLine[]; height: number; formatClock: (ms: number) => string; theme: Theme }) {
  if (height < 1 || log.length === 0) return null;
  const shown = log.slice(-height);
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          <Text {...dim(theme)}>{formatClock(l.at)} </Text>
          <Text {...tone(theme, l.level === 'ok' ? 'ok' : l.level === 'warning' ? 'warn' : l.level === 'error' ? 'error' : undefined)}>{l.text}</Text>
        </Text>
      ))}
    </Box>
  );
}

export function KeyBar({ paused, overlay, theme }: { paused: boolean; overlay: boolean; theme: Theme }) {
  const keys: Array<[string, string]> = overlay
    ? [['q', 'quit'], ['esc', 'close']]
    : [['q', 'quit'], ['a', 'apply now'], ['p', paused ? 'resume' : 'pause'], ['d', 'diff'], ['e', 'events'], ['↑↓', 'move'], ['?', 'help']];
  return (
    <Text wrap="truncate-end">
      {keys.map(([k, what], i) => (
        <Text key={k}>
          {i > 0 ? '  ' : ''}
          <Text {...bold(theme)}>{k}</Text>
          <Text {...dim(theme)}> {what}</Text>
        </Text>
      ))}
    </Text>
  );
}

export const HELP_LINES = [
  'kd re-applies the release whenever a watched file is saved:',
  '  changed files are read and validated again; with any error nothing is',
  '  applied and the cluster keeps the last good state; otherwise the changed',
  '  objects go through the waves, hooks and health gates of kubectl kd apply.',
  '  A save during an apply queues exactly one more apply.',
  '',
  '  q, ctrl-c   quit (a running apply is stopped cleanly, the lock released)',
  '  a           apply now (read everything again; also when nothing changed)',
  '  F           after a field conflict: apply again with --force-conflicts',
  '  p           pause / resume watching (saves while paused apply on resume)',
  '  d           diff of the selected object: the cluster now → the files',
  '  e           recent events of the selected object',
  '  ↑ ↓ j k     select an object',
  '  ?           this help; esc closes it',
];

export function DetailPanel({ title, lines, height, theme }: { title: string; lines: readonly string[]; height: number; theme: Theme }) {
  // The title takes a row, and when the lines are cut, so does the note saying how many.
  const room = Math.max(0, height - 1);
  const cut = lines.length > room;
  const shown = cut ? lines.slice(0, Math.max(0, room - 1)) : lines;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" {...bold(theme)}>
        {title}
      </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...tone(theme, l.startsWith('+') && !l.startsWith('+++') ? 'ok' : l.startsWith('-') && !l.startsWith('---') ? 'error' : undefined)}>
          {l === '' ? ' ' : l}
        </Text>
      ))}
      {cut && room > 0 ? <Text wrap="truncate-end" {...dim(theme)}>{`… ${lines.length - shown.length} more lines`}</Text> : null}
    </Box>
  );
}
