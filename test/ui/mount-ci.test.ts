/**
 * The real watch screen (Ink, not its debug mode) on a fake 80×24 terminal, in a process with `CI`
 * set: the screen must still draw its live frame, not only the `<Static>` lines. This is how the
 * end-to-end test once failed: a run with `CI` set showed `revision 1 succeeded …` and 23 blank
 * rows for 40 s, because Ink, guessing from `CI`, held the live frame back until unmount.
 */
import { afterEach, expect, test, vi } from 'vitest';

// Before Ink (and is-in-ci, read once when loaded) is imported below.
vi.hoisted(() => {
  process.env.CI = 'true';
});

import type { ApplyEvent } from '../../src/index.js';
import { mountWatchScreen, type MountedScreen } from '../../plugin/ui/mount.js';
import { initialView } from '../../plugin/ui/view-model.js';
import { ViewStore } from '../../plugin/ui/view-store.js';
import { WALL, applied, entry, plan, until, utcClock } from './support.js';
import { FakeKeyboard, FakeTerminal } from './terminal.js';

const ns = entry('Namespace', 'shop', { namespace: '' });
const config = entry('ConfigMap', 'shop-config');
const web = entry('Deployment', 'web', { wave: 1 });
const T = 1_000_000;

const firstApply: ApplyEvent[] = [
  { type: 'plan', at: T, plan: plan({ preApply: [ns], waves: [[0, [config]], [1, [web]]] }), release: { name: 'shop', namespace: 'shop' }, dryRun: 'none' },
  { type: 'object-applied', at: T + 100, ref: ns.ref, stage: 'pre-apply', action: 'create' },
  { type: 'health-changed', at: T + 150, ref: ns.ref, status: 'Current', reason: 'Active', message: 'namespace is active' },
  { type: 'wave-started', at: T + 200, wave: 0, objects: 1 },
  { type: 'object-applied', at: T + 300, ref: config.ref, stage: 'wave', wave: 0, action: 'create' },
  { type: 'health-changed', at: T + 350, ref: config.ref, status: 'Current', reason: 'Applied', message: 'applied' },
  { type: 'wave-finished', at: T + 400, wave: 0, ok: true, durationMs: 200 },
  { type: 'wave-started', at: T + 400, wave: 1, objects: 1 },
  { type: 'object-applied', at: T + 500, ref: web.ref, stage: 'wave', wave: 1, action: 'create' },
  { type: 'health-changed', at: T + 600, ref: web.ref, status: 'InProgress', reason: 'Rollout', message: '1 of 2', ready: { ready: 1, desired: 2 } },
  { type: 'health-changed', at: T + 3900, ref: web.ref, status: 'Current', reason: 'Available', message: '2 of 2', ready: { ready: 2, desired: 2 } },
  { type: 'wave-finished', at: T + 3900, wave: 1, ok: true, durationMs: 3500 },
  { type: 'done', at: T + 4000, status: 'succeeded', revision: 1, durationMs: 4000, counts: { applied: 3, unchanged: 0, pruned: 0, hooks: 0 } },
];

let mounted: { screen: MountedScreen; store: ViewStore } | undefined;

afterEach(async () => {
  mounted?.store.dispose();
  await mounted?.screen.unmount();
  mounted = undefined;
});

function mount() {
  const terminal = new FakeTerminal(80, 24);
  const keyboard = new FakeKeyboard();
  const store = new ViewStore(initialView({ context: 'kind-dev', namespace: 'shop', release: 'shop' }), { env: { formatClock: utcClock }, clock: () => T });
  const actions = { quit: () => {}, applyNow: () => {}, applyWithForce: () => {}, togglePause: () => {}, diff: () => {}, events: () => {} };
  const streams = { stdout: terminal as unknown as NodeJS.WriteStream, stdin: keyboard as unknown as NodeJS.ReadStream, stderr: new FakeTerminal(80, 24) as unknown as NodeJS.WriteStream };
  const screen = mountWatchScreen({ store, actions, theme: { color: false }, formatClock: utcClock }, streams);
  mounted = { screen, store };
  return { terminal, store };
}

test('with CI set, the live frame is drawn on a terminal: header, plan and key bar, before and after the apply', async () => {
  expect(process.env.CI).toBe('true');
  const { terminal, store } = mount();
  store.dispatch({ type: 'watching', at: WALL, roots: ['shop'] });
  store.dispatch({ type: 'validated', at: WALL, diagnostics: [], errors: 0, objects: 3 });
  store.dispatch({ type: 'apply-started', at: WALL, trigger: 'start' });
  for (const e of applied(firstApply.slice(0, 10))) store.dispatch(e);
  // Ink draws on its own schedule: wait for the frame itself, not for a guessed time.
  await until(() => expect(terminal.text()).toMatch(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/));
  expect(terminal.text()).toMatch(/^kd apply --watch context kind-dev namespace shop release shop\nrevision -  . applying  last apply -\n/);

  for (const e of applied(firstApply.slice(10), WALL + 10_000)) store.dispatch(e);
  await until(() => expect(terminal.screen()[0]).toBe('09:30:12 revision 1 succeeded in 4.0s (3 applied, 0 unchanged)'));
  const rows = terminal.screen();
  expect(rows[0]).toBe('09:30:12 revision 1 succeeded in 4.0s (3 applied, 0 unchanged)');
  expect(rows[1]).toBe('kd apply --watch context kind-dev namespace shop release shop');
  expect(rows[2]).toBe('revision 1  ● watching  last apply 09:30:12 succeeded in 4.0s');
  expect(rows).toContain('  ✓ Deployment shop/web                      create     healthy 2/2         3.4s');
  expect(rows.filter((r) => r.startsWith('q quit'))).toHaveLength(1);
  expect(terminal.history).toEqual([]);
});

test('a burst of events in one tick (a loaded machine catching up) still ends on the final frame, and unmount leaves it', async () => {
  const { terminal, store } = mount();
  store.dispatch({ type: 'watching', at: WALL, roots: ['shop'] });
  store.dispatch({ type: 'apply-started', at: WALL, trigger: 'start' });
  for (const e of applied(firstApply)) store.dispatch(e);
  await until(() => expect(terminal.screen()[2]).toBe('revision 1  ● watching  last apply 09:30:12 succeeded in 4.0s'));
  const final = terminal.screen();
  expect(final[2]).toBe('revision 1  ● watching  last apply 09:30:12 succeeded in 4.0s');
  expect(final.filter((r) => r.includes('revision 1 succeeded'))).toHaveLength(1);

  const { screen } = mounted!;
  mounted = undefined;
  store.dispose();
  await screen.unmount();
  expect(terminal.screen()).toEqual(final);
  expect(terminal.cursorVisible).toBe(true);
});
