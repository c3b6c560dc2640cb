/**
 * The event stream's invariants (events.ts), checked over the streams of several kinds of run
 * through the one task runner: an apply with hooks, a failed apply rolled back by `--atomic`, a
 * `kubectl kd rollback`, a delete with a pre-delete hook, and interrupted rollback and delete.
 * Interrupts of rollback and delete also leave no pending revision, no hook (per its policy) and
 * no lock behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ApplyEvent, type ReleasePorts } from '../../src/apply/index.js';
import { ApplySetInventory, deleteRelease, LeaseLock, rollbackRequest, SecretReleaseStore } from '../../src/apply/release/index.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

type Kind = 'apply' | 'atomic' | 'rollback' | 'delete';

/** Checks every invariant of one run's stream; returns the problems found (none expected). */
function violations(events: readonly ApplyEvent[], kind: Kind): string[] {
  const out: string[] = [];
  const dones = events.filter((e) => e.type === 'done');
  if (dones.length !== 1 || events.at(-1)?.type !== 'done') out.push(`expected exactly one done, last; got ${dones.length}`);
  const plans = events.filter((e): e is Extract<ApplyEvent, { type: 'plan' }> => e.type === 'plan');
  if (kind === 'delete') {
    if (plans.length > 0) out.push('a delete has no plan');
    if (events.some((e) => e.type === 'prune' || e.type === 'wave-started')) out.push('a delete reports object-deleted, not prune or waves');
    if (events.some((e) => e.type === 'hook-started' && !e.phase.endsWith('-delete'))) out.push('a delete runs delete hooks only');
  } else {
    const expected = kind === 'atomic' && plans.length === 2 ? ['apply', 'rollback'] : [kind === 'rollback' ? 'rollback' : 'apply'];
    const got = plans.map((p) => p.operation ?? 'apply');
    if (got.join() !== expected.join()) out.push(`plans ${got.join()} where ${expected.join()} was expected`);
    const firstWork = events.findIndex((e) => e.type === 'object-applied' || e.type === 'wave-started' || e.type === 'hook-started' || e.type === 'prune');
    if (firstWork >= 0 && events.findIndex((e) => e.type === 'plan') > firstWork) out.push('work before the plan');
  }
  const open: string[] = [];
  const waves: number[] = [];
  for (const e of events) {
    if (e.type === 'hook-started') open.push(`${e.phase} ${e.ref.kind} ${e.ref.name || e.ref.generateName}`);
    if (e.type === 'hook-finished') {
      const i = open.findIndex((h) => h.startsWith(`${e.phase} ${e.ref.kind} `));
      if (i < 0) out.push(`hook-finished without hook-started: ${e.phase} ${e.ref.kind} ${e.ref.name}`);
      else open.splice(i, 1);
    }
    if (e.type === 'wave-started') waves.push(e.wave);
    if (e.type === 'wave-finished' && waves.pop() !== e.wave) out.push(`wave-finished ${e.wave} without its start`);
  }
  for (const h of open) out.push(`hook-started without hook-finished: ${h}`);
  for (const w of waves) out.push(`wave-started ${w} without wave-finished`);
  return out;
}

const app = (ns: string, image: string, podAnnotations: Record<string, string> = {}) =>
  manifests(
    `
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: { kd.io/hook: pre-apply, kd.io/hook-delete-policy: "before-hook-creation,hook-succeeded" }
spec:
  backoffLimit: 0
  template:
    metadata: { annotations: { sim.kd.io/ready-after: 1s } }
    spec: { restartPolicy: Never, containers: [{ name: m, image: example/migrate:1 }] }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: goodbye
  annotations: { kd.io/hook: pre-delete, kd.io/hook-delete-policy: hook-failed }
spec:
  backoffLimit: 0
  template:
    metadata: { annotations: { sim.kd.io/ready-after: 1h } }
    spec: { restartPolicy: Never, containers: [{ name: g, image: example/goodbye:1 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, annotations: { kd.io/sync-wave: "-1" } }
data: { image: "${image}" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web }, annotations: ${JSON.stringify({ 'sim.kd.io/ready-after': '1s', ...podAnnotations })} }
    spec: { containers: [{ name: web, image: ${image} }] }
`,
    ns,
  );

describe('event stream invariants, over the runs of one runner', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  const store = () => new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
  const remove = async (ns: string, signal = new AbortController().signal) => {
    const events: ApplyEvent[] = [];
    const result = await s.run(deleteRelease(
      { release: { name: 'app', namespace: ns }, keepHistory: false, timeoutMs: 120_000 },
      {
        client: s.session.client,
        clock: s.clock,
        signal,
        store: store(),
        lock: new LeaseLock({ client: s.session.client, clock: s.clock }),
        inventory: new ApplySetInventory({ client: s.session.client, version: 'test' }),
        emit: (e) => events.push(e),
      },
    ));
    return { result, events };
  };
  /**
   * Aborts `controller` as Ctrl-C would, 10 simulated seconds into the run: everything before
   * the wait on pods (or a hook) that take an hour is done by then, and the run's 2-minute
   * timeout is still far.
   */
  const interruptWhileWaiting = (controller: AbortController) => {
    void s.clock.sleep(10_000).then(() => controller.abort(new Error('received SIGINT')));
  };
  const lease = (ns: string) => s.session.client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: ns, name: 'kd-lock-app' });
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('apply, atomic rollback, rollback and delete streams all keep the invariants', async () => {
    const ns = 'inv-all';
    const release = { name: 'app', namespace: ns };
    const runs: Array<{ kind: Kind; events: ApplyEvent[] }> = [];
    const first = await s.apply({ objects: app(ns, 'example/web:1'), release, prune: true }, { ports });
    expect(doneOf(first).status).toBe('succeeded');
    runs.push({ kind: 'apply', events: first });
    const second = await s.apply({ objects: app(ns, 'example/web:2'), release, prune: true }, { ports });
    expect(doneOf(second).status).toBe('succeeded');
    runs.push({ kind: 'apply', events: second });
    const broken = await s.apply({ objects: app(ns, 'example/web:3', { 'sim.kd.io/fail': 'crashloop' }), release, prune: true, atomic: true }, { ports });
    expect(doneOf(broken)).toMatchObject({ status: 'failed', revision: 4 });
    runs.push({ kind: 'atomic', events: broken });
    const back = await s.apply(rollbackRequest(release, (await store().record(release, 1))!), { ports });
    expect(doneOf(back)).toMatchObject({ status: 'succeeded', revision: 5 });
    runs.push({ kind: 'rollback', events: back });
    for (const run of runs) expect({ kind: run.kind, problems: violations(run.events, run.kind) }).toEqual({ kind: run.kind, problems: [] });
  });

  it('an interrupted rollback marks its revision failed and releases the lock', async () => {
    const ns = 'inv-rollback-int';
    const release = { name: 'app', namespace: ns };
    expect(doneOf(await s.apply({ objects: app(ns, 'example/web:1'), release }, { ports })).status).toBe('succeeded');
    expect(doneOf(await s.apply({ objects: app(ns, 'example/web:2'), release }, { ports })).status).toBe('succeeded');
    // Revision 1's pods become slow, so the rollback is still waiting when it is interrupted.
    const slow = (await store().record(release, 1))!;
    const request = rollbackRequest(release, slow);
    request.objects = request.objects.map((o) =>
      o.ref.kind === 'Deployment' ? { ...o, object: JSON.parse(JSON.stringify(o.object).replace('"sim.kd.io/ready-after":"1s"', '"sim.kd.io/ready-after":"1h"')) } : o,
    );
    const controller = new AbortController();
    interruptWhileWaiting(controller);
    const events = await s.apply(request, { ports, signal: controller.signal });
    expect(doneOf(events)).toMatchObject({ status: 'interrupted', revision: 3 });
    expect(violations(events, 'rollback')).toEqual([]);
    expect((await store().revisions(release)).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 superseded', '2 deployed', '3 failed']);
    expect(await lease(ns).then((l) => (l?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity)).toBeUndefined();
  });

  it('a delete reports its own events; interrupted in its pre-delete hook, it cleans the hook up per policy and releases the lock', async () => {
    const ns = 'inv-delete';
    const release = { name: 'app', namespace: ns };
    expect(doneOf(await s.apply({ objects: app(ns, 'example/web:1'), release }, { ports })).status).toBe('succeeded');
    const job = () => s.session.client.get({ group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'goodbye' });
    const controller = new AbortController();
    interruptWhileWaiting(controller);
    const interrupted = await remove(ns, controller.signal);
    expect(interrupted.result).toMatchObject({ ok: false, failure: { kind: 'interrupted' } });
    expect(violations(interrupted.events, 'delete')).toEqual([]);
    const finished = interrupted.events.find((e) => e.type === 'hook-finished');
    expect(finished).toMatchObject({ phase: 'pre-delete', ok: false, deleted: true });
    // Nothing of the release was deleted; the hook is gone (hook-failed); the lock is free.
    expect(await s.session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web' })).toBeDefined();
    expect(await job()).toBeUndefined();
    expect(await lease(ns).then((l) => (l?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity)).toBeUndefined();
    // Completed without interruption (no hooks this time): object-deleted events, no prune, one done.
    const { result, events } = await (async () => {
      const evts: ApplyEvent[] = [];
      const r = await s.run(deleteRelease(
        { release, keepHistory: false, hooks: false, timeoutMs: 120_000 },
        {
          client: s.session.client,
          clock: s.clock,
          signal: new AbortController().signal,
          store: store(),
          lock: new LeaseLock({ client: s.session.client, clock: s.clock }),
          inventory: new ApplySetInventory({ client: s.session.client, version: 'test' }),
          emit: (e) => evts.push(e),
        },
      ));
      return { result: r, events: evts };
    })();
    expect(result.ok).toBe(true);
    expect(violations(events, 'delete')).toEqual([]);
    expect(events.filter((e) => e.type === 'object-deleted').map((e) => e.type === 'object-deleted' && `${e.stage} ${e.ref.kind} ${e.ref.name} ${e.result}`)).toEqual([
      'delete Deployment web deleted',
      'delete ConfigMap settings deleted',
    ]);
    expect(doneOf(events)).toMatchObject({ status: 'succeeded', counts: { deleted: 2 } });
  });
});
