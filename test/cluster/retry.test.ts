import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRequestError, DEFAULT_RETRY, isRetryable, retryDelayMs, type RetryNotice } from '../../src/cluster/index.js';
import { FakeClock, startTestSim, type TestSim } from './support/sim.js';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

function statusFailure(code: number, reason: string, extra: { retryAfterSeconds?: number; message?: string; causes?: Array<{ reason: string; message: string; field: string }> } = {}): ClusterRequestError {
  const init: ConstructorParameters<typeof ClusterRequestError>[0] = {
    subject: { verb: 'apply', target: 'ConfigMap default/x' },
    failure: 'status',
    code,
    reason,
    message: extra.message ?? reason,
    status: { kind: 'Status', code, reason, message: extra.message ?? reason, ...(extra.causes ? { details: { causes: extra.causes } } : {}) },
  };
  if (extra.retryAfterSeconds !== undefined) init.retryAfterSeconds = extra.retryAfterSeconds;
  return new ClusterRequestError(init);
}

describe('retry policy', () => {
  it.each([
    ['429 Too Many Requests', statusFailure(429, 'TooManyRequests'), 'read', true],
    ['500 Internal Error', statusFailure(500, 'InternalError'), 'create', true],
    ['503 Service Unavailable', statusFailure(503, 'ServiceUnavailable'), 'idempotent-write', true],
    ['a connection reset', new ClusterRequestError({ subject: { verb: 'get', target: 'x' }, failure: 'network', code: 0, reason: 'ECONNRESET', message: 'reset' }), 'create', true],
    ['404 Not Found', statusFailure(404, 'NotFound'), 'read', false],
    ['400 Bad Request', statusFailure(400, 'BadRequest'), 'idempotent-write', false],
    ['422 Invalid', statusFailure(422, 'Invalid'), 'idempotent-write', false],
    ['403 Forbidden', statusFailure(403, 'Forbidden'), 'read', false],
    ['a 500 that is an undeclared field in an apply', statusFailure(500, 'InternalError', { message: 'failed to create typed patch object (default/x; /v1, Kind=ConfigMap): .datta: field not declared in schema' }), 'idempotent-write', false],
    ['an optimistic-lock conflict on an apply', statusFailure(409, 'Conflict', { message: 'the object has been modified' }), 'idempotent-write', true],
    ['an optimistic-lock conflict on a write with preconditions', statusFailure(409, 'Conflict'), 'precondition-write', false],
    ['an SSA field conflict', statusFailure(409, 'Conflict', { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "other"', field: '.data.a' }] }), 'idempotent-write', false],
    ['AlreadyExists on create', statusFailure(409, 'AlreadyExists'), 'create', false],
  ] as const)('%s → retry %s', (_name, error, retryClass, expected) => {
    expect(isRetryable(error, retryClass)).toBe(expected);
  });

  it('waits what Retry-After says, else backs off exponentially with equal jitter, capped', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    const plain = statusFailure(500, 'InternalError');
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, plain, options, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, plain, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelayMs(1, statusFailure(429, 'TooManyRequests', { retryAfterSeconds: 0.5 }), options, () => 1)).toBe(500);
    expect(retryDelayMs(1, statusFailure(429, 'TooManyRequests', { retryAfterSeconds: 120 }), options, () => 1)).toBe(1000);
  });
});

describe('retries against injected faults', () => {
  it('honours Retry-After on 429 and gives up after the retry budget, naming the request', async () => {
    t = await startTestSim({ faults: '429=1,retry-after=2' });
    const clock = new FakeClock();
    const notices: RetryNotice[] = [];
    const session = await t.connect({ cacheDir: false, clock, retry: { maxRetries: 3 }, onRetry: (n) => notices.push(n) });
    const e = (await session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'default' }).catch((err: unknown) => err)) as ClusterRequestError;
    expect(e).toBeInstanceOf(ClusterRequestError);
    expect(e.message).toBe('discover API groups (/api): TooManyRequests: the server has received too many requests and has asked us to try again later');
    expect([e.code, e.retryAfterSeconds, e.attempts]).toEqual([429, 2, 4]);
    // Two discovery requests in parallel, each retried three times after two seconds.
    expect(clock.sleeps).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
    expect(notices.map((n) => `${n.subject.verb} ${n.attempt} ${n.delayMs} ${n.error.code}`).sort()).toEqual(
      ['discover 1 2000 429', 'discover 1 2000 429', 'discover 2 2000 429', 'discover 2 2000 429', 'discover 3 2000 429', 'discover 3 2000 429'],
    );
  });

  it('gets every write through 429s, 5xx and connection resets, each object exactly once', async () => {
    t = await startTestSim({ faults: 'seed=11,429=0.1,503=0.1,500=0.1,reset=0.05,retry-after=1' });
    const clock = new FakeClock();
    const notices: RetryNotice[] = [];
    const session = await t.connect({ cacheDir: false, clock, retry: { maxRetries: 10 }, onRetry: (n) => notices.push(n) });
    const client = session.client;
    for (let i = 0; i < 25; i++) await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { batch: 'faults' } }, data: { i: String(i) } });
    for (let i = 0; i < 5; i++) await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i}` }, stringData: { k: 'v' } });
    const listed = await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { labelSelector: 'batch=faults', pageSize: 10 });
    expect(listed.items.map((o) => (o.data as { i: string }).i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    // Every retry's wait went through the (instant) fake clock, none through real time.
    expect(clock.sleeps).toEqual(notices.map((n) => n.delayMs));
    const reasons = new Set(notices.map((n) => n.error.reason));
    expect([...reasons].sort()).toEqual(['ECONNRESET', 'InternalError', 'ServiceUnavailable', 'TooManyRequests']);
    // 429 and 503 carry Retry-After: 1; the others back off with jitter below the cap.
    for (const n of notices) {
      if (n.error.code === 429 || n.error.code === 503) expect(n.delayMs).toBe(1000);
      else expect(n.delayMs).toBeLessThanOrEqual(DEFAULT_RETRY.baseDelayMs * 2 ** (n.attempt - 1));
    }
    expect(clock.sleeps.length).toBe(notices.length);
  });
});
