/**
 * The watch screen rendered from event sequences at a fixed size, colours off, compared with
 * golden frames in test/fixtures/ui/ (regenerate with KD_UPDATE_GOLDENS=1 and review the diff).
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ApplyEvent, Diagnostic } from '../../src/index.js';
import { WatchScreen } from '../../plugin/ui/components/watch-screen.js';
import { helpOverlay } from '../../plugin/ui/components/watch-screen.js';
import type { WatchView } from '../../plugin/ui/view-model.js';
import type { LoopEvent } from '../../plugin/watch/loop-events.js';
import { WALL, applied, entry, expectGolden, plain, plan, utcClock, viewOf } from './support.js';

afterEach(() => cleanup());

const ns = entry('Namespace', 'shop', { namespace: '' });
const migrate = entry('Job', '', { hook: true, generateName: 'shop-migrate-' });
const config = entry('ConfigMap', 'shop-config');
const web = entry('Deployment', 'web', { wave: 1 });
const webService = entry('Service', 'web', { wave: 1 });
const worker = entry('Deployment', 'worker', { wave: 2 });
const shopPlan = plan({ preApply: [ns, migrate], waves: [[0, [config]], [1, [webService, web]], [2, [worker]]] });
const T = 1_000_000; // executor clock

const createdJob = { ...migrate.ref, name: 'shop-migrate-x7k2p' };
const firstApplyUntilWave2: ApplyEvent[] = [
  { type: 'plan', at: T, plan: shopPlan, release: { name: 'shop', namespace: 'shop' }, dryRun: 'none' },
  { type: 'object-applied', at: T + 100, ref: ns.ref, stage: 'pre-apply', action: 'create' },
  { type: 'health-changed', at: T + 150, ref: ns.ref, status: 'Current', reason: 'Active', message: 'namespace is active' },
  { type: 'hook-started', at: T + 200, ref: migrate.ref, phase: 'pre-apply', weight: 0 },
  { type: 'object-applied', at: T + 300, ref: createdJob, stage: 'pre-apply', action: 'create' },
  { type: 'health-changed', at: T + 1700, ref: createdJob, status: 'Current', reason: 'Complete', message: 'job completed', ready: { ready: 1, desired: 1 } },
  { type: 'hook-finished', at: T + 1800, ref: createdJob, phase: 'pre-apply', ok: true, message: 'succeeded', deleted: true },
  { type: 'wave-started', at: T + 1800, wave: 0, objects: 1 },
  { type: 'object-applied', at: T + 1900, ref: config.ref, stage: 'wave', wave: 0, action: 'create' },
  { type: 'health-changed', at: T + 1950, ref: config.ref, status: 'Current', reason: 'Applied', message: 'applied' },
  { type: 'wave-finished', at: T + 2000, wave: 0, ok: true, durationMs: 200 },
  { type: 'wave-started', at: T + 2000, wave: 1, objects: 2 },
  { type: 'object-applied', at: T + 2100, ref: webService.ref, stage: 'wave', wave: 1, action: 'create' },
  { type: 'object-applied', at: T + 2200, ref: web.ref, stage: 'wave', wave: 1, action: 'create' },
  { type: 'health-changed', at: T + 2250, ref: webService.ref, status: 'Current', reason: 'Ready', message: 'ClusterIP service' },
  { type: 'health-changed', at: T + 2300, ref: web.ref, status: 'InProgress', reason: 'Rollout', message: '1 of 2 available', ready: { ready: 1, desired: 2 } },
  { type: 'health-changed', at: T + 3600, ref: web.ref, status: 'Current', reason: 'Available', message: '2 of 2', ready: { ready: 2, desired: 2 } },
  { type: 'wave-finished', at: T + 3600, wave: 1, ok: true, durationMs: 1600 },
  { type: 'wave-started', at: T + 3600, wave: 2, objects: 1 },
  { type: 'object-applied', at: T + 3700, ref: worker.ref, stage: 'wave', wave: 2, action: 'create' },
  { type: 'health-changed', at: T + 3800, ref: worker.ref, status: 'InProgress', reason: 'Rollout', message: '0 of 1 available', ready: { ready: 0, desired: 1 } },
];
const firstApplyDone: ApplyEvent[] = [
  { type: 'health-changed', at: T + 11_800, ref: worker.ref, status: 'Current', reason: 'Available', message: '1 of 1', ready: { ready: 1, desired: 1 } },
  { type: 'wave-finished', at: T + 11_800, wave: 2, ok: true, durationMs: 8200 },
  { type: 'done', at: T + 12_000, status: 'succeeded', revision: 1, durationMs: 12_000, counts: { applied: 6, unchanged: 0, pruned: 0, hooks: 1 } },
];

const start: LoopEvent[] = [
  { type: 'watching', at: WALL, roots: ['examples/shop'] },
  { type: 'validated', at: WALL, diagnostics: [], errors: 0, objects: 7 },
  { type: 'apply-started', at: WALL, trigger: 'start' },
];

const badReplicas: Diagnostic = {
  severity: 'error',
  rule: 'schema/type',
  message: 'spec.replicas: must be integer, got string',
  file: 'examples/shop/40-web.yaml',
  range: { start: { line: 12, column: 13 }, end: { line: 12, column: 15 } },
};

function frame(view: WatchView, size: { width: number; height: number } = { width: 80, height: 24 }, color = false): string {
  const { lastFrame } = render(<WatchScreen view={view} width={size.width} height={size.height} theme={{ color }} formatClock={utcClock} />);
  return lastFrame() ?? '';
}

describe('watch screen frames (80×24, no colour)', () => {
  test('wave 2 waits for the slow worker: spinner, ready counts and elapsed times per row', () => {
    const view = { ...viewOf([...start, ...applied(firstApplyUntilWave2)]), now: T + 6800 };
    expectGolden('applying-wave-2', plain(frame(view)));
  });

  test('a finished apply: revision and result in the header, the summary line printed above (Static)', () => {
    const view = viewOf([...start, ...applied([...firstApplyUntilWave2, ...firstApplyDone])]);
    expectGolden('revision-1-healthy', plain(frame(view)));
  });

  test('an invalid save shows file:line:col and that nothing was applied', () => {
    const view = viewOf([
      ...start,
      ...applied([...firstApplyUntilWave2, ...firstApplyDone]),
      { type: 'files-changed', at: WALL + 60_000, changed: ['examples/shop/40-web.yaml'], removed: [] },
      { type: 'validated', at: WALL + 60_000, diagnostics: [badReplicas], errors: 1, objects: 7 },
      { type: 'skipped', at: WALL + 60_000, reason: '1 problem in the manifests; nothing applied' },
    ]);
    expectGolden('invalid-edit', plain(frame(view)));
  });

  test('drift seen in the cluster after the apply is listed per field, three-way, with who changed it', () => {
    const scaled = { manager: 'kubectl', operation: 'Update' as const, subresource: 'scale', time: new Date(WALL + 85_000).toISOString().replace(/\.\d+Z$/, 'Z') };
    const view = viewOf([
      ...start,
      ...applied([...firstApplyUntilWave2, ...firstApplyDone]),
      {
        type: 'drift',
        at: WALL + 90_000,
        entries: [
          { ref: web.ref, class: 'drifted', path: 'spec.replicas', desired: '2', applied: '2', live: '5', owner: scaled },
          { ref: config.ref, class: 'missing', path: '' },
          { ref: webService.ref, class: 'conflict', path: 'spec.ports[0].port', desired: '8080', applied: '80', live: '81', owner: { manager: 'kubectl-edit', operation: 'Update' } },
        ],
      },
    ]);
    expectGolden('drift', plain(frame(view)));
    // One log line per finding, naming the manager.
    expect(view.log.filter((l) => /^(drifted|missing|conflict) /.test(l.text)).map((l) => l.text)).toEqual([
      `drifted Deployment shop/web spec.replicas 2 → 5 by kubectl (Update) ${utcClock(WALL + 85_000)}`,
      'missing ConfigMap shop/shop-config: deleted in the cluster',
      'conflict Service shop/web spec.ports[0].port: files 8080, cluster 81 by kubectl-edit (Update)',
    ]);
    // The cluster back as the files say: one line, the panel gone.
    const back = viewOf([...start, ...applied([...firstApplyUntilWave2, ...firstApplyDone]), { type: 'drift', at: WALL + 90_000, entries: [{ ref: web.ref, class: 'drifted', path: 'spec.replicas', applied: '2', live: '5', owner: scaled }] }, { type: 'healed', at: WALL + 92_000, level: 'ok', message: 'web: spec.replicas 2 → 5 by kubectl (Update) · restored' }, { type: 'drift', at: WALL + 92_500, entries: [] }]);
    expect(back.drift).toEqual([]);
    expect(back.log.slice(-2).map((l) => l.text)).toEqual(['web: spec.replicas 2 → 5 by kubectl (Update) · restored', 'drift: the cluster matches the files again']);
    expectGolden('drift-healed', plain(frame(back)));
  });

  test('the header names the namespaces the release\'s objects use (cluster-scoped ones aside)', () => {
    const payments = entry('Deployment', 'ledger', { namespace: 'payments', wave: 1 });
    const twoNamespaces = plan({ preApply: [ns], waves: [[0, [config]], [1, [web, payments]]] });
    const view = viewOf([...start, ...applied([{ type: 'plan', at: T, plan: twoNamespaces, release: { name: 'shop', namespace: 'shop' }, dryRun: 'none' }])]);
    expect(view.namespaces).toEqual(['payments', 'shop']);
    expect(plain(frame(view)).split('\n')[0]).toBe('kd apply --watch context kind-dev namespaces payments,shop release shop');
  });

  test('a short terminal shows a window of the plan around the selection', () => {
    const view = { ...viewOf([...start, ...applied(firstApplyUntilWave2)]), now: T + 6800, selected: 5 };
    expectGolden('small-80x12', plain(frame(view, { width: 80, height: 12 })));
  });

  test('help replaces the plan until closed', () => {
    const view = { ...viewOf([...start, ...applied([...firstApplyUntilWave2, ...firstApplyDone])]), overlay: helpOverlay() };
    expectGolden('help', plain(frame(view)));
  });

  test('a resize re-lays the screen out for the new size', () => {
    const view = { ...viewOf([...start, ...applied(firstApplyUntilWave2)]), now: T + 6800 };
    const wide = plain(frame(view, { width: 100, height: 24 }));
    const narrow = plain(frame(view, { width: 60, height: 24 }));
    expect(Math.max(...wide.split('\n').map((l) => [...l].length))).toBeGreaterThan(80);
    expect(Math.max(...narrow.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(60);
  });
});

test('colour off (NO_COLOR): the frame has no escape sequences at all', () => {
  const view = { ...viewOf([...start, ...applied(firstApplyUntilWave2)]), now: T + 6800 };
  expect(frame(view, undefined, false)).not.toMatch(/\u001b\[/);
});
