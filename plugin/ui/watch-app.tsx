/**
 * The Ink root of `apply --watch`: reads the view from the store, the terminal size from Ink
 * (re-rendered on resize), and maps keys to the actions the runner gives it. All drawing is
 * WatchScreen's; all work (applying, diffing, listing events) is the runner's.
 */
import { useInput, useWindowSize } from 'ink';
import { useSyncExternalStore } from 'react';
import { WatchScreen, helpOverlay } from './components/watch-screen.js';
import type { Theme } from './theme.js';
import { moveSelection, selectedRow, type ObjectRow } from './view-model.js';
import type { ViewStore } from './view-store.js';

export interface WatchActions {
  quit(): void;
  applyNow(): void;
  /** `F` after a conflict: apply again with --force-conflicts. */
  applyWithForce(): void;
  togglePause(): void;
  diff(row: ObjectRow): void;
  events(row: ObjectRow): void;
}

export interface WatchAppProps {
  store: ViewStore;
  actions: WatchActions;
  theme: Theme;
  formatClock: (ms: number) => string;
}

export function WatchApp({ store, actions, theme, formatClock }: WatchAppProps) {
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useWindowSize();
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) return actions.quit();
    if (key.escape) return store.update((v) => (v.overlay ? { ...v, overlay: undefined } : v));
    if (input === '?') return store.update((v) => (v.overlay?.kind === 'help' ? { ...v, overlay: undefined } : { ...v, overlay: helpOverlay() }));
    if (input === 'a') return actions.applyNow();
    if (input === 'F' && store.getSnapshot().conflict) return actions.applyWithForce();
    if (input === 'p') return actions.togglePause();
    if (key.upArrow || input === 'k') return store.update((v) => moveSelection(v, -1));
    if (key.downArrow || input === 'j') return store.update((v) => moveSelection(v, 1));
    const row = selectedRow(store.getSnapshot());
    if (input === 'd') {
      if (store.getSnapshot().overlay?.kind === 'diff') return store.update((v) => ({ ...v, overlay: undefined }));
      if (row) actions.diff(row);
      return;
    }
    if (input === 'e') {
      if (store.getSnapshot().overlay?.kind === 'events') return store.update((v) => ({ ...v, overlay: undefined }));
      if (row) actions.events(row);
    }
  });
  return <WatchScreen view={view} width={Math.max(1, columns)} height={Math.max(8, rows)} theme={theme} formatClock={formatClock} />;
}
