/** The two header lines: where the watch applies, and how the last apply went. Props only. */
import { Box, Text } from 'ink';
import { SPINNER, bold, dim, tone, type Theme } from '../theme.js';
import type { WatchView } from '../view-model.js';

export interface HeaderProps {
  view: Pick<WatchView, 'context' | 'namespace' | 'namespaces' | 'release' | 'revision' | 'state' | 'paused' | 'queued' | 'lastApply' | 'spinner'>;
  theme: Theme;
}

export function Header({ view, theme }: HeaderProps) {
  const state = stateText(view);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...bold(theme)}>kd apply --watch</Text>
        <Text {...dim(theme)}> context </Text>
        {view.context}
        <Text {...dim(theme)}>{(view.namespaces?.length ?? 0) > 1 ? ' namespaces ' : ' namespace '}</Text>
        {view.namespaces && view.namespaces.length > 0 ? view.namespaces.join(',') : view.namespace}
        <Text {...dim(theme)}> release </Text>
        {view.release}
      </Text>
      <Text wrap="truncate-end">
        <Text {...dim(theme)}>revision </Text>
        {view.revision ?? '-'}
        {'  '}
        <Text {...tone(theme, state.tone)}>{state.text}</Text>
        {view.queued ? <Text {...tone(theme, 'info')}> (+1 queued)</Text> : null}
        <Text {...dim(theme)}>  last apply </Text>
        {view.lastApply ? (
          <Text>
            {view.lastApply.time} <Text {...tone(theme, view.lastApply.ok ? 'ok' : 'error')}>{view.lastApply.text}</Text>
          </Text>
        ) : (
          '-'
        )}
      </Text>
    </Box>
  );
}

function stateText(view: HeaderProps['view']): { text: string; tone: 'ok' | 'warn' | 'error' | 'info' } {
  const spin = SPINNER[view.spinner % SPINNER.length]!;
  switch (view.state) {
    case 'starting':
      return { text: `${spin} starting`, tone: 'info' };
    case 'validating':
      return { text: `${spin} validating`, tone: 'info' };
    case 'applying':
      return { text: `${spin} applying`, tone: 'info' };
    case 'invalid':
      return { text: view.paused ? '■ invalid, paused' : '✗ invalid: fix and save', tone: 'error' };
    case 'stopping':
      return { text: `${spin} stopping`, tone: 'warn' };
    case 'watching':
      return view.paused ? { text: '■ paused', tone: 'warn' } : { text: '● watching', tone: 'ok' };
  }
}
