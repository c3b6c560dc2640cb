import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/drift/line-diff.js';

/** Length of the longest common subsequence, by the full table: the reference for small inputs. */
function naiveLcs(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t[0]![0]!;
}

/** Replays an edit script: the old side from ' ' and '-', the new side from ' ' and '+'. */
function sides(ops: ReturnType<typeof diffLines>): { a: string[]; b: string[] } {
  return { a: ops.filter((o) => o.op !== '+').map((o) => o.text), b: ops.filter((o) => o.op !== '-').map((o) => o.text) };
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 });

describe('diffLines (Myers, linear space)', () => {
  it('is a valid edit script and a minimal one (its equal lines are a longest common subsequence)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(sides(ops)).toEqual({ a, b });
        expect(ops.filter((o) => o.op === ' ').length).toBe(naiveLcs(a, b));
        // Line numbers point at the line itself on its own side.
        for (const o of ops) {
          if (o.op !== '+') expect(a[o.aLine - 1]).toBe(o.text);
          if (o.op !== '-') expect(b[o.bLine - 1]).toBe(o.text);
        }
      }),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('stays a valid edit script whatever the work budget', () => {
    fc.assert(
      fc.property(lines, lines, fc.nat(60), (a, b, budget) => {
        expect(sides(diffLines(a, b, budget))).toEqual({ a, b });
      }),
      { seed: 13, numRuns: 1000 },
    );
  });

  it('falls back to a coarse, still valid, script when the work budget runs out', () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `a${i}` : `b${i}`));
    const ops = diffLines(a, b, 10);
    expect(sides(ops)).toEqual({ a, b });
    expect(diffLines(a, b).filter((o) => o.op === ' ').length).toBe(150);
  });

  it('finds one changed line in 40,000 as one small hunk', () => {
    const a = Array.from({ length: 40_000 }, (_, i) => `  key-${i}: value-${i}`);
    const b = [...a];
    b[20_000] = '  key-20000: changed';
    const text = unifiedDiff(a.join('\n') + '\n', b.join('\n') + '\n', { from: 'live', to: 'applied' });
    expect(text).toBe(
      [
        '--- live',
        '+++ applied',
        '@@ -19998,7 +19998,7 @@',
        '   key-19997: value-19997',
        '   key-19998: value-19998',
        '   key-19999: value-19999',
        '-  key-20000: value-20000',
        '+  key-20000: changed',
        '   key-20001: value-20001',
        '   key-20002: value-20002',
        '   key-20003: value-20003',
        '',
      ].join('\n'),
    );
  });

  it('prints hunks with the usual headers for insertions and deletions at the edges', () => {
    expect(unifiedDiff('', 'x\ny\n', { from: '/dev/null', to: 'b' })).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(unifiedDiff('x\ny\n', 'y\n', { from: 'a', to: 'b' })).toBe('--- a\n+++ b\n@@ -1,2 +1,1 @@\n-x\n y\n');
  });
});
