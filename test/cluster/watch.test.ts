import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterClient, WatchEvent } from '../../src/cluster/index.js';
import { startTestSim, type TestSim } from './support/sim.js';

const configMaps = { group: '', version: 'v1', kind: 'ConfigMap' };
/** The namespace controller adds `kube-root-ca.crt`; the tests watch only their own objects. */
const labels = { 'kd-test': 'watch' };
const nameOf = (e: WatchEvent) => ('object' in e ? (e.object.metadata as { name: string }).name : '');
const describeEvent = (e: WatchEvent) =>
  e.type === 'SYNC' ? `SYNC ${e.reason} [${e.objects.map((o) => (o.metadata as { name: string }).name).join(',')}]` : 'object' in e ? `${e.type} ${nameOf(e)}` : e.type;

/** Pulls events until one matches (failing after a few seconds), returning everything seen. */
async function until(events: AsyncIterator<WatchEvent>, seen: WatchEvent[], match: (e: WatchEvent) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`no matching event; saw ${seen.map(describeEvent).join(' | ')}`);
    const next = await Promise.race([events.next(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), remaining))]);
    if (next === 'timeout') continue;
    if (next.done) throw new Error('the watch ended');
    seen.push(next.value);
    if (match(next.value)) return;
  }
}

let t: TestSim | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function setup(options: Parameters<typeof startTestSim>[0] = {}): Promise<ClusterClient> {
  t = await startTestSim(options);
  const client = (await t.connect({ cacheDir: false, namespace: 'watched' })).client;
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
  return client;
}

describe('watch', () => {
  it('lists first, then streams adds, changes and deletes', async () => {
    const client = await setup();
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', labels } });
    const seen: WatchEvent[] = [];
    const events = client.watch(configMaps, { labelSelector: 'kd-test=watch' })[Symbol.asyncIterator]();
    await until(events, seen, (e) => e.type === 'SYNC');
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'during', labels }, data: { a: '1' } });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'during', labels }, data: { a: '2' } });
    await client.delete({ ...configMaps, namespace: 'watched', name: 'during' });
    await until(events, seen, (e) => e.type === 'DELETED');
    await events.return?.();
    expect(seen.map(describeEvent)).toEqual(['SYNC initial [before]', 'ADDED during', 'MODIFIED during', 'DELETED during']);
  });

  it('resumes from the last resourceVersion after the server closes the stream, missing and repeating nothing', async () => {
    const client = await setup({ faults: 'watch-close=300ms' });
    const seen: WatchEvent[] = [];
    const events = client.watch(configMaps, { labelSelector: 'kd-test=watch' })[Symbol.asyncIterator]();
    await until(events, seen, (e) => e.type === 'SYNC');
    for (const name of ['one', 'two', 'three']) {
      await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });
      await until(events, seen, (e) => e.type === 'ADDED' && nameOf(e) === name);
      // Let the server cut the stream; the change after it must still arrive.
      await until(events, seen, (e) => e.type === 'RESUMED');
    }
    await events.return?.();
    const changes = seen.filter((e) => e.type !== 'RESUMED' && e.type !== 'BOOKMARK').map(describeEvent);
    expect(changes).toEqual(['SYNC initial []', 'ADDED one', 'ADDED two', 'ADDED three']);
    // Every reopened stream asked for the history after what it had seen, never from scratch.
    const watches = t!.requests.filter((r) => r.startsWith('GET /api/v1/namespaces/watched/configmaps?') && r.includes('watch=1'));
    // (the sim logs a request when it finishes: the last, still open stream is not listed)
    expect(watches.length).toBeGreaterThanOrEqual(3);
    const rvs = watches.map((r) => Number(/resourceVersion=(\d+)/.exec(r)?.[1]));
    expect(rvs.every((rv) => rv > 0)).toBe(true);
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
  });

  it('lists again when the server has compacted the history it was asked for (410 Gone)', async () => {
    const client = await setup();
    const first = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', labels } });
    const oldRv = (first.metadata as { resourceVersion: string }).resourceVersion;
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'newer', labels } });
    t!.sim.storage.store.compact();
    const seen: WatchEvent[] = [];
    const events = client.watch(configMaps, { resourceVersion: oldRv, labelSelector: 'kd-test=watch' })[Symbol.asyncIterator]();
    await until(events, seen, (e) => e.type === 'SYNC');
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', labels } });
    await until(events, seen, (e) => e.type === 'ADDED');
    await events.return?.();
    expect(seen.map(describeEvent)).toEqual(['SYNC expired [newer,old]', 'ADDED after']);
  });

  it('asks for bookmarks and moves its resourceVersion with them', async () => {
    const client = await setup({ bookmarkIntervalMs: 50 });
    const seen: WatchEvent[] = [];
    const events = client.watch(configMaps, { name: 'solo' })[Symbol.asyncIterator]();
    await until(events, seen, (e) => e.type === 'SYNC');
    const other = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    const otherRv = Number((other.metadata as { resourceVersion: string }).resourceVersion);
    await until(events, seen, (e) => e.type === 'BOOKMARK' && Number(e.resourceVersion) >= otherRv);
    await events.return?.();
    // The name filter kept the other object out; the bookmark still carried its progress.
    expect(seen.filter((e) => 'object' in e)).toEqual([]);
  });

  it('ends quietly when its signal aborts', async () => {
    const client = await setup();
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of client.watch(configMaps, { signal: controller.signal, labelSelector: 'kd-test=watch' })) seen.push(describeEvent(e));
    })();
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await done;
    expect(seen).toEqual(['SYNC initial []']);
  });
});
