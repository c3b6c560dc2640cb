/** Keys of the watch screen: each maps to its action or view change (the app does no work itself). */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { WatchApp } from '../../plugin/ui/watch-app.js';
import { ViewStore } from '../../plugin/ui/view-store.js';
import { initialView, reduceView } from '../../plugin/ui/view-model.js';
import { WALL, applied, entry, plain, plan, recordingActions, until, utcClock } from './support.js';

afterEach(() => cleanup());

const web = entry('Deployment', 'web');
const worker = entry('Deployment', 'worker', { wave: 1 });

function setup() {
  const { calls, actions } = recordingActions();
  let view = initialView({ context: 'c', namespace: 'shop', release: 'shop' });
  for (const e of applied([{ type: 'plan', at: 1, plan: plan({ waves: [[0, [web]], [1, [worker]]] }), dryRun: 'none' }]))
    view = reduceView(view, e, { formatClock: utcClock });
  view = { ...view, state: 'watching' };
  const store = new ViewStore(view, { env: { formatClock: utcClock }, clock: () => 1 });
  const app = render(<WatchApp store={store} actions={actions} theme={{ color: false }} formatClock={utcClock} />);
  return { calls, store, app };
}

test('j and k (and the arrows) move the selection; d and e act on the selected row', async () => {
  const { calls, store, app } = setup();
  app.stdin.write('j');
  await until(() => expect(store.getSnapshot().selected).toBe(1));
  await until(() => expect(plain(app.lastFrame())).toMatch(/› · Deployment shop\/worker/));
  app.stdin.write('e');
  app.stdin.write('k');
  await until(() => expect(store.getSnapshot().selected).toBe(0));
  app.stdin.write('d');
  app.stdin.write('\u001b[B'); // down arrow
  await until(() => expect(store.getSnapshot().selected).toBe(1));
  expect(calls).toEqual(['events Deployment shop/worker', 'diff Deployment shop/web']);
  store.dispose();
});

test('? opens help and escape closes it; a, p and q reach the runner', async () => {
  const { calls, store, app } = setup();
  app.stdin.write('?');
  await until(() => expect(plain(app.lastFrame())).toContain('pause / resume watching'));
  app.stdin.write('\u001b');
  await until(() => expect(store.getSnapshot().overlay).toBeUndefined());
  app.stdin.write('a');
  app.stdin.write('p');
  app.stdin.write('q');
  await until(() => expect(calls).toEqual(['apply', 'pause', 'quit']));
  store.dispose();
});

test('the spinner timer runs only while something runs (an idle watch uses no CPU)', () => {
  // Timers on a manual clock: a quarter of a second passes when the test says so.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  try {
    const store = new ViewStore({ ...initialView({ context: 'c', namespace: 'n', release: 'r' }), state: 'watching' }, { env: { formatClock: utcClock }, clock: () => 0 });
    vi.advanceTimersByTime(250);
    expect(store.getSnapshot().spinner).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    store.dispatch({ type: 'apply-started', at: WALL, trigger: 'change' });
    vi.advanceTimersByTime(250);
    const spun = store.getSnapshot().spinner;
    expect(spun).toBeGreaterThan(0);
    store.dispatch({ type: 'apply', at: WALL, event: { type: 'done', at: 5, status: 'succeeded', durationMs: 5, counts: { applied: 0, unchanged: 0, pruned: 0, hooks: 0 } } });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(250);
    expect(store.getSnapshot().spinner).toBe(spun);
    store.dispose();
  } finally {
    vi.useRealTimers();
  }
});
