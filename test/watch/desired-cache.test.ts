/** Incremental reload: only changed files are read again; a CRD change re-validates everything. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DesiredCache } from '../../plugin/watch/desired-cache.js';
import { parseIgnorePatterns } from '../../src/manifest/index.js';

const shop = path.resolve(import.meta.dirname, '../../examples/shop');
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function copy(): DesiredCache {
  dir = mkdtempSync(path.join(tmpdir(), 'kd-cache-'));
  cpSync(shop, dir, { recursive: true });
  return new DesiredCache({ paths: [dir], cwd: dir, env: {}, defaultNamespace: 'default' });
}

const names = (ms: { ref: { kind: string; name: string } }[]) => ms.map((m) => `${m.ref.kind}/${m.ref.name}`).sort();

test('an edited file is read again alone and its new content validated', async () => {
  const cache = copy();
  const first = await cache.loadAll();
  expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const web = path.join(dir, '40-web.yaml');
  writeFileSync(web, readFileSync(web, 'utf8').replace('replicas: 2', 'replicas: "two"'));
  const second = await cache.reload({ changed: [web], removed: [] });
  expect(second.reread).toEqual([web]);
  expect(second.full).toBe(false);
  expect(second.diagnostics.filter((d) => d.severity === 'error').map((d) => `${path.basename(d.file)}:${d.range.start.line}:${d.range.start.column} ${d.rule}`)).toEqual(['40-web.yaml:12:13 schema/type']);
  expect(names(second.manifests)).toEqual(names(first.manifests));
});

test('a removed file leaves the set; a new one joins it', async () => {
  const cache = copy();
  const first = await cache.loadAll();
  const worker = path.join(dir, '60-worker.yaml');
  unlinkSync(worker);
  const removed = await cache.reload({ changed: [], removed: [worker] });
  expect(names(removed.manifests)).toEqual(names(first.manifests).filter((n) => n !== 'Deployment/worker'));
  const extra = path.join(dir, '70-extra.yaml');
  writeFileSync(extra, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: shop\n');
  const added = await cache.reload({ changed: [extra], removed: [] });
  expect(names(added.manifests)).toContain('ConfigMap/extra');
});

test('a custom resource is validated against the CRD as changed, since a CRD change re-validates everything', async () => {
  const cache = copy();
  await cache.loadAll();
  const crd = path.join(dir, '30-crd.yaml');
  writeFileSync(crd, readFileSync(crd, 'utf8').replace('maximum: 90', 'maximum: 40'));
  const result = await cache.reload({ changed: [crd], removed: [] });
  expect(result.full).toBe(true);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => path.basename(d.file))).toContain('50-promotion.yaml');
});

test('a saved file below a watched folder is judged as the folder walk judged it: --exclude and .kdignore hold, a compose file stays skipped', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kd-cache-'));
  cpSync(shop, dir, { recursive: true });
  writeFileSync(path.join(dir, '.kdignore'), 'scratch/\n');
  mkdirSync(path.join(dir, 'scratch'));
  mkdirSync(path.join(dir, 'local'));
  const compose = path.join(dir, 'compose.yaml');
  writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.27\n');
  const cache = new DesiredCache({ paths: [dir], cwd: dir, env: {}, defaultNamespace: 'default', input: { exclude: parseIgnorePatterns('local/') } });
  const first = await cache.loadAll();
  expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const skippedNote = (ds: { file: string; rule: string }[]) => ds.filter((d) => d.file === compose).map((d) => d.rule);
  expect(skippedNote(first.diagnostics)).toEqual(['input/not-kubernetes']);

  // Saved again: still a compose file among manifests, skipped with the same note, not errors.
  writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.28\n');
  const resaved = await cache.reload({ changed: [compose], removed: [] });
  expect(resaved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(skippedNote(resaved.diagnostics)).toEqual(['input/not-kubernetes']);

  // New files under an excluded folder and a .kdignore'd one do not join the set.
  const excluded = path.join(dir, 'local', 'debug.yaml');
  const ignored = path.join(dir, 'scratch', 'try.yaml');
  writeFileSync(excluded, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: debug\n  namespace: shop\n');
  writeFileSync(ignored, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: try\n  namespace: shop\n');
  const added = await cache.reload({ changed: [excluded, ignored], removed: [] });
  expect(names(added.manifests)).toEqual(names(first.manifests));
  expect(added.reread).toEqual([]);
  // ...while the first walk, started again, agrees.
  expect(names((await cache.loadAll()).manifests)).toEqual(names(first.manifests));
});
