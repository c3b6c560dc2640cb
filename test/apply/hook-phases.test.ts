/**
 * Hook phases per run and hook failure policies, against kd sim: an install (no deployed
 * revision) runs pre-install hooks, every later apply pre-upgrade ones, a rollback its rollback
 * hooks only; `kd.io/hook-failure-policy` continue and rollback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ReleasePorts } from '../../src/apply/index.js';
import { rollbackRequest, SecretReleaseStore } from '../../src/apply/release/index.js';
import { doneOf, eventLines, hookJob as job, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';


const settings = (mode: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: ${mode} }
`;

const FAIL = { 'sim.kd.io/fail': 'job-fail' };

describe('hook phases and failure policies', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  let store: SecretReleaseStore;
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
    store = new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
  });
  afterAll(async () => {
    await s.stop();
  });

  const hooks = [
    job('create-db', { 'helm.sh/hook': 'pre-install' }),
    job('migrate', { 'kd.io/hook': 'pre-upgrade' }),
    job('check', { 'kd.io/hook': 'pre-apply', 'kd.io/hook-weight': '5' }),
    job('restore', { 'helm.sh/hook': 'pre-rollback' }),
    job('announce', { 'kd.io/hook': 'post-rollback' }),
  ];

  it('runs pre-install on the first apply only, pre-upgrade on the second only, and only rollback hooks on a rollback', async () => {
    const ns = 'phases';
    const release = { name: 'shop', namespace: ns };
    const hookLines = (events: Parameters<typeof eventLines>[0]) => eventLines(events, ['hook-started', 'done']);

    const first = await s.apply({ objects: manifests([...hooks, settings('one')].join('\n---\n'), ns), release }, { ports });
    expect(hookLines(first)).toEqual(['hook-started pre-install Job create-db', 'hook-started pre-apply Job check', 'done succeeded']);
    const plan = first.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.plan.operation).toBe('install');

    const second = await s.apply({ objects: manifests([...hooks, settings('two')].join('\n---\n'), ns), release }, { ports });
    expect(hookLines(second)).toEqual(['hook-started pre-upgrade Job migrate', 'hook-started pre-apply Job check', 'done succeeded']);

    // Revision 1's record holds every hook, those of other runs included: the rollback runs them from it.
    const record = await store.record(release, 1);
    expect(record?.objects.map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['announce', 'check', 'create-db', 'migrate', 'restore', 'settings']);
    const back = await s.apply(rollbackRequest(release, record!), { ports });
    expect(hookLines(back)).toEqual(['hook-started pre-rollback Job restore', 'hook-started post-rollback Job announce', 'done succeeded']);
    expect((await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }))?.['data']).toEqual({ mode: 'one' });
  });

  it('a failing hook with failure policy continue is a warning; the run succeeds and its revision is deployed', async () => {
    const ns = 'policy-continue';
    const release = { name: 'shop', namespace: ns };
    const text = [job('smoke', { 'kd.io/hook': 'post-apply', 'kd.io/hook-failure-policy': 'continue' }, FAIL), job('after', { 'kd.io/hook': 'post-apply', 'kd.io/hook-weight': '1' }), settings('one')].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, ns), release }, { ports });
    expect(doneOf(events)).toMatchObject({ status: 'succeeded', revision: 1 });
    expect(eventLines(events, ['hook-finished', 'warning', 'done'])).toEqual(['hook-finished post-apply Job smoke failed', 'warning', 'hook-finished post-apply Job after ok', 'done succeeded']);
    const warning = events.find((e) => e.type === 'warning');
    expect(warning).toMatchObject({ reason: 'hook-failed-continued', ref: { kind: 'Job', name: 'smoke' } });
    expect(warning?.type === 'warning' && warning.message).toMatch(/^post-apply hook Job policy-continue\/smoke failed: .*; the run goes on \(kd.io\/hook-failure-policy: continue\)$/);
    expect((await store.revisions(release)).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 deployed']);
  });

  it('a failing hook with failure policy rollback fails the run and rolls back to the last deployed revision', async () => {
    const ns = 'policy-rollback';
    const release = { name: 'shop', namespace: ns };
    const first = await s.apply({ objects: manifests(settings('one'), ns), release }, { ports });
    expect(doneOf(first).status).toBe('succeeded');
    const text = [job('verify', { 'kd.io/hook': 'post-upgrade', 'kd.io/hook-failure-policy': 'rollback' }, FAIL), settings('two')].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, ns), release }, { ports });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.kind).toBe('hook');
    expect(done.failure?.message).toMatch(/^post-upgrade hook Job policy-rollback\/verify failed: .*; rolled back to revision 1 as revision 3$/);
    expect(done.revision).toBe(3);
    expect((await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }))?.['data']).toEqual({ mode: 'one' });
    expect((await store.revisions(release)).map((r) => `${r.revision} ${r.state} ${r.description}`)).toEqual([
      '1 superseded apply',
      '2 failed apply',
      '3 deployed rollback to revision 1 (--atomic)',
    ]);
  });

  it('a failing hook under the default policy still fails the run without a rollback', async () => {
    const ns = 'policy-fail';
    const release = { name: 'shop', namespace: ns };
    await s.apply({ objects: manifests(settings('one'), ns), release }, { ports });
    const events = await s.apply({ objects: manifests([job('verify', { 'kd.io/hook': 'post-upgrade' }, FAIL), settings('two')].join('\n---\n'), ns), release }, { ports });
    expect(doneOf(events)).toMatchObject({ status: 'failed', revision: 2 });
    expect(events.some((e) => e.type === 'warning')).toBe(false);
    expect((await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }))?.['data']).toEqual({ mode: 'two' });
  });
});
