import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doneOf, eventLines, hookJob as job, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';


const app = `
apiVersion: v1
kind: ConfigMap
metadata: { name: app }
data: { k: v }
`;

describe('hooks', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('runs pre-apply hooks by weight, each to completion, before the waves, and post-apply hooks after', async () => {
    const text = [
      job('second', { 'kd.io/hook': 'pre-apply', 'kd.io/hook-weight': '5' }),
      job('first', { 'kd.io/hook': 'pre-apply', 'kd.io/hook-weight': '-1', 'kd.io/hook-delete-policy': 'hook-succeeded' }),
      job('after', { 'kd.io/hook': 'post-apply' }),
      app,
    ].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, 'hooks-order') });
    expect(doneOf(events).failure?.message).toBeUndefined();
    expect(eventLines(events, ['hook-started', 'hook-finished', 'wave-started', 'wave-finished', 'done'])).toEqual([
      'hook-started pre-apply Job first',
      'hook-finished pre-apply Job first ok deleted',
      'hook-started pre-apply Job second',
      'hook-finished pre-apply Job second ok',
      'wave-started 0',
      'wave-finished 0 ok',
      'hook-started post-apply Job after',
      'hook-finished post-apply Job after ok',
      'done succeeded',
    ]);
    // Completion, not creation, ends a hook: the Job reported Current (complete) before the next started.
    const lines = eventLines(events);
    expect(lines.indexOf('health Job first Current')).toBeLessThan(lines.indexOf('hook-started pre-apply Job second'));
    const client = s.session.client;
    const jobRef = (name: string) => ({ group: 'batch', version: 'v1', kind: 'Job', namespace: 'hooks-order', name });
    expect(await client.get(jobRef('first'))).toBeUndefined();
    const second = await client.get(jobRef('second'));
    expect(second).toBeDefined();

    // before-hook-creation: the next run deletes the previous Job and creates a fresh one.
    const again = await s.apply({ objects: manifests(text, 'hooks-order') });
    expect(doneOf(again).status).toBe('succeeded');
    const secondAgain = await client.get(jobRef('second'));
    expect((secondAgain?.metadata as { uid: string }).uid).not.toBe((second?.metadata as { uid: string }).uid);
  });

  it('stops before any wave when a pre-apply hook fails, then runs the apply-failed hooks', async () => {
    const text = [
      job('migrate', { 'kd.io/hook': 'pre-apply', 'kd.io/hook-delete-policy': 'hook-failed' }, { 'sim.kd.io/fail': 'job-fail' }),
      job('notify', { 'kd.io/hook': 'apply-failed' }),
      job('never', { 'kd.io/hook': 'post-apply' }),
      app,
    ].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, 'hooks-fail') });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.message).toMatch(/^pre-apply hook Job hooks-fail\/migrate failed: Job hooks-fail\/migrate: Failed/);
    expect(done.failure?.kind).toBe('hook');
    expect(done.failure?.message).toMatch(/^pre-apply hook Job hooks-fail\/migrate failed: Job hooks-fail\/migrate: Failed/);
    expect(eventLines(events, ['hook-started', 'hook-finished', 'wave-started', 'object-applied', 'done'])).toEqual([
      'applied namespace-created Namespace hooks-fail',
      'hook-started pre-apply Job migrate',
      'applied create Job migrate',
      'hook-finished pre-apply Job migrate failed deleted',
      'hook-started apply-failed Job notify',
      'applied create Job notify',
      'hook-finished apply-failed Job notify ok',
      'done failed hook',
    ]);
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'hooks-fail', name: 'app' })).toBeUndefined();
  });

  it('creates generateName hooks under a new name on every run', async () => {
    const text = [job('seed-', { 'kd.io/hook': 'post-apply', 'kd.io/hook-delete-policy': 'hook-failed' }, {}, 'generateName'), app].join('\n---\n');
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      const events = await s.apply({ objects: manifests(text, 'hooks-gen') });
      expect(doneOf(events).status).toBe('succeeded');
      const finished = events.find((e) => e.type === 'hook-finished');
      names.push(finished && finished.type === 'hook-finished' ? finished.ref.name : '');
    }
    expect(names[0]).toMatch(/^seed-[a-z0-9]{5}$/);
    expect(names[1]).toMatch(/^seed-[a-z0-9]{5}$/);
    expect(names[0]).not.toBe(names[1]);
  });

  it('skips hooks with hooks: false (--no-hooks)', async () => {
    const text = [job('skipped', { 'kd.io/hook': 'pre-apply' }), app].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, 'hooks-none'), hooks: false });
    expect(doneOf(events).status).toBe('succeeded');
    expect(events.some((e) => e.type === 'hook-started')).toBe(false);
    // The plan event is the plan that runs, for every consumer of the stream (jsonl, watch, notify).
    const plan = events.find((e) => e.type === 'plan');
    expect(plan?.type).toBe('plan');
    if (plan?.type === 'plan') {
      const p = plan.plan;
      expect([...p.preApply, ...p.waves.flatMap((w) => w.entries), ...p.postApply, ...p.applyFailed].filter((entry) => entry.hook)).toEqual([]);
    }
  });
});
