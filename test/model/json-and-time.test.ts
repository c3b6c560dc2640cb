/** The model's shared helpers: plain objects, JSON equality, dropping unset options, and metav1's two time encodings. */
import { describe, expect, it } from 'vitest';
import { deepEqual, definedOnly, formatMetav1Time, formatMicroTime, isPlainObject } from '../../src/model/index.js';

describe('isPlainObject', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    [undefined, false],
    ['a', false],
    [3, false],
  ])('%j → %s', (value, expected) => expect(isPlainObject(value)).toBe(expected));
});

describe('deepEqual', () => {
  it('compares JSON values structurally, key order ignored', () => {
    expect(deepEqual({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
  });

  it('treats a key holding undefined as absent, as JSON does', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(true);
    expect(deepEqual({ a: undefined }, { a: null })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, c: 2 })).toBe(false);
    expect(deepEqual({ a: 1, c: undefined }, { a: 1, b: undefined, c: 3 })).toBe(false);
  });

  it('answers as the definition does (same defined keys, equal values) on generated values', () => {
    // The definition, spelled plainly: the implementation is a loop without allocations.
    const reference = (a: unknown, b: unknown): boolean => {
      if (a === b) return true;
      if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
      if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => reference(v, (b as unknown[])[i]));
      const defined = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
      const ak = defined(a);
      return ak.length === defined(b).length && ak.every(([k, v]) => Object.hasOwn(b, k) && reference(v, (b as Record<string, unknown>)[k]));
    };
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const leaves = [0, 1, '1', 'a', true, false, null, undefined];
    const value = (depth: number): unknown => {
      const pick = random(depth > 2 ? 2 : 4);
      if (pick < 2) return leaves[random(leaves.length)];
      if (pick === 2) return Array.from({ length: random(3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: random(4) }, () => [['a', 'b', 'c'][random(3)], value(depth + 1)]));
    };
    // Near-equal pairs: a value and a copy with one random change, often none.
    const mutate = (v: unknown): unknown => {
      if (random(4) === 0) return value(2);
      if (Array.isArray(v)) return v.map((x) => (random(3) === 0 ? mutate(x) : x));
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, random(3) === 0 ? mutate(x) : x]));
      return v;
    };
    let equal = 0;
    for (let i = 0; i < 3000; i++) {
      const a = value(0);
      const b = random(2) === 0 ? mutate(a) : value(0);
      const expected = reference(a, b);
      if (expected) equal++;
      expect(deepEqual(a, b), JSON.stringify([a, b])).toBe(expected);
      expect(deepEqual(b, a)).toBe(expected);
    }
    expect(equal).toBeGreaterThan(300);
  });
});

describe('definedOnly', () => {
  it('drops undefined values only, so a spread of it never overrides a default with "unset"', () => {
    const picked = definedOnly({ a: undefined, b: 0, c: false, d: null, e: '' });
    expect(Object.keys(picked)).toEqual(['b', 'c', 'd', 'e']);
    expect({ a: 'default', ...picked }).toEqual({ a: 'default', b: 0, c: false, d: null, e: '' });
  });
});

describe('metav1 times', () => {
  const ms = Date.parse('2025-06-01T12:00:07.891Z');
  it('metav1.Time: whole seconds, truncated', () => expect(formatMetav1Time(ms)).toBe('2025-06-01T12:00:07Z'));
  it('metav1.MicroTime: six fractional digits', () => expect(formatMicroTime(ms)).toBe('2025-06-01T12:00:07.891000Z'));
});
