/**
 * The task runner and what the executor promises on top of it, against kd sim: an error of any
 * kind ends a run as failed (never `succeeded`), dry runs plan what the real run does (prunes and
 * labels included), `--prune` refuses an empty input, rollbacks plan `unchanged`, and the release's
 * own Namespace is a `create` on the first apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ApplyEvent, type ReleasePorts } from '../../src/apply/index.js';
import { EventChannel } from '../../src/apply/event-channel.js';
import { exitForApply } from '../../plugin/exit-codes.js';
import { summaryMessage } from '../../src/apply/run-apply.js';
import { rollbackRequest, SecretReleaseStore } from '../../src/apply/release/index.js';
import { doneOf, eventLines, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

function configMaps(names: readonly string[]): string {
  return names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${n} }\ndata: { k: ${n} }\n`).join('---\n');
}

function planOf(events: readonly ApplyEvent[]): Extract<ApplyEvent, { type: 'plan' }> {
  const plans = events.filter((e): e is Extract<ApplyEvent, { type: 'plan' }> => e.type === 'plan');
  expect(plans).toHaveLength(1);
  return plans[0]!;
}

function actions(events: readonly ApplyEvent[]): string[] {
  const plan = planOf(events).plan;
  return [...plan.waves.flatMap((w) => w.entries), ...plan.prune].map((e) => `${e.action} ${e.ref.kind} ${e.ref.name}`);
}

describe('the event channel', () => {
  it('rejects a reader that is already waiting when the run fails, instead of ending the stream', async () => {
    const channel = new EventChannel<number>();
    let tookFirst!: () => void;
    const firstTaken = new Promise<void>((resolve) => (tookFirst = resolve));
    const reading = (async () => {
      const got: number[] = [];
      for await (const n of channel) {
        got.push(n);
        tookFirst();
      }
      return got;
    })();
    channel.push(1);
    // The reader took 1 and, in the same turn, asked for the next: it is waiting now.
    await firstTaken;
    channel.fail(new RangeError('Invalid string length'));
    await expect(reading).rejects.toThrow('Invalid string length');
  });
});

describe('the task runner', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  const store = () => new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('ends a run as failed, exit 1, with the message, when a port throws an unexpected error before the revision exists', async () => {
    const ns = 'run-internal-begin';
    const throwing: ReleasePorts = {
      ...ports,
      releases: {
        ...ports.releases,
        lastDeployed: (r) => ports.releases.lastDeployed(r),
        finish: (r, n, f) => ports.releases.finish(r, n, f),
        begin: async () => {
          throw new RangeError('Invalid string length');
        },
      },
    };
    const events = await s.apply({ objects: manifests(configMaps(['a']), ns), release: { name: 'app', namespace: ns } }, { ports: throwing });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure).toMatchObject({ kind: 'internal', message: 'RangeError: Invalid string length' });
    expect(done.failure?.detail).toMatch(/^RangeError: Invalid string length\n\s+at /);
    expect(exitForApply(done)).toBe(1);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    // Nothing was applied; the lock was released (the next run takes it at once).
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' })).toBeUndefined();
    expect(doneOf(await s.apply({ objects: manifests(configMaps(['a']), ns), release: { name: 'app', namespace: ns } }, { ports })).status).toBe('succeeded');
  });

  it('marks a begun revision failed when an unexpected error is thrown mid-run (a TypeError in a port)', async () => {
    const ns = 'run-internal-mid';
    const throwing: ReleasePorts = {
      ...ports,
      inventory: {
        memberLabels: (r) => ports.inventory.memberLabels(r),
        members: (r, sig) => ports.inventory.members(r, sig),
        prepare: (r, c) => ports.inventory.prepare(r, c),
        commit: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'kind')");
        },
      },
    };
    const events = await s.apply({ objects: manifests(configMaps(['a', 'b']), ns), release: { name: 'app', namespace: ns }, prune: true }, { ports: throwing });
    const done = doneOf(events);
    expect(done).toMatchObject({ status: 'failed', revision: 1, failure: { kind: 'internal', message: "TypeError: Cannot read properties of undefined (reading 'kind')" } });
    expect((await store().revisions({ name: 'app', namespace: ns })).map((r) => `${r.revision} ${r.state} ${r.message}`)).toEqual([
      "1 failed TypeError: Cannot read properties of undefined (reading 'kind')",
    ]);
  });

  it('plans the same prunes in client and server dry runs as in the real run, and the labels the real run sets', async () => {
    const ns = 'run-dry-prune';
    const release = { name: 'app', namespace: ns };
    expect(doneOf(await s.apply({ objects: manifests(configMaps(['a', 'b', 'c']), ns), release }, { ports })).status).toBe('succeeded');
    const one = manifests(configMaps(['a']), ns);
    for (const dryRun of ['client', 'server'] as const) {
      const events = await s.apply({ objects: one, release, prune: true, dryRun, diff: dryRun === 'server' }, { ports });
      expect(doneOf(events).status).toBe('succeeded');
      expect(actions(events)).toEqual(['unchanged ConfigMap a', 'prune ConfigMap b', 'prune ConfigMap c']);
      expect(planOf(events).plan.summary).toMatchObject({ prune: 2, unchanged: 1 });
      // A client dry run stops at the plan; a server dry run sends the deletions with dryRun.
      expect(eventLines(events, ['prune'])).toEqual(dryRun === 'server' ? ['prune ConfigMap b deleted', 'prune ConfigMap c deleted'] : []);
    }
    // The server dry run's diff of a changed object keeps the release label (it is not removed).
    const changed = manifests(configMaps(['a']).replace('data: { k: a }', 'data: { k: changed }'), ns);
    const diffed = await s.apply({ objects: changed, release, prune: true, dryRun: 'server', diff: true }, { ports });
    const diff = diffed.find((e) => e.type === 'diff' && e.ref.name === 'a');
    expect(diff?.type === 'diff' && diff.diff).toContain('+  k: changed');
    expect(diff?.type === 'diff' && diff.diff).not.toMatch(/^-.*applyset\.kubernetes\.io\/part-of/m);
    // Nothing happened: the three are there, still one revision.
    for (const n of ['a', 'b', 'c']) expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: n })).toBeDefined();
    expect((await store().revisions(release)).map((r) => r.revision)).toEqual([1]);
    const real = await s.apply({ objects: one, release, prune: true }, { ports });
    expect(actions(real)).toEqual(['unchanged ConfigMap a', 'prune ConfigMap b', 'prune ConfigMap c']);
  });

  it('refuses --prune with an input without objects (exit 2, nothing deleted) unless allowEmpty', async () => {
    const ns = 'run-empty';
    const release = { name: 'app', namespace: ns };
    expect(doneOf(await s.apply({ objects: manifests(configMaps(['a', 'b']), ns), release }, { ports })).status).toBe('succeeded');
    for (const dryRun of ['none', 'client'] as const) {
      const refused = await s.apply({ objects: [], release, prune: true, dryRun }, { ports });
      const done = doneOf(refused);
      expect(done).toMatchObject({ status: 'failed', failure: { kind: 'refused' } });
      expect(done.failure?.message).toBe('the input has no objects for release app: --prune would delete every object of it; nothing was applied or deleted');
      expect(done.failure?.hint).toContain('--allow-empty');
      expect(exitForApply(done)).toBe(2);
      expect(refused.map((e) => e.type)).toEqual(['done']);
    }
    for (const n of ['a', 'b']) expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: n })).toBeDefined();
    // Without --prune an empty input is harmless; with --allow-empty it empties the release.
    expect(doneOf(await s.apply({ objects: [], release }, { ports })).status).toBe('succeeded');
    const emptied = await s.apply({ objects: [], release, prune: true, allowEmpty: true }, { ports });
    expect(doneOf(emptied)).toMatchObject({ status: 'succeeded', counts: { pruned: 2 } });
    for (const n of ['a', 'b']) expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: n })).toBeUndefined();
  });

  it('plans the release Namespace as create on the first apply, and a rollback of unchanged objects as unchanged', async () => {
    const ns = 'run-own-ns';
    const release = { name: 'app', namespace: ns };
    const v1 = manifests(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n---\n${configMaps(['a', 'b'])}`, ns);
    const first = await s.apply({ objects: v1, release }, { ports });
    expect(actions(first)).toEqual([`create Namespace ${ns}`, 'create ConfigMap a', 'create ConfigMap b']);
    const v2 = manifests(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n---\n${configMaps(['a', 'b']).replace('data: { k: b }', 'data: { k: two }')}`, ns);
    expect(doneOf(await s.apply({ objects: v2, release }, { ports })).status).toBe('succeeded');
    const record = await store().record(release, 1);
    const back = await s.apply(rollbackRequest(release, record!), { ports });
    expect(planOf(back).operation).toBe('rollback');
    expect(actions(back)).toEqual([`unchanged Namespace ${ns}`, 'unchanged ConfigMap a', 'update ConfigMap b']);
    expect(planOf(back).plan.waves[0]!.entries.find((e) => e.ref.name === 'b')?.changedPaths).toEqual(['data.k']);
    expect(doneOf(back)).toMatchObject({ status: 'succeeded', revision: 3 });
  });
});

describe('the record of a finished run', () => {
  it('counts hooks in the singular and the plural', () => {
    expect(summaryMessage({ applied: 2, unchanged: 1, pruned: 0, hooks: 1 })).toBe('2 applied, 1 unchanged, 1 hook run');
    expect(summaryMessage({ applied: 0, unchanged: 3, pruned: 2, hooks: 2 })).toBe('0 applied, 3 unchanged, 2 pruned, 2 hooks run');
  });
});
