/**
 * The release lock against kd sim: a second run fails fast naming the holder, waits with
 * --wait-for-lock, takes over a lock left by a dead run once it expired, renews while running,
 * and releases (deletes its Lease) at the end. Expiry is judged by the server's clock or by
 * watching the Lease stay unchanged, never by this machine's clock: the runs here have clocks
 * skewed from the server's (the sim runs on this machine's real clock; ManualClock starts in 2025
 * unless told otherwise).
 */
import { describe, expect, it } from 'vitest';
import { LeaseLock, LockHeldError, microTime } from '../../src/apply/release/index.js';
import { ManualClock, startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);

const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } as const;
const never = new AbortController().signal;

function lock(clock: ManualClock, identity: string): LeaseLock {
  return new LeaseLock({ client: rs.session.client, clock, identity, leaseDurationSeconds: 30 });
}

async function lease(namespace: string, name: string) {
  return rs.session.client.get({ ...LEASE, namespace, name });
}

/** One test's fresh namespace, a release named `name` in it, and a manual clock for its locks. */
async function lockCase(prefix: string, name: string) {
  const ns = await rs.namespace(prefix);
  return { ns, clock: new ManualClock(), release: { name, namespace: ns } };
}

describe('release lock', () => {
  it('fails a second run fast, naming the holder and since when; then hands over after release', async () => {
    const { ns, clock, release } = await lockCase('lock', 'shop');
    const before = Date.now();
    const first = await lock(clock, 'host-a/100/aaaaaa').acquire(release, { wait: false, signal: never });
    expect(first.holder).toBe('host-a/100/aaaaaa');
    const spec = (await lease(ns, 'kd-lock-shop'))?.['spec'] as Record<string, unknown>;
    expect(spec).toMatchObject({ holderIdentity: 'host-a/100/aaaaaa', leaseDurationSeconds: 30 });
    // Written with the server's clock (from its Date header; whole seconds), not the run's 2025 clock.
    const acquired = Date.parse(String(spec['acquireTime']));
    expect(String(spec['acquireTime'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(acquired).toBeGreaterThanOrEqual(before - 1000);
    expect(acquired).toBeLessThanOrEqual(Date.now());

    clock.advance(5_000);
    const second = lock(clock, 'host-b/200/bbbbbb');
    const error = await second.acquire(release, { wait: false, signal: never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).message).toBe(`release shop in namespace ${ns} is locked by host-a/100/aaaaaa since ${microTime(acquired).replace(/\.\d+Z$/, 'Z')} (Lease kd-lock-shop)`);
    expect((error as LockHeldError).hint).toContain('--wait-for-lock');
    expect((error as LockHeldError).hint).toContain('expires in 30s');

    await first.release();
    expect(await lease(ns, 'kd-lock-shop')).toBeUndefined();
    const handle = await second.acquire(release, { wait: false, signal: never });
    expect(handle.holder).toBe('host-b/200/bbbbbb');
    await handle.release();
  });

  it('takes over a lock left by a dead run once it has expired by the server\'s clock, whatever the run\'s clock says', async () => {
    // The run's clock (a ManualClock's start) is a year or more behind the server: the old rule saw every Lease as fresh.
    const { ns, clock, release } = await lockCase('expired', 'api');
    const server = Date.now(); // the sim's clock
    // A run that died: its Lease is there, renewed 10 s ago, never to be renewed again.
    await rs.session.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kd-lock-api', namespace: ns },
      spec: { holderIdentity: 'dead-host/1/dead00', leaseDurationSeconds: 30, acquireTime: microTime(server - 60_000), renewTime: microTime(server - 10_000), leaseTransitions: 2 },
    });
    const mine = lock(clock, 'host-c/300/cccccc');
    const held = (await mine.acquire(release, { wait: false, signal: never }).catch((e: unknown) => e)) as LockHeldError;
    expect(held.message).toContain(`locked by dead-host/1/dead00 since ${microTime(server - 60_000).replace(/\.\d+Z$/, 'Z')}`);
    expect(held.hint).toMatch(/expires in (20|21|22)s/);
    // Renewed 40 s ago by the server's clock: expired, taken over at once.
    const live = await lease(ns, 'kd-lock-api');
    await rs.session.client.patch({ ...LEASE, namespace: ns, name: 'kd-lock-api' }, [{ op: 'replace', path: '/spec/renewTime', value: microTime(Date.now() - 40_000) }, { op: 'test', path: '/metadata/resourceVersion', value: (live!.metadata as { resourceVersion: string }).resourceVersion }], { type: 'json' });
    const handle = await mine.acquire(release, { wait: false, signal: never });
    const spec = (await lease(ns, 'kd-lock-api'))?.['spec'] as Record<string, unknown>;
    expect(spec['holderIdentity']).toBe('host-c/300/cccccc');
    expect(spec['leaseTransitions']).toBe(3);
    await handle.release();
  });

  it('does not steal a live lock from a holder whose clock is far behind (two CI runners, skewed clocks)', async () => {
    const ns = await rs.namespace('skew');
    const release = { name: 'web', namespace: ns };
    const behind = new ManualClock(Date.now() - 3_600_000); // an hour slow: the old rule wrote renewTime an hour in the past
    const ahead = new ManualClock(Date.now() + 3_600_000);
    const holder = await lock(behind, 'runner-a/1/a').acquire(release, { wait: false, signal: never });
    const renewTime = Date.parse(String(((await lease(ns, 'kd-lock-web'))?.['spec'] as Record<string, unknown>)['renewTime']));
    expect(Math.abs(renewTime - Date.now())).toBeLessThan(5_000);
    for (const clock of [new ManualClock(Date.now()), ahead]) {
      const e = await lock(clock, 'runner-b/2/b').acquire(release, { wait: false, signal: never }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LockHeldError);
    }
    // The holder renews on its own (slow) clock; the renewal keeps it held for a waiter far ahead.
    behind.advance(10_000);
    await expect.poll(async () => Date.parse(String(((await lease(ns, 'kd-lock-web'))?.['spec'] as Record<string, unknown>)['renewTime'])), { timeout: 2000 }).toBeGreaterThan(renewTime);
    await expect(lock(ahead, 'runner-b/2/b').acquire(release, { wait: false, signal: never })).rejects.toBeInstanceOf(LockHeldError);
    expect(holder.lost.aborted).toBe(false);
    await holder.release();
  });

  it('waits with --wait-for-lock until the holder releases', async () => {
    const { clock, release } = await lockCase('wait', 'web');
    const first = await lock(clock, 'host-a/1/a').acquire(release, { wait: false, signal: never });
    const waits: string[] = [];
    const second = new LeaseLock({ client: rs.session.client, clock, identity: 'host-b/2/b', pollMs: 1000, onWait: (h) => waits.push(`${h.holder} since ${h.since}`) });
    let acquired = false;
    const pending = second.acquire(release, { wait: true, signal: never }).then((h) => {
      acquired = true;
      return h;
    });
    // Let the waiter look and go to sleep (beside the holder's renewal sleep): it must not have
    // the lock while the first holds it.
    await clock.untilSleeping(2);
    expect(acquired).toBe(false);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/^host-a\/1\/a since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await first.release();
    clock.advance(1000);
    const handle = await pending;
    expect(handle.holder).toBe('host-b/2/b');
    await handle.release();
  });

  it('takes over a Lease seen unchanged for its duration (a dead holder whose clock ran ahead), on a fake clock without real waiting; stops on interrupt', async () => {
    const { ns, clock, release } = await lockCase('waitexp', 'db');
    // Written by a holder an hour ahead of the server: by timestamps it looks fresh for an hour.
    const future = Date.now() + 3_600_000;
    await rs.session.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kd-lock-db', namespace: ns },
      spec: { holderIdentity: 'gone/9/x', leaseDurationSeconds: 30, acquireTime: microTime(future), renewTime: microTime(future) },
    });
    const interrupt = new AbortController();
    const waiting = lock(clock, 'host-d/4/d').acquire(release, { wait: true, signal: interrupt.signal });
    await clock.untilSleeping();
    interrupt.abort();
    await expect(waiting).rejects.toThrow('interrupted while waiting for the release lock');

    clock.autoAdvance = true;
    const startedWaiting = clock.now();
    const handle = await lock(clock, 'host-d/4/d').acquire(release, { wait: true, signal: never });
    // client-go's leaderelection rule: unchanged for a lease duration on the waiter's own clock.
    expect(clock.now() - startedWaiting).toBeGreaterThanOrEqual(30_000);
    expect(clock.now() - startedWaiting).toBeLessThan(32_000);
    expect(handle.holder).toBe('host-d/4/d');
    clock.autoAdvance = false;
    await handle.release();
  });

  it('renews every third of the lease duration while held', async () => {
    const { ns, clock, release } = await lockCase('renew', 'job');
    const handle = await lock(clock, 'host-e/5/e').acquire(release, { wait: false, signal: never });
    const version = async () => ((await lease(ns, 'kd-lock-job'))?.metadata as { resourceVersion: string }).resourceVersion;
    const v0 = await version();
    // The holder sleeps until its renewal is due: nothing is written before the clock moves.
    await clock.untilSleeping();
    expect(await version()).toBe(v0);
    clock.advance(10_000);
    await expect.poll(version, { timeout: 2000 }).not.toBe(v0);
    const v1 = await version();
    clock.advance(10_000);
    await expect.poll(version, { timeout: 2000 }).not.toBe(v1);
    // 20 s after acquiring a 30 s lease, another run still finds it held.
    await expect(lock(clock, 'other/1/o').acquire(release, { wait: false, signal: never })).rejects.toBeInstanceOf(LockHeldError);
    expect(handle.lost.aborted).toBe(false);
    await handle.release();
    expect(await lease(ns, 'kd-lock-job')).toBeUndefined();
  });
});
