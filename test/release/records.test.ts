/**
 * Release records against kd sim: round trip, split into parts, status transitions, stale
 * pending revisions, listing, and the exact history and list output.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SecretReleaseStore, decodeRecord, encodeRecord, renderHistoryText, renderListText } from '../../src/apply/release/index.js';
import { formatHistoryJson } from '../../plugin/output/releases-json.js';
import { ManualClock, configMap, fixturesDir, incompressible, startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);

function store(clock = new ManualClock(), chunkBytes?: number): SecretReleaseStore {
  return new SecretReleaseStore({ client: rs.session.client, now: () => clock.now(), kdVersion: '0.1.0', ...(chunkBytes ? { chunkBytes } : {}) });
}

async function secretNames(namespace: string): Promise<string[]> {
  const list = await rs.session.client.list({ group: '', version: 'v1', kind: 'Secret' }, { namespace });
  return list.items.map((s) => (s.metadata as { name: string }).name).sort();
}

describe('release records', () => {
  it('round-trips the applied objects exactly, Secret values included', async () => {
    const ns = await rs.namespace('rt');
    const s = store();
    const release = { name: 'shop', namespace: ns };
    const objects = [configMap('a', ns, { 'x.yaml': 'a: 1\n', unicode: 'größe ✓' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, stringData: { password: 'hunter2' } }];
    const revision = await s.begin(release, { objects, paths: ['deploy/'], description: 'apply' });
    expect(revision).toBe(1);
    const record = await s.record(release, 1);
    expect(record?.objects).toEqual(objects);
    expect(record?.paths).toEqual(['deploy/']);
    expect(record?.state).toBe('pending');
    expect(record?.parts).toBe(1);
    expect(await secretNames(ns)).toEqual(['kd.release.v1.shop.v1']);
    const secret = await rs.session.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: 'kd.release.v1.shop.v1' });
    expect(secret?.['type']).toBe('kd.io/release.v1');
    expect((secret?.metadata as { labels: unknown }).labels).toEqual({ owner: 'kubectl-kd', name: 'shop', status: 'pending', revision: '1' });
  });

  it('splits a record larger than the chunk size over part Secrets and joins them back', async () => {
    const ns = await rs.namespace('big');
    const s = store();
    const release = { name: 'big', namespace: ns };
    // About 3 MB that gzip cannot shrink below 2.2 MB: two parts beyond the main Secret.
    const objects = [0, 1, 2, 3].map((i) => configMap(`blob-${i}`, ns, { data: incompressible(750_000, i + 1) }));
    await s.begin(release, { objects, paths: ['big.yaml'], description: 'apply' });
    expect(await secretNames(ns)).toEqual(['kd.release.v1.big.v1', 'kd.release.v1.big.v1.part-1', 'kd.release.v1.big.v1.part-2']);
    const record = await s.record(release, 1);
    expect(record?.parts).toBe(3);
    expect(record?.objects).toEqual(objects);
    // Parts are not revisions of their own.
    expect((await s.revisions(release)).map((r) => r.revision)).toEqual([1]);
  });

  it('reports a missing part as a problem instead of throwing', () => {
    const secrets = encodeRecord(
      { apiVersion: 'kd.io/release.v1', name: 'x', namespace: 'ns', revision: 1, kdVersion: '0.1.0', startedAt: '2025-01-01T00:00:00Z', paths: [], description: 'apply', objects: [{ data: incompressible(5000) }] },
      { state: 'pending', updated: '2025-01-01T00:00:00Z', message: '', chunkBytes: 1000 },
    );
    expect(secrets.length).toBeGreaterThan(2);
    expect(decodeRecord(secrets[0]!, secrets.slice(1))).toHaveProperty('payload');
    expect(decodeRecord(secrets[0]!, secrets.slice(2))).toEqual({ problem: `kd.release.v1.x.v1: part 1 of ${secrets.length - 1} is missing` });
  });

  it('moves pending to deployed and the previous deployed revision to superseded', async () => {
    const ns = await rs.namespace('sup');
    const s = store();
    const release = { name: 'web', namespace: ns };
    const r1 = await s.begin(release, { objects: [configMap('a', ns)], paths: ['web.yaml'], description: 'apply' });
    await s.finish(release, r1, { state: 'deployed', message: 'applied 1 object' });
    const r2 = await s.begin(release, { objects: [configMap('a', ns), configMap('b', ns)], paths: ['web.yaml'], description: 'apply' });
    expect(r2).toBe(2);
    expect((await s.revisions(release)).map((r) => r.state)).toEqual(['deployed', 'pending']);
    await s.finish(release, r2, { state: 'deployed', message: 'applied 2 objects' });
    expect((await s.revisions(release)).map((r) => r.state)).toEqual(['superseded', 'deployed']);
    const r3 = await s.begin(release, { objects: [configMap('c', ns)], paths: ['web.yaml'], description: 'apply' });
    await s.finish(release, r3, { state: 'failed', message: 'health: Deployment web: CrashLoopBackOff' });
    expect((await s.revisions(release)).map((r) => r.state)).toEqual(['superseded', 'deployed', 'failed']);
    const last = await s.lastDeployed(release);
    expect(last?.revision).toBe(2);
    expect(last?.objects.map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b']);
  });

  it('decodes the deployed revision from the one listing of the release\'s records, its own parts among the other revisions\'', async () => {
    const ns = await rs.namespace('one-list');
    let lists = 0;
    const client = new Proxy(rs.session.client, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'list') lists++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const clock = new ManualClock();
    const s = new SecretReleaseStore({ client, now: () => clock.now(), kdVersion: '0.1.0', chunkBytes: 1000 });
    const release = { name: 'big', namespace: ns };
    const blobs = [incompressible(3000, 1), incompressible(3000, 2), incompressible(3000, 3)];
    for (const [i, blob] of blobs.entries()) {
      const r = await s.begin(release, { objects: [configMap('a', ns, { blob })], paths: ['big/'], description: 'apply' });
      await s.finish(release, r, i < 2 ? { state: 'deployed', message: 'applied' } : { state: 'failed', message: 'health' });
    }
    expect((await s.revisions(release)).map((r) => [r.state, r.parts > 1])).toEqual([
      ['superseded', true],
      ['deployed', true],
      ['failed', true],
    ]);
    lists = 0;
    const last = await s.lastDeployed(release);
    expect(lists).toBe(1);
    expect(last?.revision).toBe(2);
    expect(last?.objects).toEqual([configMap('a', ns, { blob: blobs[1]! })]);
  });

  it('marks a pending revision left by a killed run failed on the next run', async () => {
    const ns = await rs.namespace('stale');
    const s = store();
    const release = { name: 'api', namespace: ns };
    const r1 = await s.begin(release, { objects: [configMap('a', ns)], paths: ['api.yaml'], description: 'apply' });
    await s.finish(release, r1, { state: 'deployed', message: 'applied 1 object' });
    await s.begin(release, { objects: [configMap('a', ns)], paths: ['api.yaml'], description: 'apply' }); // killed: never finished
    const r3 = await s.begin(release, { objects: [configMap('a', ns)], paths: ['api.yaml'], description: 'apply' });
    expect(r3).toBe(3);
    const revisions = await s.revisions(release);
    expect(revisions.map((r) => [r.revision, r.state])).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
      [3, 'pending'],
    ]);
    expect(revisions[1]!.message).toBe('the run that wrote this revision stopped before finishing; marked failed by revision 3');
  });

  it('prints history and list exactly, without any object data', async () => {
    const ns = 'hist-fixed';
    await rs.session.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const clock = new ManualClock(Date.UTC(2025, 0, 15, 12, 0, 0));
    const s = store(clock);
    const release = { name: 'shop', namespace: ns };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, stringData: { password: 'do-not-print-me' } };
    const r1 = await s.begin(release, { objects: [configMap('a', ns), secret], paths: ['shop/'], description: 'apply' });
    clock.advance(42_000);
    await s.finish(release, r1, { state: 'deployed', message: 'applied 2 objects' });
    clock.advance(3_600_000);
    const r2 = await s.begin(release, { objects: [configMap('a', ns), configMap('b', ns), secret], paths: ['shop/'], description: 'apply' });
    clock.advance(65_000);
    await s.finish(release, r2, { state: 'failed', message: 'Deployment shop/web: Failed CrashLoopBackOff: back-off restarting' });
    clock.advance(60_000);
    const r3 = await s.begin(release, { objects: [configMap('a', ns), secret], paths: ['shop/'], description: 'rollback to revision 1' });
    clock.advance(5_000);
    await s.finish(release, r3, { state: 'deployed', message: 'applied 2 objects' });
    const other = { name: 'api', namespace: ns };
    await s.begin(other, { objects: [configMap('x', ns)], paths: ['api.yaml'], description: 'apply' });

    const history = renderHistoryText(await s.revisions(release));
    expect(history).toBe(readFileSync(path.join(fixturesDir, 'history-three-revisions.txt'), 'utf8'));
    expect(history).not.toContain('do-not-print-me');
    const json = formatHistoryJson(release, await s.revisions(release));
    expect(json).toBe(readFileSync(path.join(fixturesDir, 'history-three-revisions.json'), 'utf8'));
    expect(renderListText(await s.releases({ namespace: ns }))).toBe(readFileSync(path.join(fixturesDir, 'list-two-releases.txt'), 'utf8'));
  });

  it('lists releases across namespaces with their latest revision', async () => {
    const a = await rs.namespace('lista');
    const b = await rs.namespace('listb');
    const s = store();
    await s.finish({ name: 'one', namespace: a }, await s.begin({ name: 'one', namespace: a }, { objects: [], paths: [], description: 'apply' }), { state: 'deployed', message: '' });
    await s.begin({ name: 'one', namespace: a }, { objects: [], paths: [], description: 'apply' });
    await s.begin({ name: 'two', namespace: b }, { objects: [], paths: [], description: 'apply' });
    const all = (await s.releases({ allNamespaces: true })).filter((r) => r.namespace === a || r.namespace === b);
    expect(all.map((r) => [r.namespace, r.name, r.revision, r.state])).toEqual([
      [a, 'one', 2, 'pending'],
      [b, 'two', 1, 'pending'],
    ]);
  });
});
