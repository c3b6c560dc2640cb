import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/cluster/index.js';
import { FakeClock, startTestSim, type TestSim } from './support/sim.js';

describe('token bucket', () => {
  it('lets a full burst through at once, then one request per 1/qps seconds, in arrival order', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, clock);
    const granted: Array<[number, number]> = [];
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => bucket.acquire().then(() => granted.push([i, clock.now() - start]))));
    expect(granted).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 100],
      [4, 200],
      [5, 300],
    ]);
  });

  it('refills while idle, never beyond the burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 2, burst: 4 }, clock);
    for (let i = 0; i < 4; i++) await bucket.acquire();
    expect(bucket.available()).toBe(0);
    clock.time += 1000;
    expect(bucket.available()).toBe(2);
    clock.time += 60_000;
    expect(bucket.available()).toBe(4);
  });

  it('gives up waiting when the signal aborts, and the next waiter still gets its turn', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 1, burst: 1 }, clock);
    await bucket.acquire();
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await expect(bucket.acquire(controller.signal)).rejects.toThrow('interrupted');
    await bucket.acquire();
    expect(clock.sleeps).toEqual([1000]);
  });

  it('does not limit with qps 0', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 0, burst: 1 }, clock);
    for (let i = 0; i < 50; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
  });
});

describe('rate limiting requests to the server', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim();
  });
  afterAll(() => t.stop());

  it('spaces requests beyond the burst by 1/qps on the client clock', async () => {
    const clock = new FakeClock();
    const session = await t.connect({ cacheDir: false, clock, qps: 5, burst: 2 });
    const start = clock.now();
    // Two discovery requests use the burst; each of the four reads then waits 200 ms.
    for (let i = 0; i < 4; i++) await session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'default' });
    expect(clock.now() - start).toBe(800);
    expect(clock.sleeps).toEqual([200, 200, 200, 200]);
  });

  it("uses kubectl's effective default, no client-side limit: a thousand requests never wait", async () => {
    const clock = new FakeClock();
    const session = await t.connect({ cacheDir: false, clock });
    await Promise.all(Array.from({ length: 1000 }, () => session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'default' })));
    expect(clock.sleeps).toEqual([]);
  });

  it("gives --qps without --burst client-go's burst of 10", async () => {
    const clock = new FakeClock();
    const session = await t.connect({ cacheDir: false, clock, qps: 10 });
    // Discovery takes some of the ten; every request beyond the ten waits 1/qps = 100 ms.
    for (let i = 0; i < 12; i++) await session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'default' });
    expect(clock.sleeps.length).toBeGreaterThan(2);
    expect(new Set(clock.sleeps)).toEqual(new Set([100]));
  });
});
