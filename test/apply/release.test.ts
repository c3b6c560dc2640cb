import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ReleasePorts } from '../../src/apply/index.js';
import { SecretReleaseStore } from '../../src/apply/release/store.js';
import { doneOf, eventLines, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

const base = `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: kept, annotations: { kd.io/resource-policy: keep } }
data: { k: v }
---
apiVersion: v1
kind: Service
metadata: { name: api }
spec: { selector: { app: api }, ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: example/api:1 }] }
`;

describe('apply with a release record', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  const release = (ns: string) => ({ name: 'app', namespace: ns });
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('re-applies nothing that is unchanged since the last revision, and writes no new revision', async () => {
    const objects = manifests(base, 'rel-unchanged');
    const first = await s.apply({ objects, release: release('rel-unchanged') }, { ports });
    expect(doneOf(first)).toMatchObject({ status: 'succeeded', revision: 1, counts: { applied: 4, unchanged: 0 } });
    const second = await s.apply({ objects, release: release('rel-unchanged') }, { ports });
    expect(doneOf(second)).toMatchObject({ status: 'succeeded', revision: 1, unchanged: true, counts: { applied: 0, unchanged: 4 } });
    expect(eventLines(second, ['object-applied'])).toEqual([
      'applied unchanged ConfigMap kept',
      'applied unchanged ConfigMap settings',
      'applied unchanged Service api',
      'applied unchanged Deployment api',
    ]);
    const store = new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
    expect((await store.revisions(release('rel-unchanged'))).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 deployed']);
  });

  it('stops on a field conflict naming the other manager and its fields, and takes them over with --force-conflicts', async () => {
    const ns = 'rel-conflict';
    const objects = manifests(base, ns);
    await s.apply({ objects, release: release(ns) }, { ports });
    const target = { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' };
    await s.session.client.patch(target, { data: { mode: 'slow' } }, { type: 'merge', fieldManager: 'someone' });
    const conflicted = await s.apply({ objects, release: release(ns) }, { ports });
    const done = doneOf(conflicted);
    expect(done.status).toBe('failed');
    expect(done.failure).toEqual({
      kind: 'conflict',
      message: 'ConfigMap rel-conflict/settings: conflict with other field managers: "someone" using v1 owns .data.mode',
      hint: 're-run with --force-conflicts to take these fields over, or remove the fields from your manifests so the other manager keeps them',
    });
    const forced = await s.apply({ objects, release: release(ns), forceConflicts: true }, { ports });
    expect(doneOf(forced).status).toBe('succeeded');
    expect(eventLines(forced, ['object-applied'])).toContain('applied update ConfigMap settings');
    expect((await s.session.client.get(target))?.['data']).toEqual({ mode: 'fast' });
  });

  it('creates an object again when it was deleted from the cluster since the last revision', async () => {
    const ns = 'rel-deleted';
    const objects = manifests(base, ns);
    await s.apply({ objects, release: release(ns) }, { ports });
    const target = { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' };
    await s.session.client.delete(target);
    const again = await s.apply({ objects, release: release(ns) }, { ports });
    expect(eventLines(again, ['object-applied'])).toEqual([
      'applied unchanged ConfigMap kept',
      'applied create ConfigMap settings',
      'applied unchanged Service api',
      'applied unchanged Deployment api',
    ]);
    expect(await s.session.client.get(target)).toBeDefined();
  });

  it('prunes what left the files, after the last wave, sparing resource-policy keep', async () => {
    const ns = 'rel-prune';
    expect(doneOf(await s.apply({ objects: manifests(base, ns), release: release(ns) }, { ports })).status).toBe('succeeded');
    const smaller = base.split('---').filter((d) => !d.includes('name: settings') && !d.includes('name: kept') && !d.includes('kind: Service')).join('---');
    const events = await s.apply({ objects: manifests(smaller, ns), release: release(ns), prune: true }, { ports });
    expect(doneOf(events)).toMatchObject({ status: 'succeeded', counts: { pruned: 2 } });
    const lines = eventLines(events, ['wave-finished', 'prune', 'done']);
    // Reverse install order: the Service goes before the ConfigMap; the kept ConfigMap stays.
    expect(lines).toEqual(['wave-finished 0 ok', 'prune Service api deleted', 'prune ConfigMap settings deleted', 'done succeeded']);
    const get = (kind: string, name: string) => s.session.client.get({ group: '', version: 'v1', kind, namespace: ns, name });
    expect(await get('ConfigMap', 'settings')).toBeUndefined();
    expect(await get('Service', 'api')).toBeUndefined();
    expect(await get('ConfigMap', 'kept')).toBeDefined();
    const plan = events.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.plan.notes.map((n) => n.message)).toEqual(['ConfigMap rel-prune/kept is no longer in the files but is kept (kd.io/resource-policy: keep)']);
  });

  it('rolls back to the last deployed revision with --atomic when the apply fails', async () => {
    const ns = 'rel-atomic';
    expect(doneOf(await s.apply({ objects: manifests(base, ns), release: release(ns) }, { ports })).status).toBe('succeeded');
    const broken = base.replace('data: { mode: fast }', 'data: { mode: broken }').replace('image: example/api:1 }]', 'image: example/api:2 }]').replace('labels: { app: api } }\n    spec:', 'labels: { app: api }, annotations: { sim.kd.io/fail: crashloop } }\n    spec:');
    const events = await s.apply({ objects: manifests(broken, ns), release: release(ns), atomic: true }, { ports });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.message).toMatch(/CrashLoopBackOff.*; rolled back to revision 1 as revision 3$/);
    expect(done.revision).toBe(3);
    const cm = await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' });
    expect(cm?.['data']).toEqual({ mode: 'fast' });
    const store = new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
    expect((await store.revisions(release(ns))).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 superseded', '2 failed', '3 deployed']);
  });

  it('stops on an interrupt at once, marks the revision failed, releases the lock', async () => {
    const ns = 'rel-interrupt';
    const slow = base.replace('labels: { app: api } }\n    spec:', 'labels: { app: api }, annotations: { sim.kd.io/ready-after: 1h } }\n    spec:');
    const controller = new AbortController();
    const pending = s.apply({ objects: manifests(slow, ns), release: release(ns) }, { ports, signal: controller.signal });
    // Interrupt 10 simulated seconds in: the Deployment (ready after an hour) is being waited on.
    let abortedAt = 0;
    void s.clock.sleep(10_000).then(() => {
      abortedAt = s.clock.now();
      controller.abort(new Error('SIGINT'));
    });
    const events = await pending;
    // The run ends at once: no simulated time passes between the interrupt and its end.
    expect(abortedAt).toBeGreaterThan(0);
    expect(doneOf(events).at).toBe(abortedAt);
    expect(events.some((e) => e.type === 'object-applied' && e.ref.kind === 'Deployment')).toBe(true);
    const done = doneOf(events);
    expect(done.status).toBe('interrupted');
    const store = new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
    const revisions = await store.revisions(release(ns));
    expect(revisions.map((r) => `${r.revision} ${r.state} ${r.message}`)).toEqual(['1 failed interrupted']);
    // The lock was released: the next run does not wait for it.
    const next = await s.apply({ objects: manifests(base, ns), release: release(ns) }, { ports });
    expect(doneOf(next)).toMatchObject({ status: 'succeeded', revision: 2 });
  });
});
