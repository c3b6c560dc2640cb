/**
 * The live frame always fits its terminal: fewer rows than the terminal has (a frame as tall as
 * the terminal makes Ink clear and rewrite the whole screen on every change), no line wider than
 * it (the terminal would wrap it, and Ink's in-place redraw would then erase the wrong rows), and
 * the selected row always in view. Checked over sizes, selections and panel mixes with the
 * examples/shop plan (10 objects in 4 phases) and a longer one.
 */
import { renderToString } from 'ink';
import { expect, test } from 'vitest';
import type { ApplyEvent, Diagnostic } from '../../src/index.js';
import { WatchScreen, helpOverlay } from '../../plugin/ui/components/watch-screen.js';
import type { WatchView } from '../../plugin/ui/view-model.js';
import type { DriftEntry, LoopEvent } from '../../plugin/watch/loop-events.js';
import { WALL, applied, entry, plain, plan, utcClock, viewOf } from './support.js';

const shop = plan({
  preApply: [entry('Namespace', 'shop', { namespace: '' }), entry('Job', '', { hook: true, generateName: 'shop-migrate-' })],
  waves: [
    [0, [entry('Secret', 'shop-db-credentials'), entry('ConfigMap', 'shop-config'), entry('CustomResourceDefinition', 'promotions.shop.example.com', { group: 'apiextensions.k8s.io', namespace: '' })]],
    [1, [entry('Service', 'web', { wave: 1 }), entry('Deployment', 'web', { wave: 1 })]],
    [2, [entry('Deployment', 'worker', { wave: 2 }), entry('Promotion', 'black-friday', { group: 'shop.example.com', wave: 2 }), entry('ServiceAccount', 'worker', { wave: 2 })]],
  ],
});
const long = plan({ waves: Array.from({ length: 8 }, (_, w): [number, ReturnType<typeof entry>[]] => [w, Array.from({ length: 4 }, (_, i) => entry('ConfigMap', `config-${w}-${i}`, { wave: w }))]) });

const problem = (line: number): Diagnostic => ({
  severity: 'error',
  rule: 'schema/type',
  message: 'spec.replicas: must be integer, got string; a long message that goes on past the right edge of any terminal',
  file: 'examples/shop/40-web.yaml',
  range: { start: { line, column: 13 }, end: { line, column: 15 } },
});
const web = entry('Deployment', 'web', { wave: 1 });
const drift: DriftEntry[] = [
  { ref: web.ref, class: 'drifted', path: 'spec.replicas', applied: '2', live: '5', owner: { manager: 'kubectl', operation: 'Update', subresource: 'scale' } },
  { ref: web.ref, class: 'drifted', path: 'spec.template.spec.containers[0].image', applied: '"shop/web:1.4.2-with-a-long-tag"', live: '"shop/web:1.4.3-with-a-long-tag"' },
];

function viewWith(p: typeof shop, extra: { problems?: number; drift?: boolean; logs?: number }): WatchView {
  const events: LoopEvent[] = [
    { type: 'watching', at: WALL, roots: ['examples/shop/a/folder/with/a/very/long/path/name/that/does/not/fit'] },
    { type: 'apply-started', at: WALL, trigger: 'start' },
    ...applied([{ type: 'plan', at: 1, plan: p, release: { name: 'shop', namespace: 'shop', revision: 12 }, dryRun: 'none' } satisfies ApplyEvent]),
  ];
  for (let i = 0; i < (extra.logs ?? 0); i++) events.push({ type: 'notice', at: WALL + i, level: 'warning', message: `notice ${i}: ${'x'.repeat(100)}` });
  let view = viewOf(events);
  if (extra.problems) view = { ...view, problems: Array.from({ length: extra.problems }, (_, i) => problem(i + 1)) };
  if (extra.drift) view = { ...view, drift };
  return view;
}

function frameLines(view: WatchView, width: number, height: number): string[] {
  // As on a terminal of that width (the root is as wide as the terminal); no <Static> lines here.
  return plain(renderToString(<WatchScreen view={view} width={width} height={height} theme={{ color: false }} formatClock={utcClock} />, { columns: width })).split('\n');
}

const mixes = [{}, { logs: 6 }, { problems: 1, logs: 2 }, { problems: 6, drift: true, logs: 6 }];

test('80×24, examples/shop: the whole plan is shown with a problem and a few log lines on screen', () => {
  for (const mix of mixes.slice(0, 3)) {
    const lines = frameLines(viewWith(shop, mix), 80, 24);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.filter((l) => /^[› ] . /.test(l))).toHaveLength(10);
    expect(lines.join('\n')).not.toMatch(/more (above|below)/);
  }
});

test('80×24, examples/shop with problems, drift and log all full: the plan scrolls, keeping the selected row in view', () => {
  const seen = new Set<string>();
  for (let selected = 0; selected < 10; selected++) {
    const lines = frameLines({ ...viewWith(shop, mixes[3]!), selected }, 80, 24);
    expect(lines.length).toBeLessThanOrEqual(23);
    const rows = lines.filter((l) => /^[› ] . /.test(l));
    expect(rows.length).toBeLessThan(10);
    const chosen = lines.find((l) => l.startsWith('›'));
    expect(chosen).toBeDefined();
    seen.add(chosen!.slice(4, 40).trim());
    expect(lines.join('\n')).toMatch(/… \d+ more (above|below)/);
  }
  expect(seen.size).toBe(10);
});

test('sizes from 8 rows and 20 columns up: the frame fits, and the selected row is in view', () => {
  for (const p of [shop, long]) {
    const selections = p === shop ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 1, 3, 4, 15, 16, 27, 30, 31];
    for (const mix of mixes) {
      for (const height of [8, 9, 10, 11, 12, 14, 17, 20, 24]) {
        for (const width of [20, 80]) {
          for (const selected of selections) {
            const view = { ...viewWith(p, mix), selected };
            const lines = frameLines(view, width, height);
            const where = `${width}x${height} selected ${selected} ${JSON.stringify(mix)}`;
            expect(lines.length, where).toBeLessThan(height);
            expect(Math.max(...lines.map((l) => [...l].length)), where).toBeLessThanOrEqual(width);
            expect(lines.filter((l) => l.startsWith('›')), where).toHaveLength(1);
          }
        }
      }
    }
  }
}, 120_000);

test('an overlay longer than the screen is cut with a count, within the height', () => {
  for (let height = 8; height <= 24; height++) {
    const view = { ...viewWith(shop, {}), overlay: helpOverlay() };
    const lines = frameLines(view, 80, height);
    expect(lines.length, `height ${height}`).toBeLessThan(height);
    if (height - 4 <= helpOverlay().lines.length) expect(lines.join('\n'), `height ${height}`).toMatch(/… \d+ more lines/);
  }
});
