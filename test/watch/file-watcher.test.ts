/** The chokidar watcher on a real temporary folder: atomic saves, ignored files, new, deleted and restored folders. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { ChangeBatch } from '../../plugin/watch/change-batch.js';
import { watchInputs, type InputWatcher } from '../../plugin/watch/file-watcher.js';

let watcher: InputWatcher | undefined;
let dir = '';
afterEach(async () => {
  await watcher?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ batches: ChangeBatch[]; next: () => Promise<ChangeBatch> }> {
  dir = mkdtempSync(path.join(tmpdir(), 'kd-watch-'));
  writeFileSync(path.join(dir, 'web.yaml'), 'kind: ConfigMap\n');
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'a.yaml'), 'kind: ConfigMap\n');
  const batches: ChangeBatch[] = [];
  let waiting: ((b: ChangeBatch) => void) | undefined;
  watcher = watchInputs({ roots: [dir], debounceMs: 50, onBatch: (b) => (waiting ? (waiting(b), (waiting = undefined)) : batches.push(b)) });
  await watcher.ready;
  return {
    batches,
    next: () => {
      const queued = batches.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        waiting = resolve;
        setTimeout(() => reject(new Error('no batch within 3 s')), 3000);
      });
    },
  };
}

test('an atomic save (write a temporary file, rename it over) is one change; swap and backup files are ignored', async () => {
  const { next } = await start();
  writeFileSync(path.join(dir, '.web.yaml.swp'), 'x');
  writeFileSync(path.join(dir, 'web.yaml~'), 'x');
  writeFileSync(path.join(dir, 'web.yaml.tmp'), 'kind: ConfigMap\ndata: {}\n');
  renameSync(path.join(dir, 'web.yaml.tmp'), path.join(dir, 'web.yaml'));
  expect(await next()).toEqual({ changed: [path.join(dir, 'web.yaml')], removed: [] });
});

test('.git, node_modules and non-manifest files are ignored; new files are noticed', async () => {
  const { next } = await start();
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'index.yaml'), 'x');
  mkdirSync(path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'node_modules', 'x.yaml'), 'x');
  writeFileSync(path.join(dir, 'notes.md'), 'x');
  writeFileSync(path.join(dir, 'new.yaml'), 'kind: ConfigMap\n');
  expect(await next()).toEqual({ changed: [path.join(dir, 'new.yaml')], removed: [] });
});

test('a folder removed and created again is still watched', async () => {
  const { next } = await start();
  rmSync(path.join(dir, 'sub'), { recursive: true });
  expect(await next()).toEqual({ changed: [], removed: [path.join(dir, 'sub', 'a.yaml')] });
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'a.yaml'), 'kind: ConfigMap\n');
  expect(await next()).toEqual({ changed: [path.join(dir, 'sub', 'a.yaml')], removed: [] });
  await new Promise((r) => setTimeout(r, 100));
  writeFileSync(path.join(dir, 'sub', 'a.yaml'), 'kind: ConfigMap\ndata: {}\n');
  expect(await next()).toEqual({ changed: [path.join(dir, 'sub', 'a.yaml')], removed: [] });
});

test('changes while paused are handed over as one batch on resume', async () => {
  const { next, batches } = await start();
  watcher!.pause();
  writeFileSync(path.join(dir, 'web.yaml'), 'kind: ConfigMap\ndata: {a: b}\n');
  await new Promise((r) => setTimeout(r, 300));
  expect(batches).toEqual([]);
  watcher!.resume();
  expect(await next()).toEqual({ changed: [path.join(dir, 'web.yaml')], removed: [] });
});
