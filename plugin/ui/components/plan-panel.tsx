/**
 * The plan as waves, one row per object: kind/name, action, health (spinner while it runs, ready
 * counts), elapsed. Shows a window of `height` lines around the selected row. Props only.
 */
import { Box, Text } from 'ink';
import { SPINNER, bold, dim, fit, fitLeft, tone, type Theme, type Tone } from '../theme.js';
import { rowElapsed, type ObjectRow, type RowGroup } from '../view-model.js';

export interface PlanPanelProps {
  groups: readonly RowGroup[];
  selected: number;
  spinner: number;
  now: number;
  width: number;
  height: number;
  theme: Theme;
}

const ACTION = 11;
const HEALTH = 17;
const ELAPSED = 7;

type Line = { kind: 'group'; group: RowGroup } | { kind: 'row'; row: ObjectRow; index: number };

export function PlanPanel({ groups, selected, spinner, now, width, height, theme }: PlanPanelProps) {
  if (groups.length === 0) return <Text {...dim(theme)}>no plan yet</Text>;
  const lines: Line[] = [];
  let index = 0;
  for (const g of groups) {
    lines.push({ kind: 'group', group: g });
    for (const row of g.rows) lines.push({ kind: 'row', row, index: index++ });
  }
  const window = windowAround(lines, selected, Math.max(1, height));
  const label = Math.max(10, width - 4 - ACTION - HEALTH - ELAPSED);
  return (
    <Box flexDirection="column">
      {window.above > 0 ? <Text {...dim(theme)}>{`  … ${window.above} more above`}</Text> : null}
      {window.lines.map((line) =>
        line.kind === 'group' ? (
          <Text key={`g:${line.group.title}`} wrap="truncate-end" {...bold(theme)}>
            {line.group.title}
            <Text {...tone(theme, groupTone(line.group))}>{groupMark(line.group, spinner)}</Text>
          </Text>
        ) : (
          <Text key={`r:${line.row.key}`} wrap="truncate-end" {...(line.index === selected && theme.color ? { inverse: true } : {})}>
            {line.index === selected ? '›' : ' '}
            {' '}
            <Text {...tone(theme, rowTone(line.row))}>{rowIcon(line.row, spinner)}</Text>
            {' '}
            {fit(line.row.label, label - 1)}{' '}
            <Text {...dim(theme)}>{fit(line.row.action, ACTION)}</Text>
            <Text {...tone(theme, rowTone(line.row))}>{fit(healthText(line.row), HEALTH)}</Text>
            <Text {...dim(theme)}>{fitLeft(rowElapsed(line.row, now), ELAPSED)}</Text>
          </Text>
        ),
      )}
      {window.below > 0 ? <Text {...dim(theme)}>{`  … ${window.below} more below`}</Text> : null}
    </Box>
  );
}

/**
 * The lines to show so the selected row is visible, with counts of rows left out; the "… more"
 * notes take a row each, and all of it fits in `height` (a taller plan would push the frame past
 * the terminal's last row). A group title just above the window is pulled in when there is room.
 */
function windowAround(lines: Line[], selected: number, height: number): { lines: Line[]; above: number; below: number } {
  if (lines.length <= height) return { lines, above: 0, below: 0 };
  const at = Math.max(0, lines.findIndex((l) => l.kind === 'row' && l.index === selected));
  const rowsIn = (ls: Line[]) => ls.filter((l) => l.kind === 'row').length;
  const attempt = (start: number, room: number) => {
    const above = rowsIn(lines.slice(0, start));
    const below = rowsIn(lines.slice(start + room));
    const fits = room + (above > 0 ? 1 : 0) + (below > 0 ? 1 : 0) <= height;
    return fits ? { lines: lines.slice(start, start + room), above, below } : undefined;
  };
  for (let room = Math.min(height, lines.length); room >= 1; room--) {
    const start = Math.max(0, Math.min(at - Math.floor((room - 1) / 2), lines.length - room));
    const withTitle = start > 0 && lines[start - 1]?.kind === 'group' && at < start - 1 + room ? attempt(start - 1, room) : undefined;
    const found = withTitle ?? attempt(start, room);
    if (found) return found;
  }
  return { lines: lines.slice(at, at + 1), above: 0, below: 0 };
}

function groupMark(g: RowGroup, spinner: number): string {
  if (g.state === 'running') return ` ${SPINNER[spinner % SPINNER.length]}`;
  if (g.state === 'done') return ' ✓';
  if (g.state === 'failed') return ' ✗';
  return '';
}

function groupTone(g: RowGroup): Tone | undefined {
  return g.state === 'done' ? 'ok' : g.state === 'failed' ? 'error' : g.state === 'running' ? 'info' : undefined;
}

function rowIcon(row: ObjectRow, spinner: number): string {
  switch (row.phase) {
    case 'waiting':
      return '·';
    case 'applying':
    case 'progressing':
      return SPINNER[spinner % SPINNER.length]!;
    case 'healthy':
      return '✓';
    case 'failed':
      return '✗';
    case 'unchanged':
      return '=';
    case 'pruned':
      return '-';
  }
}

function rowTone(row: ObjectRow): Tone | undefined {
  switch (row.phase) {
    case 'healthy':
      return 'ok';
    case 'failed':
      return 'error';
    case 'applying':
    case 'progressing':
      return 'info';
    case 'pruned':
      return 'warn';
    default:
      return undefined;
  }
}

const HEALTH_WORD: Record<string, string> = { Current: 'healthy', InProgress: 'progressing', Failed: 'failed', Terminating: 'terminating', NotFound: 'not found', Unknown: 'unknown' };

function healthText(row: ObjectRow): string {
  if (row.phase === 'pruned') return 'deleted';
  if (row.phase === 'failed' && !row.health) return 'failed';
  if (!row.health) return row.phase === 'applying' ? 'applying' : row.phase === 'healthy' ? 'done' : '';
  const ready = row.health.ready ? ` ${row.health.ready.ready}/${row.health.ready.desired}` : '';
  return `${HEALTH_WORD[row.health.state] ?? row.health.state}${ready}`;
}
