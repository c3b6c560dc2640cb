/**
 * `apply --watch --no-tui`: drift and self-heal as plain lines, and file names relative to the
 * current folder (plugin/watch/plain-output.ts, relativePaths in run-apply-watch.ts).
 */
import path from 'node:path';
import { expect, test } from 'vitest';
import { makeStyle } from '../../plugin/output/style.js';
import { plainWatchFormatter } from '../../plugin/watch/plain-output.js';
import { relativePaths } from '../../plugin/watch/run-apply-watch.js';
import type { LoopEvent } from '../../plugin/watch/loop-events.js';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const at = Date.UTC(2026, 11, 5, 0, 12, 4);
const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

test('drift, heal and changed-file lines, paths relative to the current folder', () => {
  const format = plainWatchFormatter({ style: makeStyle(false), formatClock: clock });
  const cwd = path.join(path.sep, 'home', 'dev', 'repo');
  const events: LoopEvent[] = [
    { type: 'watching', at, roots: [path.join(cwd, 'examples', 'shop')] },
    { type: 'files-changed', at, changed: [path.join(cwd, 'examples', 'shop', '40-web.yaml')], removed: [path.join(cwd, 'examples', 'shop', '10-config.yaml')] },
    { type: 'drift', at, entries: [{ ref: web, class: 'drifted', path: 'spec.replicas', desired: '3', applied: '3', live: '6', owner: { manager: 'kubectl', operation: 'Update', subresource: 'scale', time: '2026-12-05T00:12:03Z' } }] },
    { type: 'healed', at: at + 1000, level: 'ok', message: 'web: spec.replicas 3 → 6 by kubectl (Update) 00:12:03 · restored' },
    { type: 'drift', at: at + 1500, entries: [] },
  ];
  const text = events.map((e) => format(relativePaths(e, cwd))).join('');
  expect(text).toBe(
    [
      '00:12:04 watch    watching examples/shop (q or ctrl-c to stop)',
      '00:12:04 watch    changed: examples/shop/40-web.yaml, examples/shop/10-config.yaml (removed)',
      '00:12:04 drift    drifted Deployment shop/web spec.replicas 3 → 6 by kubectl (Update) 00:12:03',
      '00:12:05 heal     web: spec.replicas 3 → 6 by kubectl (Update) 00:12:03 · restored',
      '00:12:05 drift    the cluster matches the files',
      '',
    ].join('\n'),
  );
  expect(text).not.toContain(cwd);
});
