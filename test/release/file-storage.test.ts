/**
 * The file driver without a cluster (issue 14): records written atomically (0600 files, 0700
 * directories) with the same chunking, states and decompression cap as Secrets; the lock file
 * taken with O_EXCL, naming its holder, taken over once its expiry has passed, waited for with
 * --wait-for-lock — on a manual clock, without real waiting.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLock, FileRecordDriver, LockHeldError, RecordStore, type KubeObject } from '../../src/index.js';
import { ManualClock } from './support.js';

const release = { name: 'shop', namespace: 'prod' };
const signal = new AbortController().signal;

function fresh(): { dir: string; driver: FileRecordDriver } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-file-storage-'));
  return { dir, driver: new FileRecordDriver(path.join(dir, 'records')) };
}

function configMap(name: string, size = 10): KubeObject {
  // Random-looking data so that gzip cannot shrink it below the chunk size.
  let data = '';
  for (let i = 0; data.length < size; i++) data += ((i * 2654435761) >>> 0).toString(36);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prod' }, data: { blob: data } };
}

describe('file records', () => {
  it('writes one 0600 file per record object under DIR/<namespace>/<release>/, chunked and read back, with the usual states', async () => {
    const { driver } = fresh();
    const clock = new ManualClock();
    const store = new RecordStore({ driver, now: () => clock.now(), kdVersion: '0.1.0', chunkBytes: 4096 });
    const big = configMap('big', 40_000);
    const r1 = await store.begin(release, { objects: [big], paths: ['shop/'], description: 'apply' });
    await store.finish(release, r1, { state: 'deployed', message: 'applied 1 object' });
    const r2 = await store.begin(release, { objects: [configMap('small')], paths: ['shop/'], description: 'apply' });
    await store.finish(release, r2, { state: 'failed', message: 'health: Deployment prod/web: CrashLoopBackOff' });

    const dir = driver.releaseDir(release);
    const files = readdirSync(dir).sort();
    expect(files[0]).toBe('kd.release.v1.shop.v1.json');
    expect(files.filter((f) => f.startsWith('kd.release.v1.shop.v1.part-')).length).toBeGreaterThan(0);
    expect(files.at(-1)).toBe('kd.release.v1.shop.v2.json');
    for (const f of files) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(dir)).mode & 0o777).toBe(0o700);
    // No temp file is left behind by the atomic writes.
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expect((await store.revisions(release)).map((r) => [r.revision, r.state])).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect((await store.record(release, 1))!.objects).toEqual([big]);
    expect((await store.lastDeployed(release))!.revision).toBe(1);
    expect(await store.releases({ allNamespaces: true })).toEqual([expect.objectContaining({ name: 'shop', namespace: 'prod', revision: 2, state: 'failed' })]);
    expect(store.where('prod')).toBe(`files under ${path.join(driver.dir, 'prod')}`);
  });

  it('names a damaged record file and how to remove it', async () => {
    const { driver } = fresh();
    const clock = new ManualClock();
    const store = new RecordStore({ driver, now: () => clock.now(), kdVersion: '0.1.0' });
    const r1 = await store.begin(release, { objects: [configMap('a')], paths: [], description: 'apply' });
    await store.finish(release, r1, { state: 'deployed', message: '' });
    const file = path.join(driver.releaseDir(release), 'kd.release.v1.shop.v1.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { data: { release: string } };
    record.data.release = Buffer.from('not gzip').toString('base64');
    writeFileSync(file, JSON.stringify(record));
    await expect(store.record(release, 1)).rejects.toThrow(/revision 1 of release shop \(file kd\.release\.v1\.shop\.v1 in files under .*prod\) cannot be read: .*not valid gzip/);
  });
});

describe('the lock file', () => {
  it('is exclusive, names its holder, and is gone once released', async () => {
    const { driver } = fresh();
    const clock = new ManualClock();
    const a = new FileLock({ driver, clock, identity: 'ci-a/1/aaaaaa' });
    const b = new FileLock({ driver, clock, identity: 'ci-b/2/bbbbbb' });
    const held = await a.acquire(release, { wait: false, signal });
    const file = path.join(driver.releaseDir(release), '.lock');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ holder: 'ci-a/1/aaaaaa', acquiredAt: '2025-01-15T12:00:00Z', expiresAt: clock.now() + 30_000 });
    const refused = await b.acquire(release, { wait: false, signal }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockHeldError);
    expect((refused as Error).message).toBe(`release shop in namespace prod is locked by ci-a/1/aaaaaa since 2025-01-15T12:00:00Z (lock file ${file})`);
    expect(await b.inspect(release)).toEqual({ holder: 'ci-a/1/aaaaaa', since: '2025-01-15T12:00:00Z', live: true, expiresInSeconds: 30 });
    await held.release();
    expect(readdirSync(driver.releaseDir(release))).toEqual([]);
    const taken = await b.acquire(release, { wait: false, signal });
    expect(taken.holder).toBe('ci-b/2/bbbbbb');
    await taken.release();
  });

  it('takes over a lock left by a run that died once its expiry has passed, and waits for a live one with --wait-for-lock', async () => {
    const { driver } = fresh();
    const clock = new ManualClock();
    const dir = driver.releaseDir(release);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    // A crashed run's lock, expired a second ago.
    writeFileSync(path.join(dir, '.lock'), JSON.stringify({ holder: 'dead/9/000000', acquiredAt: '2025-01-15T11:59:00Z', expiresAt: clock.now() - 1000 }));
    const c = new FileLock({ driver, clock, identity: 'ci-c/3/cccccc' });
    const held = await c.acquire(release, { wait: false, signal });
    expect(JSON.parse(readFileSync(path.join(dir, '.lock'), 'utf8')).holder).toBe('ci-c/3/cccccc');
    expect(readdirSync(dir)).toEqual(['.lock']);

    // A live lock: a waiter polls on the clock until the holder's expiry passes (the holder never renews: its clock does not move for it).
    const d = new FileLock({ driver, clock, identity: 'ci-d/4/dddddd', pollMs: 5000 });
    const waiting = d.acquire(release, { wait: true, signal });
    clock.autoAdvance = true;
    clock.advance(0);
    const dHeld = await waiting;
    expect(dHeld.holder).toBe('ci-d/4/dddddd');
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 15, 12, 0, 30));
    // The old holder finds it lost and leaves the new holder's file alone.
    await held.release();
    expect(JSON.parse(readFileSync(path.join(dir, '.lock'), 'utf8')).holder).toBe('ci-d/4/dddddd');
    await dHeld.release();
  });
});
