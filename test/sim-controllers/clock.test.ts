import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../src/sim/controllers/clock.js';
import { parseGoDuration, formatGoDuration } from '../../src/sim/controllers/failure-injection.js';
import { newReplicaSetReplicas, resolveFenceposts, scaleDownOldReplicaSets } from '../../src/sim/controllers/deployment.js';

describe('clocks', () => {
  it('a manual clock fires timers in due order, including timers set while advancing', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(10, () => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(5, () => fired.push(`c@${clock.now()}`));
    });
    const cancel = clock.setTimer(12, () => fired.push('cancelled'));
    cancel();
    clock.advance(14);
    expect(fired).toEqual(['a@10']);
    clock.advance(100);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20']);
    expect(clock.now()).toBe(114);
  });

  it('a scaled clock runs simulated time at the chosen speed and re-bases when the speed changes', () => {
    let real = 1000;
    const clock = new ScaledClock({ speed: 10, startMs: 0, realNow: () => real });
    real += 100;
    expect(clock.now()).toBe(1000);
    clock.setSpeed(2);
    real += 100;
    expect(clock.now()).toBe(1200);
    clock.dispose();
  });
});

describe('durations', () => {
  const parse = [
    ['3s', 3000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['2', 2000],
    ['soon', undefined],
    ['3x', undefined],
  ] as const;
  for (const [text, ms] of parse) it(`"${text}" parses to ${ms}`, () => expect(parseGoDuration(text)).toBe(ms));
  it('back-off durations print as Go does', () => expect([10_000, 80_000, 300_000].map(formatGoDuration)).toEqual(['10s', '1m20s', '5m0s']));
});

describe('rolling update arithmetic', () => {
  const d = (replicas: number, maxSurge: unknown, maxUnavailable: unknown) => ({
    metadata: { name: 'web', generation: 1 },
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
  }) as any;
  const rs = (name: string, replicas: number, available: number, created: string) =>
    ({ metadata: { name, creationTimestamp: created }, spec: { replicas }, status: { replicas, availableReplicas: available } }) as any;

  it('percentages round surge up and unavailability down; both zero means one unavailable', () => {
    expect(resolveFenceposts(d(10, '25%', '25%'))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts(d(3, 0, 0))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it('the new ReplicaSet grows only up to replicas + maxSurge in total', () => {
    const old = rs('web-old', 4, 4, '2025-01-01T00:00:00Z');
    const fresh = rs('web-new', 0, 0, '2025-01-01T00:01:00Z');
    expect(newReplicaSetReplicas(d(4, 1, 0), [old, fresh], fresh)).toBe(1);
    expect(newReplicaSetReplicas(d(4, 2, 0), [old, fresh], fresh)).toBe(2);
  });

  it('old ReplicaSets shrink only while replicas - maxUnavailable stay available', () => {
    const old = rs('web-old', 4, 4, '2025-01-01T00:00:00Z');
    const unready = rs('web-new', 1, 0, '2025-01-01T00:01:00Z');
    const ready = rs('web-new', 1, 1, '2025-01-01T00:01:00Z');
    expect(scaleDownOldReplicaSets(d(4, 1, 0), [old], unready)).toEqual(new Map());
    expect(scaleDownOldReplicaSets(d(4, 1, 0), [old], ready)).toEqual(new Map([['web-old', 3]]));
  });
});
