import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../src/sim/selectors.js';
import { FaultInjector, parseFaultSpec } from '../../src/sim/faults.js';
import { applyJsonPatch, applyMergePatch } from '../../src/sim/json-patch.js';

function labels(sel: string, l: Record<string, string>): boolean {
  const p = parseLabelSelector(sel);
  if ('error' in p) throw new Error(p.error);
  return matchesLabels(p.selector, l);
}

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['tier in (a, b)', { tier: 'b' }, true],
    ['tier notin (a,b)', { tier: 'b' }, false],
    ['tier notin (a,b)', {}, true],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier in (a)', { app: 'web', tier: 'a' }, true],
    ['app=web,tier in (a)', { app: 'web', tier: 'c' }, false],
  ] as const)('%s on %j is %s', (sel, l, want) => {
    expect(labels(sel, l)).toBe(want);
  });

  it('reports what it cannot parse', () => {
    expect(parseLabelSelector('a b c')).toHaveProperty('error');
  });
});

describe('field selectors', () => {
  it('supports metadata fields everywhere and the per-kind ones', () => {
    const p = parseFieldSelector('metadata.name=x,status.phase!=Running', '', 'pods');
    expect('selector' in p && matchesFields(p.selector, { metadata: { name: 'x' }, status: { phase: 'Pending' } })).toBe(true);
    expect(parseFieldSelector('status.phase=Running', 'apps', 'deployments')).toEqual({ error: 'field label not supported: status.phase' });
  });
});

describe('fault specs', () => {
  it('parses the documented grammar', () => {
    const { spec, problems } = parseFaultSpec('seed=7,latency=5-20ms,429=0.05,500=0.02,503=0.02,reset=0.01,watch-close=30s,conflict=default/web,conflict=node-1@0.5');
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      seed: 7,
      latencyMs: { min: 5, max: 20 },
      rates: { '429': 0.05, '500': 0.02, '503': 0.02, reset: 0.01 },
      retryAfterSeconds: 1,
      watchCloseMs: 30_000,
      conflicts: [{ namespace: 'default', name: 'web', probability: 1 }, { namespace: '', name: 'node-1', probability: 0.5 }],
    });
  });

  it('reports bad items without throwing', () => {
    expect(parseFaultSpec('429=2,latency=fast,bogus=1,seed').problems).toEqual([
      '429 must be a probability between 0 and 1, got "2"',
      'latency must look like 5-20ms or 10ms, got "fast"',
      'unknown fault "bogus" (known: seed, latency, 429, 500, 503, retry-after, reset, watch-close, conflict)',
      'fault "seed" has no value (expected key=value)',
    ]);
  });

  it('draws the same faults from the same seed, at roughly the configured rates', () => {
    const spec = parseFaultSpec('seed=42,429=0.1,500=0.1,reset=0.1,latency=1-3ms').spec;
    const a = new FaultInjector(spec);
    const b = new FaultInjector(spec);
    const runA = Array.from({ length: 2000 }, () => a.next());
    const runB = Array.from({ length: 2000 }, () => b.next());
    expect(runA).toEqual(runB);
    const count = (k: string) => runA.filter((d) => (d.kind === 'status' ? String(d.code) : d.kind) === k).length;
    for (const k of ['429', '500', 'reset']) expect(count(k)).toBeGreaterThan(140);
    for (const k of ['429', '500', 'reset']) expect(count(k)).toBeLessThan(260);
    expect(runA.every((d) => d.delayMs >= 1 && d.delayMs <= 3)).toBe(true);
    const other = new FaultInjector({ ...spec, seed: 43 });
    expect(Array.from({ length: 50 }, () => other.next())).not.toEqual(runA.slice(0, 50));
  });
});

describe('JSON patch and merge patch', () => {
  it('applies RFC 6902 operations and reports failures as messages', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/a/b/-', value: 3 }, { op: 'remove', path: '/c' }, { op: 'copy', from: '/a/b', path: '/d' }, { op: 'test', path: '/d/2', value: 3 }])).toEqual({ value: { a: { b: [1, 2, 3] }, d: [1, 2, 3] } });
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).toHaveProperty('error');
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'y' }])).toEqual({ error: 'testing value /c failed: test failed' });
  });

  it('applies RFC 7386 merge patches (null deletes, lists replace)', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});
