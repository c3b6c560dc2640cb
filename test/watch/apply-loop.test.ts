/** The re-apply loop with a scripted source and executor: objects in, applies and loop events out. */
import { describe, expect, test } from 'vitest';
import type { ApplyEvent, ApplyRequest, Diagnostic, Manifest } from '../../src/index.js';
import { ApplyLoop, type DesiredSource } from '../../plugin/watch/apply-loop.js';
import type { ChangeBatch } from '../../plugin/watch/change-batch.js';
import type { LoopEvent } from '../../plugin/watch/loop-events.js';

function manifest(name: string, replicas: number): Manifest {
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { replicas } };
  return { object, ref: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name }, file: `${name}.yaml`, documentIndex: 0, locate: () => ({ start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }) };
}

const bad: Diagnostic = { severity: 'error', rule: 'schema/type', message: 'spec.replicas: must be integer', file: 'web.yaml', range: { start: { line: 3, column: 13 }, end: { line: 3, column: 14 } } };

/** Files as a map name → replicas (or 'invalid'); reload reports what the test set. */
class FakeSource implements DesiredSource {
  files = new Map<string, number | 'invalid'>();
  batches: ChangeBatch[] = [];
  snapshot() {
    const manifests: Manifest[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const [name, r] of [...this.files].sort()) {
      if (r === 'invalid') diagnostics.push(bad);
      else manifests.push(manifest(name, r));
    }
    return { manifests, diagnostics, files: this.files.size };
  }
  async loadAll() {
    return this.snapshot();
  }
  async reload(batch: ChangeBatch) {
    this.batches.push(batch);
    return { ...this.snapshot(), reread: batch.changed, removed: batch.removed };
  }
}

/** An executor whose applies finish when the test says so. */
class FakeExecutor {
  requests: ApplyRequest[] = [];
  running = 0;
  maxRunning = 0;
  #release: Array<() => void> = [];
  apply = (request: ApplyRequest, signal: AbortSignal): AsyncIterable<ApplyEvent> => {
    this.requests.push(request);
    const self = this;
    return (async function* () {
      self.running++;
      self.maxRunning = Math.max(self.maxRunning, self.running);
      try {
        await new Promise<void>((resolve) => {
          self.#release.push(resolve);
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        yield { type: 'done', at: 0, status: signal.aborted ? 'interrupted' : 'succeeded', durationMs: 1, counts: { applied: request.objects.length, unchanged: 0, pruned: 0, hooks: 0 } } as ApplyEvent;
      } finally {
        self.running--;
      }
    })();
  };
  finishOne() {
    this.#release.shift()?.();
  }
}

function setup(options: { prune?: boolean } = {}) {
  const source = new FakeSource();
  const executor = new FakeExecutor();
  const events: LoopEvent[] = [];
  const loop = new ApplyLoop({ source, apply: executor.apply, emit: (e) => events.push(e), now: () => 0, request: { release: { name: 'shop', namespace: 'shop' }, prune: options.prune ?? false } });
  return { source, executor, events, loop };
}

// The loop and the fakes only chain promises: one macrotask turn drains them all, whatever the load.
const settle = () => new Promise((r) => setImmediate(r));

/** A loop over one file (`web`, 2 replicas) whose first apply has run to its end. */
async function afterFirstApply() {
  const s = setup();
  s.source.files.set('web', 2);
  void s.loop.start();
  await settle();
  s.executor.finishOne();
  await s.loop.idle();
  return s;
}

/** Asks for an apply now (as a key press does) and lets it run to its end. */
async function applyNowToEnd({ executor, loop }: ReturnType<typeof setup>, options?: Parameters<ApplyLoop['applyNow']>[0]) {
  loop.applyNow(options);
  await settle();
  executor.finishOne();
  await loop.idle();
}
const types = (events: LoopEvent[]) => events.filter((e) => e.type !== 'apply').map((e) => (e.type === 'skipped' ? `skipped: ${e.reason}` : e.type));

describe('apply loop', () => {
  test('changes during an apply queue exactly one follow-up, with all of them merged; never two applies at once', async () => {
    const { source, executor, loop } = setup();
    source.files.set('web', 2);
    void loop.start();
    await settle();
    expect(executor.requests).toHaveLength(1);
    source.files.set('web', 3);
    loop.changed({ changed: ['/w/web.yaml'], removed: [] });
    source.files.set('worker', 1);
    loop.changed({ changed: ['/w/worker.yaml'], removed: [] });
    loop.changed({ changed: ['/w/web.yaml'], removed: [] });
    await settle();
    expect(executor.requests).toHaveLength(1);
    executor.finishOne();
    await settle();
    expect(executor.requests).toHaveLength(2);
    expect(source.batches).toEqual([{ changed: ['/w/web.yaml', '/w/worker.yaml'], removed: [] }]);
    expect(executor.requests[1]!.objects.map((o) => `${o.ref.name}:${(o.object as { spec: { replicas: number } }).spec.replicas}`)).toEqual(['web:3', 'worker:1']);
    executor.finishOne();
    await loop.idle();
    expect(executor.requests).toHaveLength(2);
    expect(executor.maxRunning).toBe(1);
  });

  test('an invalid save reports its diagnostics and applies nothing', async () => {
    const { source, executor, events, loop } = await afterFirstApply();
    source.files.set('web', 'invalid');
    loop.changed({ changed: ['/w/web.yaml'], removed: [] });
    await loop.idle();
    expect(executor.requests).toHaveLength(1);
    const validated = events.filter((e) => e.type === 'validated').at(-1);
    expect(validated).toMatchObject({ errors: 1, diagnostics: [bad] });
    expect(types(events).at(-1)).toBe('skipped: 1 problem in the manifests; nothing applied, the cluster keeps the last good state');
  });

  test('a save that changes no object applies nothing (hooks do not run for nothing)', async () => {
    const { executor, events, loop } = await afterFirstApply();
    loop.changed({ changed: ['/w/web.yaml'], removed: [] });
    await loop.idle();
    expect(executor.requests).toHaveLength(1);
    expect(types(events).at(-1)).toBe('skipped: no object changed');
  });

  test('a removed file prunes only with --prune', async () => {
    for (const prune of [false, true]) {
      const { source, executor, events, loop } = setup({ prune });
      source.files.set('web', 2).set('worker', 1);
      void loop.start();
      await settle();
      executor.finishOne();
      await loop.idle();
      source.files.delete('worker');
      loop.changed({ changed: [], removed: ['/w/worker.yaml'] });
      await settle();
      if (prune) {
        expect(executor.requests).toHaveLength(2);
        expect(executor.requests[1]).toMatchObject({ prune: true });
        expect(executor.requests[1]!.objects.map((o) => o.ref.name)).toEqual(['web']);
        executor.finishOne();
      } else {
        expect(executor.requests).toHaveLength(1);
        expect(types(events).at(-1)).toBe('skipped: 1 object left the files; kept in the cluster (use --prune to delete them)');
      }
      await loop.idle();
    }
  });

  test('apply now re-applies even when nothing changed', async () => {
    const { executor, loop } = await afterFirstApply();
    loop.applyNow();
    await settle();
    expect(executor.requests).toHaveLength(2);
    executor.finishOne();
    await loop.idle();
  });

  test('stop() aborts the running apply and returns after its done event', async () => {
    const { source, executor, events, loop } = setup();
    source.files.set('web', 2);
    void loop.start();
    await settle();
    loop.changed({ changed: ['/w/web.yaml'], removed: [] });
    await loop.stop();
    expect(executor.running).toBe(0);
    const done = events.filter((e) => e.type === 'apply').map((e) => (e.type === 'apply' ? e.event : undefined));
    expect(done).toEqual([expect.objectContaining({ type: 'done', status: 'interrupted' })]);
    expect(executor.requests).toHaveLength(1);
  });
});

describe('F after a conflict', () => {
  test('applyNow with forceConflicts forces that one apply only', async () => {
    const s = await afterFirstApply();
    await applyNowToEnd(s, { forceConflicts: true });
    await applyNowToEnd(s);
    expect(s.executor.requests.map((r) => r.forceConflicts === true)).toEqual([false, true, false]);
  });
});

describe('--self-heal', () => {
  test('a heal applies once with --force-conflicts and without hooks, tagged heal', async () => {
    const s = await afterFirstApply();
    const { executor, events } = s;
    await applyNowToEnd(s, { heal: true });
    await applyNowToEnd(s);
    expect(executor.requests.map((r) => [r.forceConflicts === true, r.hooks !== false])).toEqual([
      [false, true],
      [true, false],
      [false, true],
    ]);
    expect(events.filter((e) => e.type === 'apply-started').map((e) => (e.type === 'apply-started' ? e.trigger : ''))).toEqual(['start', 'heal', 'manual']);
  });
});
