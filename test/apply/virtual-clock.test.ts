/**
 * The apply tests' virtual clock (support/virtual-clock.ts) against a real kd sim: time never moves
 * while an answer or a watch event is on its way, only while a run is awaited, and timers fire in
 * due order. Moving time under a slow answer is what made the apply tests flake on a loaded machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/index.js';
import type { WatchEvent } from '../../src/cluster/index.js';
import { startApplySim, type ApplySim } from './support/apply-sim.js';
import { VirtualClock } from './support/virtual-clock.js';

const CM = { group: '', version: 'v1', kind: 'ConfigMap' };

describe('the virtual clock with kd sim', () => {
  let s: ApplySim;
  beforeAll(async () => {
    // Every answer takes 150 real ms: a clock that moved on real time, or when merely nothing
    // ran, would fire a 1 ms timer long before it.
    s = await startApplySim({ faults: 'latency=150ms' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('does not move time while a request awaits its answer', async () => {
    const started = s.clock.now();
    const timer = s.clock.sleep(1).then(() => 'timer');
    const winner = await s.run(Promise.race([s.session.client.get({ ...CM, namespace: 'kube-system', name: 'absent' }).then(() => 'answer'), timer]));
    expect(winner).toBe('answer');
    expect(s.clock.now()).toBe(started);
    // The timer still fires once the answer has been handled, at its own simulated time.
    expect(await s.run(timer)).toBe('timer');
    expect(s.clock.now() - started).toBe(1);
  });

  it('does not move time while a watch event is on its way to the client', async () => {
    const controller = new AbortController();
    const events = s.session.client.watch(CM, { namespace: 'default', signal: controller.signal })[Symbol.asyncIterator]();
    const first = await s.run(events.next());
    expect((first.value as WatchEvent).type).toBe('SYNC');
    for (let i = 0; i < 5; i++) {
      // Written into the sim's store directly: the event is sent at once, no request involved.
      s.sim.host.create({ group: '', version: 'v1', resource: 'configmaps' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' } } as KubeObject, 'test');
      const winner = await s.run(Promise.race([events.next().then((e) => e.value as WatchEvent), s.clock.sleep(1).then(() => 'timer' as const)]));
      expect(winner === 'timer' ? 'timer' : `${winner.type} ${winner.type === 'ADDED' ? (winner.object.metadata as { name?: string }).name : ''}`).toBe(`ADDED cm-${i}`);
    }
    controller.abort();
    await events.return?.(undefined);
  });
});

describe('VirtualClock', () => {
  it('fires timers due now when idle, and moves time only while a run is awaited', async () => {
    const clock = new VirtualClock({ busy: () => undefined, startMs: 0 });
    const fired: string[] = [];
    clock.setTimer(0, () => fired.push('now'));
    clock.setTimer(10, () => fired.push('later'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(['now']);
    expect(clock.now()).toBe(0);
    await clock.advance(10);
    expect(fired).toEqual(['now', 'later']);
    expect(clock.now()).toBe(10);
    clock.dispose();
  });

  it('fires in due order, ties in the order they were set, each at its own time', async () => {
    const clock = new VirtualClock({ busy: () => undefined, startMs: 0 });
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(10, () => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(0, () => fired.push(`a2@${clock.now()}`));
    });
    clock.setTimer(10, () => fired.push(`b@${clock.now()}`));
    await clock.advance(40);
    expect(fired).toEqual(['a@10', 'b@10', 'a2@10', 'c@30']);
    clock.dispose();
  });

  it('waits while busy, whatever the real time it takes', async () => {
    let busy: string | undefined = 'an answer on its way';
    const clock = new VirtualClock({ busy: () => busy, startMs: 0 });
    let fired = false;
    const run = clock.run(clock.cluster.sleep(5).then(() => (fired = true)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toBe(false);
    busy = undefined;
    await run;
    expect(clock.now()).toBe(5);
    clock.dispose();
  });

  it('rejects a sleep whose signal aborts, with the signal reason', async () => {
    const clock = new VirtualClock({ busy: () => undefined, startMs: 0 });
    const controller = new AbortController();
    const sleeping = clock.cluster.sleep(1000, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(sleeping).rejects.toThrow('interrupted');
    expect(clock.pendingTimers()).toBe(0);
    clock.dispose();
  });
});
