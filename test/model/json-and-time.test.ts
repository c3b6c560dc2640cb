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
