/**
 * The watch screen after a field conflict (issue 20): the server's message is shown whole
 * (wrapped, never cut with "…") with the --force-conflicts hint, `F` re-applies with force, and
 * `d` names what it compares: the object as applied before (rev N) and the files now.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { WatchScreen } from '../../plugin/ui/components/watch-screen.js';
import { WatchApp } from '../../plugin/ui/watch-app.js';
import { ViewStore } from '../../plugin/ui/view-store.js';
import { initialView, reduceView } from '../../plugin/ui/view-model.js';
import { applied, entry, plain, plan, recordingActions, until, utcClock } from './support.js';

afterEach(() => cleanup());

const web = entry('Deployment', 'web');
const MESSAGE =
  'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas (Deployment shop/web); another field manager changed these fields since kd applied them';
const HINT = 're-run with --force-conflicts to take these fields over, or remove the fields from your manifests so the other manager keeps them';

function conflictView() {
  let view = initialView({ context: 'c', namespace: 'shop', release: 'shop' });
  const events = applied([
    { type: 'plan', at: 1, plan: plan({ waves: [[0, [web]]] }), dryRun: 'none' },
    { type: 'done', at: 2, status: 'failed', failure: { kind: 'conflict', message: MESSAGE, hint: HINT }, revision: 3, durationMs: 5, counts: { applied: 0, unchanged: 0, pruned: 0, hooks: 0 } },
  ]);
  for (const e of events) view = reduceView(view, e, { formatClock: utcClock });
  return view;
}

test('a conflict is shown whole, wrapped, with the hint and the F key', () => {
  const view = conflictView();
  const app = render(<WatchScreen view={view} width={80} height={24} theme={{ color: false }} formatClock={utcClock} />);
  const frame = plain(app.lastFrame());
  const joined = frame.split('\n').map((l) => l.trimEnd()).join(' ').replace(/\s+/g, ' ');
  expect(joined).toContain(`conflict: ${MESSAGE}`);
  expect(joined).toContain(`hint: ${HINT}`);
  expect(joined).toContain('press F to apply again with --force-conflicts');
  // The panel's lines are never cut (the one-line log below may be: the panel holds the whole text).
  const panel = frame.slice(frame.indexOf('conflict: '), frame.indexOf('press F'));
  expect(panel).not.toContain('…');
  expect(frame.split('\n').length).toBeLessThanOrEqual(24);
});

test('F re-applies with force only after a conflict', async () => {
  const { calls, actions } = recordingActions();
  const store = new ViewStore({ ...conflictView(), state: 'watching' }, { env: { formatClock: utcClock }, clock: () => 1 });
  const app = render(<WatchApp store={store} actions={actions} theme={{ color: false }} formatClock={utcClock} />);
  app.stdin.write('F');
  await until(() => expect(calls).toEqual(['apply --force-conflicts']));
  store.update((v) => ({ ...v, conflict: undefined }));
  app.stdin.write('F');
  // Keys are read in order: once the help that `?` opens is shown, the F before it was handled.
  app.stdin.write('?');
  await until(() => expect(store.getSnapshot().overlay).toBeDefined());
  expect(calls).toEqual(['apply --force-conflicts']);
  store.dispose();
});
