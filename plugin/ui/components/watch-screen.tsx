/**
 * The whole watch screen for one `WatchView`: finished applies in `<Static>` (printed once, above,
 * never redrawn), then the live part sized to the terminal: header, plan, problems, drift, the
 * event log and the key bar. The live part is kept below the terminal's height so Ink redraws it
 * in place instead of clearing the screen (no flicker). Props only.
 */
import { Box, Static, Text } from 'ink';
import { tone, type Theme } from '../theme.js';
import type { WatchView } from '../view-model.js';
import { Header } from './header.js';
import { ConflictPanel, DetailPanel, DriftPanel, HELP_LINES, KeyBar, LogPanel, ProblemsPanel, conflictRows } from './panels.js';
import { PlanPanel } from './plan-panel.js';

export interface WatchScreenProps {
  view: WatchView;
  width: number;
  height: number;
  theme: Theme;
  formatClock: (ms: number) => string;
}

export function WatchScreen({ view, width, height, theme, formatClock }: WatchScreenProps) {
  const layout = screenLayout(view, height, width);
  return (
    <>
      <Static items={view.finished}>
        {(line) => (
          <Text key={line.id} {...tone(theme, line.level === 'ok' ? 'ok' : line.level === 'warning' ? 'warn' : 'error')}>
            {line.text}
          </Text>
        )}
      </Static>
      <Box flexDirection="column" width={width}>
        <Header view={view} theme={theme} />
        {view.overlay ? (
          <DetailPanel title={view.overlay.title} lines={view.overlay.lines} height={layout.body} theme={theme} />
        ) : (
          <>
            <PlanPanel groups={view.groups} selected={view.selected} spinner={view.spinner} now={view.now} width={width} height={layout.plan} theme={theme} />
            <ConflictPanel conflict={view.conflict} theme={theme} />
            <ProblemsPanel problems={view.problems} height={layout.problems} theme={theme} />
            <DriftPanel drift={view.drift} height={layout.drift} theme={theme} formatClock={formatClock} selfHeal={view.selfHeal === true} />
            <LogPanel log={view.log} height={layout.log} formatClock={formatClock} theme={theme} />
          </>
        )}
        <KeyBar paused={view.paused} overlay={view.overlay !== undefined} theme={theme} />
      </Box>
    </>
  );
}

export function helpOverlay(): { kind: 'help'; title: string; lines: string[] } {
  return { kind: 'help', title: 'help', lines: HELP_LINES };
}

/**
 * How the rows are shared: header 2 and key bar 1, one row left free (a frame as tall as the
 * terminal makes Ink clear the screen); problems, drift and the log get a small share each
 * (problems first: they say why nothing was applied); the plan the rest.
 */
export function screenLayout(view: Pick<WatchView, 'problems' | 'drift' | 'log'> & { conflict?: WatchView['conflict'] }, height: number, width = 80): { body: number; plan: number; problems: number; drift: number; log: number } {
  const body = Math.max(3, height - 4);
  // A conflict is shown whole: its rows come first, the other panels share the rest.
  let left = Math.max(3, body - conflictRows(view.conflict, width));
  const take = (want: number) => {
    const got = Math.max(0, Math.min(want, left - 2));
    left -= got;
    return got;
  };
  const problems = view.problems.length > 0 ? take(Math.min(view.problems.length + 1, 5)) : 0;
  const drift = view.drift.length > 0 ? take(Math.min(view.drift.length + 1, 4)) : 0;
  const log = take(Math.min(view.log.length, 4));
  return { body, plan: Math.max(1, left), problems, drift, log };
}
