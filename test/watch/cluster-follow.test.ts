/**
 * The cluster follower (plugin/watch/cluster-follow.ts) on a scripted watch stream: namespaced and
 * cluster-scoped objects both followed; each event recomputes that object's drift; the server's
 * dry run is asked only when values differ as written, once per desired version (not per event);
 * an object removed from the files but left in the cluster is an orphan; `d` reads the live object.
 */
import { describe, expect, it } from 'vitest';
import { ClusterFollower } from '../../plugin/watch/cluster-follow.js';
import type { DriftEntry, LoopEvent } from '../../plugin/watch/loop-events.js';
import { objectKey, type ClusterClient, type KubeObject, type Manifest, type WatchEvent } from '../../src/index.js';

/** A watch per kind and namespace whose events the test pushes. */
class Streams {
  readonly queues = new Map<string, { items: WatchEvent[]; wake?: () => void }>();
  readonly dryRuns: KubeObject[] = [];
  readonly watched: string[] = [];

  client(): ClusterClient {
    const self = this;
    return {
      watch(gvk: { kind: string }, options?: { namespace?: string; signal?: AbortSignal }) {
        const key = `${gvk.kind}/${options?.namespace ?? '*'}`;
        self.watched.push(key);
        const q = self.queue(key);
        return (async function* () {
          while (!options?.signal?.aborted) {
            const next = q.items.shift();
            if (next) yield next;
            else await new Promise<void>((r) => (q.wake = r));
          }
        })();
      },
      async apply(object: KubeObject) {
        self.dryRuns.push(object);
        // The server fills in a default and spells the quantity its way.
        const spec = object.spec as Record<string, unknown> | undefined;
        return { ...object, spec: { ...spec, progressDeadlineSeconds: 600 } };
      },
    } as unknown as ClusterClient;
  }

  queue(key: string) {
    if (!this.queues.has(key)) this.queues.set(key, { items: [] });
    return this.queues.get(key)!;
  }

  push(key: string, event: WatchEvent): void {
    const q = this.queue(key);
    q.items.push(event);
    q.wake?.();
  }
}

// The follower and the fake client only chain promises: one macrotask turn drains them all, whatever the load.
const tick = () => new Promise((r) => setImmediate(r));

const manifest = (object: KubeObject, namespaced = true): Manifest => {
  const meta = object.metadata as { name: string; namespace?: string };
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { object, ref: { group: group!, version: version!, kind: String(object.kind), name: meta.name, ...(namespaced ? { namespace: meta.namespace ?? 'shop' } : {}) }, file: 'shop/x.yaml', documentIndex: 0, locate: () => ({ start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }) };
};
const web: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 3 } };
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } };
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-config', namespace: 'shop' }, data: { mode: 'live' } };
const live = (o: KubeObject, patch: Record<string, unknown> = {}, managedFields: unknown[] = []): KubeObject => ({ ...o, ...patch, metadata: { ...(o.metadata as object), uid: 'u', managedFields } });

function setup() {
  const streams = new Streams();
  const drift: DriftEntry[][] = [];
  const follower = new ClusterFollower({ client: streams.client(), emit: (e: LoopEvent) => e.type === 'drift' && drift.push(e.entries), now: () => 0, salt: 's' });
  return { streams, drift, follower };
}

/** A follower of the `web` Deployment that has seen it live as in the files (its watch synced). */
async function followingWeb() {
  const s = setup();
  s.follower.follow([manifest(web)]);
  await tick();
  s.streams.push('Deployment/shop', { type: 'SYNC', reason: 'initial', resourceVersion: '1', objects: [live(web)] });
  await tick();
  return s;
}

describe('cluster follower', () => {
  it('follows namespaced and cluster-scoped objects; a kubectl scale is drifted with its owner; no dry run while values agree', async () => {
    const { streams, drift, follower } = setup();
    follower.follow([manifest(ns, false), manifest(web)]);
    await tick();
    expect(streams.watched.sort()).toEqual(['Deployment/shop', 'Namespace/*']);
    streams.push('Namespace/*', { type: 'SYNC', reason: 'initial', resourceVersion: '1', objects: [live(ns, { status: { phase: 'Active' } })] });
    streams.push('Deployment/shop', { type: 'SYNC', reason: 'initial', resourceVersion: '1', objects: [live(web, { spec: { replicas: 3, revisionHistoryLimit: 10 } })] });
    await tick();
    expect(follower.diffLines(manifest(ns, false).ref)).toEqual([expect.stringMatching(/^in sync/)]);
    for (let i = 0; i < 5; i++) streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { status: { observedGeneration: i } }) });
    await tick();
    expect(streams.dryRuns).toEqual([]);
    expect(follower.drift()).toEqual([]);

    const scaled = { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: '2026-12-05T00:12:03Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' };
    streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { spec: { replicas: 6 } }, [scaled]) });
    await tick();
    expect(drift.at(-1)!.map((e) => [e.class, e.path, e.live, e.owner?.manager])).toEqual([['drifted', 'spec.replicas', '6', 'kubectl']]);
    // One dry run for this object and desired version, however many events follow.
    streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { spec: { replicas: 7 } }, [scaled]) });
    streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { spec: { replicas: 8 } }, [scaled]) });
    await tick();
    expect(streams.dryRuns).toHaveLength(1);
    expect(drift.at(-1)!.map((e) => e.live)).toEqual(['8']);
    expect(follower.diffLines(manifest(web).ref)).toContain('-  replicas: 8');

    streams.push('Deployment/shop', { type: 'DELETED', object: live(web) });
    await tick();
    expect(drift.at(-1)!.map((e) => [e.class, e.path])).toEqual([['missing', '']]);
    follower.stop();
  });

  it('an object removed from the files but left in the cluster is an orphan; once deleted it goes', async () => {
    const { streams, drift, follower } = setup();
    follower.follow([manifest(web), manifest(cm)]);
    await tick();
    streams.push('Deployment/shop', { type: 'SYNC', reason: 'initial', resourceVersion: '1', objects: [live(web)] });
    streams.push('ConfigMap/shop', { type: 'SYNC', reason: 'initial', resourceVersion: '1', objects: [live(cm)] });
    await tick();
    follower.follow([manifest(web)]);
    await tick();
    expect(drift.at(-1)!.map((e) => [e.class, e.ref.name])).toEqual([['orphan', 'shop-config']]);
    expect(follower.diffLines(manifest(cm).ref)).toEqual([expect.stringMatching(/^orphan: no longer in the files/)]);
    streams.push('ConfigMap/shop', { type: 'DELETED', object: live(cm) });
    await tick();
    expect(drift.at(-1)).toEqual([]);
    follower.stop();
  });

  it('an object the apply failed on keeps its previous applied state: pending, or conflict when the cluster moved too', async () => {
    const { streams, drift, follower } = await followingWeb();
    const four = manifest({ ...web, spec: { replicas: 4 } });
    follower.follow([four], new Set([objectKey(four.ref)]));
    await tick();
    expect(drift.at(-1)!.map((e) => [e.class, e.path, e.applied, e.desired])).toEqual([['pending', 'spec.replicas', '3', '4']]);
    const scaled = { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: '2026-12-05T00:12:03Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' };
    streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { spec: { replicas: 6 } }, [scaled]) });
    await tick();
    expect(drift.at(-1)!.map((e) => [e.class, e.path, e.live, e.owner?.manager])).toEqual([['conflict', 'spec.replicas', '6', 'kubectl']]);
    follower.stop();
  });

  it('reports nothing while kd applies; compares again on resume', async () => {
    const { streams, drift, follower } = await followingWeb();
    const reports = drift.length;
    follower.suspend();
    streams.push('Deployment/shop', { type: 'MODIFIED', object: live(web, { spec: { replicas: 4 } }) });
    await tick();
    expect(drift.length).toBe(reports);
    follower.follow([manifest({ ...web, spec: { replicas: 4 } })]);
    follower.resume();
    await tick();
    expect(follower.drift()).toEqual([]);
    follower.stop();
  });
});
