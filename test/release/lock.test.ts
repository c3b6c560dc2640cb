/**
 * The release lock against kd sim: a second run fails fast naming the holder, waits with
 * --wait-for-lock, takes over a lock left by a dead run once it expired (on a fake clock),
 * renews while running, and releases (deletes its Lease) at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLock, LockHeldError, microTime } from '../../src/apply/release/index.js';
import { ManualClock, startReleaseSim, type ReleaseSim } from './support.js';

let rs: ReleaseSim;
beforeAll(async () => {
  rs = await startReleaseSim();
});
afterAll(async () => {
  await rs?.stop();
});

const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } as const;
const never = new AbortController().signal;

function lock(clock: ManualClock, identity: string): LeaseLock {
  return new LeaseLock({ client: rs.session.client, clock, identity, leaseDurationSeconds: 30 });
}

async function lease(namespace: string, name: string) {
  return rs.session.client.get({ ...LEASE, namespace, name });
}

describe('release lock', () => {
  it('fails a second run fast, naming the holder and since when; then hands over after release', async () => {
    const ns = await rs.namespace('lock');
    const clock = new ManualClock();
    const release = { name: 'shop', namespace: ns };
    const first = await lock(clock, 'host-a/100/aaaaaa').acquire(release, { wait: false, signal: never });
    expect(first.holder).toBe('host-a/100/aaaaaa');
    const spec = (await lease(ns, 'kd-lock-shop'))?.['spec'] as Record<string, unknown>;
    expect(spec).toMatchObject({ holderIdentity: 'host-a/100/aaaaaa', leaseDurationSeconds: 30, acquireTime: '2025-01-15T12:00:00.000000Z' });

    clock.advance(5_000);
    const second = lock(clock, 'host-b/200/bbbbbb');
    const error = await second.acquire(release, { wait: false, signal: never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).message).toBe(`release shop in namespace ${ns} is locked by host-a/100/aaaaaa since 2025-01-15T12:00:00Z (Lease kd-lock-shop)`);
    expect((error as LockHeldError).hint).toContain('--wait-for-lock');
    expect((error as LockHeldError).hint).toContain('expires in 25s');

    await first.release();
    expect(await lease(ns, 'kd-lock-shop')).toBeUndefined();
    const handle = await second.acquire(release, { wait: false, signal: never });
    expect(handle.holder).toBe('host-b/200/bbbbbb');
    await handle.release();
  });

  it('takes over a lock left by a dead run once it has expired', async () => {
    const ns = await rs.namespace('expired');
    const clock = new ManualClock();
    const release = { name: 'api', namespace: ns };
    // A run that died: its Lease is there, renewed 10 s ago, never to be renewed again.
    await rs.session.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kd-lock-api', namespace: ns },
      spec: { holderIdentity: 'dead-host/1/dead00', leaseDurationSeconds: 30, acquireTime: microTime(clock.now() - 60_000), renewTime: microTime(clock.now() - 10_000), leaseTransitions: 2 },
    });
    const mine = lock(clock, 'host-c/300/cccccc');
    await expect(mine.acquire(release, { wait: false, signal: never })).rejects.toThrow('locked by dead-host/1/dead00 since 2025-01-15T11:59:00Z');
    clock.advance(20_001);
    const handle = await mine.acquire(release, { wait: false, signal: never });
    const spec = (await lease(ns, 'kd-lock-api'))?.['spec'] as Record<string, unknown>;
    expect(spec['holderIdentity']).toBe('host-c/300/cccccc');
    expect(spec['leaseTransitions']).toBe(3);
    await handle.release();
  });

  it('waits with --wait-for-lock until the holder releases', async () => {
    const ns = await rs.namespace('wait');
    const clock = new ManualClock();
    const release = { name: 'web', namespace: ns };
    const first = await lock(clock, 'host-a/1/a').acquire(release, { wait: false, signal: never });
    const waits: string[] = [];
    const second = new LeaseLock({ client: rs.session.client, clock, identity: 'host-b/2/b', pollMs: 1000, onWait: (h) => waits.push(`${h.holder} since ${h.since}`) });
    let acquired = false;
    const pending = second.acquire(release, { wait: true, signal: never }).then((h) => {
      acquired = true;
      return h;
    });
    // Let the waiter look and go to sleep: it must not have the lock while the first holds it.
    await new Promise((r) => setTimeout(r, 200));
    expect(acquired).toBe(false);
    expect(waits).toEqual(['host-a/1/a since 2025-01-15T12:00:00Z']);
    await first.release();
    clock.advance(1000);
    const handle = await pending;
    expect(handle.holder).toBe('host-b/2/b');
    await handle.release();
  });

  it('waits for an expired lock on a fake clock without real waiting, and stops on interrupt', async () => {
    const ns = await rs.namespace('waitexp');
    const clock = new ManualClock();
    const release = { name: 'db', namespace: ns };
    await rs.session.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kd-lock-db', namespace: ns },
      spec: { holderIdentity: 'gone/9/x', leaseDurationSeconds: 30, acquireTime: microTime(clock.now()), renewTime: microTime(clock.now()) },
    });
    const interrupt = new AbortController();
    const waiting = lock(clock, 'host-d/4/d').acquire(release, { wait: true, signal: interrupt.signal });
    await new Promise((r) => setTimeout(r, 100));
    interrupt.abort();
    await expect(waiting).rejects.toThrow('interrupted while waiting for the release lock');

    clock.autoAdvance = true;
    const handle = await lock(clock, 'host-d/4/d').acquire(release, { wait: true, signal: never });
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 15, 12, 0, 30));
    expect(handle.holder).toBe('host-d/4/d');
    clock.autoAdvance = false;
    await handle.release();
  });

  it('renews every third of the lease duration while held', async () => {
    const ns = await rs.namespace('renew');
    const clock = new ManualClock();
    const release = { name: 'job', namespace: ns };
    const handle = await lock(clock, 'host-e/5/e').acquire(release, { wait: false, signal: never });
    const renewTime = async () => ((await lease(ns, 'kd-lock-job'))?.['spec'] as { renewTime: string }).renewTime;
    expect(await renewTime()).toBe('2025-01-15T12:00:00.000000Z');
    clock.advance(10_000);
    await expect.poll(renewTime, { timeout: 2000 }).toBe('2025-01-15T12:00:10.000000Z');
    clock.advance(10_000);
    await expect.poll(renewTime, { timeout: 2000 }).toBe('2025-01-15T12:00:20.000000Z');
    // 20 s after acquiring a 30 s lease, another run still finds it held.
    await expect(lock(clock, 'other/1/o').acquire(release, { wait: false, signal: never })).rejects.toBeInstanceOf(LockHeldError);
    expect(handle.lost.aborted).toBe(false);
    await handle.release();
    expect(await lease(ns, 'kd-lock-job')).toBeUndefined();
  });
});
